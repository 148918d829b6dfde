#include "exporter/tsdb/xor_chunk.h"

#include <bit>

namespace smoke::tsdb {
namespace {

struct DodBucket {
  int prefix_ones;  // the prefix is this many 1s and a 0 (none for the last bucket)
  int bits;
};
// Ordered by width; a delta-of-delta of 0 is the single bit '0' before these.
constexpr DodBucket kDodBuckets[] = {{1, 4}, {2, 10}, {3, 20}, {4, 64}};
constexpr int kMaxPrefixOnes = 4;

bool FitsSigned(int64_t v, int bits) {
  if (bits >= 64) return true;
  const int64_t lo = -(int64_t{1} << (bits - 1));
  const int64_t hi = (int64_t{1} << (bits - 1)) - 1;
  return v >= lo && v <= hi;
}

int64_t SignExtend(uint64_t v, int bits) {
  if (bits >= 64) return static_cast<int64_t>(v);
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

}  // namespace

double XorIterator::v() const { return std::bit_cast<double>(state_.v_bits); }

bool XorIterator::Next() {
  if (corrupt_ || state_.count >= total_) return false;
  uint64_t raw = 0;
  if (state_.count == 0) {
    if (!reader_.ReadUvarint(&raw) || !reader_.ReadBits(64, &state_.v_bits)) {
      corrupt_ = true;
      return false;
    }
    state_.t = UnZigZag(raw);
    ++state_.count;
    return true;
  }
  if (state_.count == 1) {
    if (!reader_.ReadUvarint(&raw) || raw == 0) {
      corrupt_ = true;
      return false;
    }
    state_.delta = raw;
  } else {
    int ones = 0;
    bool bit = true;
    while (ones < kMaxPrefixOnes) {
      if (!reader_.ReadBit(&bit)) {
        corrupt_ = true;
        return false;
      }
      if (!bit) break;
      ++ones;
    }
    if (ones > 0) {
      const DodBucket& b = kDodBuckets[ones - 1];
      if (!reader_.ReadBits(b.bits, &raw)) {
        corrupt_ = true;
        return false;
      }
      state_.delta += static_cast<uint64_t>(SignExtend(raw, b.bits));
    }
  }
  state_.t = static_cast<int64_t>(static_cast<uint64_t>(state_.t) + state_.delta);
  if (!ReadValue()) {
    corrupt_ = true;
    return false;
  }
  ++state_.count;
  return true;
}

bool XorIterator::ReadValue() {
  bool changed = false;
  if (!reader_.ReadBit(&changed)) return false;
  if (!changed) return true;
  bool new_window = false;
  if (!reader_.ReadBit(&new_window)) return false;
  if (new_window) {
    uint64_t leading = 0, sig = 0;
    if (!reader_.ReadBits(5, &leading) || !reader_.ReadBits(6, &sig)) return false;
    if (sig == 0) sig = 64;
    if (leading + sig > 64) return false;
    state_.leading = static_cast<uint8_t>(leading);
    state_.trailing = static_cast<uint8_t>(64 - leading - sig);
  } else if (state_.leading == 0xff) {
    return false;  // a window reused before any was set
  }
  const int sig = 64 - state_.leading - state_.trailing;
  uint64_t bits = 0;
  if (!reader_.ReadBits(sig, &bits)) return false;
  state_.v_bits ^= bits << state_.trailing;
  return true;
}

core::Result<XorChunk> XorChunk::FromEncoding(std::vector<uint8_t> bytes, uint16_t count) {
  if (count == 0 || count > kMaxSamples) {
    return core::Status::Error("chunk with " + std::to_string(count) + " samples");
  }
  XorChunk chunk;
  XorIterator it(bytes, count);
  int64_t prev = 0;
  while (it.Next()) {
    if (it.state().count == 1) {
      chunk.min_t_ = it.t();
    } else if (it.t() <= prev) {
      return core::Status::Error("chunk timestamps not increasing");
    }
    prev = it.t();
  }
  if (it.corrupt() || it.state().count != count) {
    return core::Status::Error("chunk encoding is truncated or corrupt");
  }
  chunk.state_ = it.state();
  const uint64_t bit_length = it.bit_position();
  chunk.writer_ = BitWriter(std::move(bytes), bit_length);
  return chunk;
}

void XorChunk::Append(int64_t t, double v) {
  const uint64_t v_bits = std::bit_cast<uint64_t>(v);
  if (state_.count == 0) {
    writer_.WriteUvarint(ZigZag(t));
    writer_.WriteBits(v_bits, 64);
    min_t_ = t;
  } else if (state_.count == 1) {
    state_.delta = static_cast<uint64_t>(t) - static_cast<uint64_t>(state_.t);
    writer_.WriteUvarint(state_.delta);
    WriteValue(v_bits);
  } else {
    const uint64_t delta = static_cast<uint64_t>(t) - static_cast<uint64_t>(state_.t);
    const int64_t dod = static_cast<int64_t>(delta - state_.delta);
    if (dod == 0) {
      writer_.WriteBit(false);
    } else {
      for (const DodBucket& b : kDodBuckets) {
        if (!FitsSigned(dod, b.bits)) continue;
        writer_.WriteBits((uint64_t{1} << b.prefix_ones) - 1, b.prefix_ones);
        if (b.prefix_ones < kMaxPrefixOnes) writer_.WriteBit(false);
        writer_.WriteBits(static_cast<uint64_t>(dod), b.bits);
        break;
      }
    }
    state_.delta = delta;
    WriteValue(v_bits);
  }
  state_.t = t;
  state_.v_bits = v_bits;
  ++state_.count;
}

void XorChunk::WriteValue(uint64_t v_bits) {
  const uint64_t x = v_bits ^ state_.v_bits;
  if (x == 0) {
    writer_.WriteBit(false);
    return;
  }
  writer_.WriteBit(true);
  int leading = std::countl_zero(x);
  const int trailing = std::countr_zero(x);
  if (leading > 31) leading = 31;  // five bits to store it
  if (state_.leading != 0xff && leading >= state_.leading && trailing >= state_.trailing) {
    writer_.WriteBit(false);
    writer_.WriteBits(x >> state_.trailing, 64 - state_.leading - state_.trailing);
    return;
  }
  const int sig = 64 - leading - trailing;
  writer_.WriteBit(true);
  writer_.WriteBits(static_cast<uint64_t>(leading), 5);
  writer_.WriteBits(static_cast<uint64_t>(sig & 63), 6);
  writer_.WriteBits(x >> trailing, sig);
  state_.leading = static_cast<uint8_t>(leading);
  state_.trailing = static_cast<uint8_t>(trailing);
}

void XorChunk::Decode(int64_t mint, int64_t maxt, std::vector<promql::Point>* out) const {
  if (state_.count == 0 || maxt < min_t_ || mint > state_.t) return;
  XorIterator it = Iterator();
  while (it.Next()) {
    if (it.t() > maxt) break;
    if (it.t() >= mint) out->push_back(promql::Point{it.t(), it.v()});
  }
}

}  // namespace smoke::tsdb
