#pragma once
// Decision ids: unique and sortable by time, so the decision log and a deploy script's output
// can be matched and ordered by id alone. The format is a ULID (26 characters of Crockford
// base32: 48 bits of Unix milliseconds, then 80 random bits); ids made in the same millisecond
// increase by one, so they stay strictly increasing even when the clock does not move.
// Thread-safety: Next() is thread-safe.

#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace smoke::readiness {

class DecisionIdGenerator {
 public:
  DecisionIdGenerator();
  // `now_ms` is the decision's time; a clock that steps back never makes an id smaller.
  std::string Next(int64_t now_ms);

 private:
  std::mutex mu_;
  std::mt19937_64 rng_;
  uint64_t last_ms_ = 0;
  // The 80 random bits of the last id: hi 16 bits, lo 64 bits.
  uint16_t rand_hi_ = 0;
  uint64_t rand_lo_ = 0;
};

// The millisecond timestamp of an id, or -1 if `id` is not a ULID.
int64_t DecisionIdTime(const std::string& id);

}  // namespace smoke::readiness
