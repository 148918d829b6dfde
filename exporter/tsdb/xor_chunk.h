#pragma once
// A chunk of up to 120 samples of one series in the Gorilla encoding (Facebook's Gorilla paper;
// Prometheus's tsdb/chunkenc XORChunk): the first timestamp as a varint, the second as a delta,
// then delta-of-deltas in variable-width buckets; the first value raw, then each value XORed with
// the previous one, storing only the meaningful bits.
//
// The timestamp buckets are narrower than Prometheus's because our series come from a self-scrape
// on a fixed interval with a few milliseconds of jitter: a delta-of-delta within [-8, 7] ms costs
// 6 bits here where Prometheus spends 16, which is what keeps a probe series under 2 bytes per
// sample. Layout after the first two samples:
//   delta-of-delta  0: '0' | [-8,7]: '10'+4 bits | [-512,511]: '110'+10 | [-2^19,2^19): '1110'+20
//                   | otherwise '1111'+64 (two's complement, wrapping: any int64 pair round-trips)
//   value XOR prev  0: '0' | fits the previous window: '10'+bits | else '11'+5 bits leading zeros
//                   +6 bits length (64 stored as 0)+bits
// Values are compared and stored as bit patterns, so every NaN (the staleness marker included),
// -0 and the infinities round-trip exactly.
// Thread-safety: none; the owner (MemoryStorage) serialises access.

#include <cstdint>
#include <span>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/promql/value.h"
#include "exporter/tsdb/bit_stream.h"

namespace smoke::tsdb {

// The encoder's and decoder's running state: what the next sample is encoded against.
struct XorState {
  uint16_t count = 0;
  int64_t t = 0;
  uint64_t delta = 0;  // t - previous t, modulo 2^64
  uint64_t v_bits = 0;
  uint8_t leading = 0xff;  // of the current XOR window; 0xff: no window yet
  uint8_t trailing = 0;
};

// Decodes a chunk's samples in order. A truncated or inconsistent encoding ends the iteration
// with corrupt() set.
class XorIterator {
 public:
  XorIterator(std::span<const uint8_t> bytes, uint16_t count) : reader_(bytes), total_(count) {}

  bool Next();
  int64_t t() const { return state_.t; }
  double v() const;
  bool corrupt() const { return corrupt_; }
  const XorState& state() const { return state_; }
  uint64_t bit_position() const { return reader_.position(); }

 private:
  bool ReadValue();

  BitReader reader_;
  uint16_t total_;
  XorState state_;
  bool corrupt_ = false;
};

class XorChunk {
 public:
  static constexpr uint16_t kMaxSamples = 120;

  XorChunk() = default;
  // Rebuilds a chunk (e.g. from a snapshot) and decodes it whole, so a corrupt encoding is
  // rejected here rather than found by a later query. The chunk can be appended to.
  static core::Result<XorChunk> FromEncoding(std::vector<uint8_t> bytes, uint16_t count);

  // The caller keeps timestamps strictly increasing and count() below kMaxSamples.
  void Append(int64_t t, double v);

  uint16_t count() const { return state_.count; }
  bool full() const { return state_.count >= kMaxSamples; }
  int64_t min_time() const { return min_t_; }
  int64_t max_time() const { return state_.t; }
  uint64_t last_value_bits() const { return state_.v_bits; }
  const std::vector<uint8_t>& bytes() const { return writer_.bytes(); }
  // Releases the slack of the byte buffer once the chunk is closed.
  void Close() { writer_.ShrinkToFit(); }

  XorIterator Iterator() const { return XorIterator(writer_.bytes(), state_.count); }
  // Appends the samples with mint <= t <= maxt to `out`.
  void Decode(int64_t mint, int64_t maxt, std::vector<promql::Point>* out) const;

 private:
  void WriteValue(uint64_t v_bits);

  BitWriter writer_;
  XorState state_;
  int64_t min_t_ = 0;
};

}  // namespace smoke::tsdb
