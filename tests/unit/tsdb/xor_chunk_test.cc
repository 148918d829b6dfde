// The bit stream and the Gorilla chunk: every timestamp and every value bit pattern comes back
// exactly, a chunk rebuilt from its bytes continues where it stopped, and corrupt bytes are an
// error rather than a crash.

#include "exporter/tsdb/xor_chunk.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "exporter/promql/storage.h"
#include "exporter/tsdb/bit_stream.h"

namespace smoke::tsdb {
namespace {

struct Raw {
  int64_t t;
  uint64_t v_bits;
  friend bool operator==(const Raw& a, const Raw& b) { return a.t == b.t && a.v_bits == b.v_bits; }
};

std::vector<Raw> DecodeAll(const XorChunk& c) {
  std::vector<Raw> out;
  XorIterator it = c.Iterator();
  while (it.Next()) out.push_back({it.t(), std::bit_cast<uint64_t>(it.v())});
  EXPECT_FALSE(it.corrupt());
  return out;
}

TEST(BitStreamTest, RoundTripsRandomWidthsAndVarints) {
  std::mt19937_64 rng(7);
  struct Item {
    int n;  // 0: a varint
    uint64_t v;
  };
  std::vector<Item> items;
  BitWriter w;
  for (int i = 0; i < 5000; ++i) {
    const int n = static_cast<int>(rng() % 65);
    uint64_t v = rng();
    if (n == 0) {
      v >>= rng() % 64;
      w.WriteUvarint(v);
    } else {
      if (n < 64) v &= (uint64_t{1} << n) - 1;
      w.WriteBits(v, n);
    }
    items.push_back({n, v});
  }
  BitReader r(w.bytes());
  for (const Item& item : items) {
    uint64_t got = 0;
    if (item.n == 0) {
      ASSERT_TRUE(r.ReadUvarint(&got));
    } else {
      ASSERT_TRUE(r.ReadBits(item.n, &got));
    }
    ASSERT_EQ(got, item.v);
  }
  EXPECT_EQ(r.position(), w.bit_length());
  uint64_t rest = 0;
  EXPECT_FALSE(r.ReadBits(static_cast<int>(w.bytes().size() * 8 - r.position()) + 1, &rest));
}

TEST(BitStreamTest, ContinuesAfterAGivenBitLength) {
  BitWriter a;
  a.WriteBits(0b101, 3);
  // Garbage after the valid bits must not leak into what is written next.
  BitWriter b(std::vector<uint8_t>{0b10111111}, 3);
  b.WriteBits(0b01, 2);
  a.WriteBits(0b01, 2);
  EXPECT_EQ(a.bytes(), b.bytes());
  EXPECT_EQ(b.bit_length(), 5u);
}

// Values whose bit patterns must survive: NaN payloads (the staleness marker among them), signed
// zeros, infinities, denormals, extremes.
std::vector<uint64_t> EdgeValueBits() {
  return {promql::kStaleNaNBits,
          0x7ff8000000000001ULL,  // Prometheus's normal NaN
          std::bit_cast<uint64_t>(std::numeric_limits<double>::quiet_NaN()),
          0xfff0000000000001ULL,  // a negative signalling NaN
          std::bit_cast<uint64_t>(0.0),
          std::bit_cast<uint64_t>(-0.0),
          std::bit_cast<uint64_t>(HUGE_VAL),
          std::bit_cast<uint64_t>(-HUGE_VAL),
          std::bit_cast<uint64_t>(std::numeric_limits<double>::denorm_min()),
          std::bit_cast<uint64_t>(std::numeric_limits<double>::max()),
          std::bit_cast<uint64_t>(std::numeric_limits<double>::lowest()),
          std::bit_cast<uint64_t>(1.0),
          0xffffffffffffffffULL,
          1};
}

TEST(XorChunkTest, RoundTripsRandomSeriesBitExactly) {
  std::mt19937_64 rng(1234);
  const std::vector<uint64_t> edges = EdgeValueBits();
  for (int round = 0; round < 2000; ++round) {
    std::vector<Raw> want;
    // Start anywhere, the extremes included.
    int64_t t = round % 3 == 0
                    ? std::numeric_limits<int64_t>::min() + static_cast<int64_t>(rng() % 10)
                : round % 3 == 1 ? static_cast<int64_t>(rng() % 2'000'000'000'000)
                                 : -static_cast<int64_t>(rng() % 1'000'000);
    const int n = 1 + static_cast<int>(rng() % XorChunk::kMaxSamples);
    double walk = 0;
    for (int i = 0; i < n; ++i) {
      if (i > 0) {
        // Deltas from each delta-of-delta bucket, including ones that need 64 bits.
        int64_t step = 0;
        switch (rng() % 6) {
          case 0:
            step = 15'000;
            break;
          case 1:
            step = 15'000 + static_cast<int64_t>(rng() % 3) - 1;
            break;
          case 2:
            step = 1 + static_cast<int64_t>(rng() % 1'000);
            break;
          case 3:
            step = 1 + static_cast<int64_t>(rng() % 1'000'000);
            break;
          case 4:
            step = 1 + static_cast<int64_t>(rng() % (int64_t{1} << 40));
            break;
          default:
            step = 1;
            break;
        }
        if (t > std::numeric_limits<int64_t>::max() - step) break;  // no room left
        t += step;
      }
      uint64_t v = 0;
      switch (rng() % 5) {
        case 0:
          v = edges[rng() % edges.size()];
          break;
        case 1:
          v = rng();
          break;
        case 2:
          walk += static_cast<double>(rng() % 3);
          v = std::bit_cast<uint64_t>(walk);
          break;
        case 3:
          v = want.empty() ? 0 : want.back().v_bits;
          break;
        default:
          v = std::bit_cast<uint64_t>(static_cast<double>(rng() % 2));
          break;
      }
      want.push_back({t, v});
    }
    XorChunk c;
    for (const Raw& r : want) c.Append(r.t, std::bit_cast<double>(r.v_bits));
    ASSERT_EQ(DecodeAll(c), want) << "round " << round;
    EXPECT_EQ(c.min_time(), want.front().t);
    EXPECT_EQ(c.max_time(), want.back().t);
    EXPECT_EQ(c.count(), want.size());
  }
}

TEST(XorChunkTest, HandlesTheWidestTimestampGap) {
  XorChunk c;
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  c.Append(lo, 1);
  c.Append(lo + 1, 2);
  c.Append(hi - 1, 3);  // a delta-of-delta beyond int64 when computed exactly
  c.Append(hi, 4);
  EXPECT_EQ(DecodeAll(c), (std::vector<Raw>{{lo, std::bit_cast<uint64_t>(1.0)},
                                            {lo + 1, std::bit_cast<uint64_t>(2.0)},
                                            {hi - 1, std::bit_cast<uint64_t>(3.0)},
                                            {hi, std::bit_cast<uint64_t>(4.0)}}));
}

TEST(XorChunkTest, DecodeReturnsOnlyTheInclusiveRange) {
  XorChunk c;
  for (int64_t t = 1; t <= 10; ++t) c.Append(t * 1000, static_cast<double>(t));
  std::vector<promql::Point> out;
  c.Decode(3000, 5000, &out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out.front().t, 3000);
  EXPECT_EQ(out.back().t, 5000);
  out.clear();
  c.Decode(10'001, 20'000, &out);
  EXPECT_TRUE(out.empty());
}

TEST(XorChunkTest, RebuiltChunkDecodesAndAppendsLikeTheOriginal) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 200; ++round) {
    XorChunk original;
    const int n = 1 + static_cast<int>(rng() % (XorChunk::kMaxSamples - 1));
    int64_t t = 1'700'000'000'000;
    for (int i = 0; i < n; ++i) {
      t += 15'000 + static_cast<int64_t>(rng() % 3) - 1;
      original.Append(t, static_cast<double>(rng() % 100) / 8);
    }
    auto rebuilt = XorChunk::FromEncoding(original.bytes(), original.count());
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().message();
    XorChunk copy = *rebuilt;
    ASSERT_EQ(DecodeAll(copy), DecodeAll(original));
    // Appending to both must produce the same bytes: the appender state was recovered.
    for (int i = n; i < XorChunk::kMaxSamples; ++i) {
      t += 15'000;
      const double v = static_cast<double>(rng() % 7);
      original.Append(t, v);
      copy.Append(t, v);
    }
    ASSERT_EQ(copy.bytes(), original.bytes()) << "round " << round;
    EXPECT_TRUE(copy.full());
  }
}

TEST(XorChunkTest, RejectsTruncatedOrCorruptEncodings) {
  XorChunk c;
  for (int64_t t = 0; t < 50; ++t) c.Append(t * 15'000 + (t % 2), std::sin(static_cast<double>(t)));
  const std::vector<uint8_t> bytes = c.bytes();
  for (size_t len = 0; len < bytes.size(); ++len) {
    std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(len));
    EXPECT_FALSE(XorChunk::FromEncoding(prefix, c.count()).ok()) << "length " << len;
  }
  EXPECT_FALSE(XorChunk::FromEncoding(bytes, 0).ok());
  EXPECT_FALSE(XorChunk::FromEncoding(bytes, XorChunk::kMaxSamples + 1).ok());
  // More samples than the bits hold (a few padding bits may decode as one more sample).
  EXPECT_FALSE(XorChunk::FromEncoding(bytes, XorChunk::kMaxSamples).ok());
  // Flipped bits either decode to something self-consistent or are rejected; never a crash.
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> flipped = bytes;
    flipped[rng() % flipped.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    auto r = XorChunk::FromEncoding(flipped, c.count());
    if (r.ok()) {
      EXPECT_EQ(r->count(), c.count());
    }
  }
}

}  // namespace
}  // namespace smoke::tsdb
