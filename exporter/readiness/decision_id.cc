#include "exporter/readiness/decision_id.h"

namespace smoke::readiness {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int DecodeChar(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

DecisionIdGenerator::DecisionIdGenerator() : rng_(std::random_device{}()) {}

std::string DecisionIdGenerator::Next(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t ms = now_ms < 0 ? 0 : static_cast<uint64_t>(now_ms) & ((uint64_t{1} << 48) - 1);
  if (ms <= last_ms_ && last_ms_ != 0) {
    // Same millisecond (or the clock stepped back): keep the time, increment the randomness.
    ms = last_ms_;
    if (++rand_lo_ == 0) ++rand_hi_;
  } else {
    rand_lo_ = rng_();
    rand_hi_ = static_cast<uint16_t>(rng_());
    // Leave room to increment within one millisecond without overflowing into the time.
    rand_hi_ &= 0x7fff;
  }
  last_ms_ = ms;
  // 26 characters: 10 for the 48-bit time (50 bits, top 2 zero), 16 for 80 random bits.
  std::string out(26, '0');
  uint64_t t = ms;
  for (int i = 9; i >= 0; --i) {
    out[i] = kAlphabet[t & 31];
    t >>= 5;
  }
  uint64_t lo = rand_lo_;
  uint64_t hi = rand_hi_;
  for (int i = 25; i >= 10; --i) {
    out[i] = kAlphabet[lo & 31];
    lo = (lo >> 5) | ((hi & 31) << 59);
    hi >>= 5;
  }
  return out;
}

int64_t DecisionIdTime(const std::string& id) {
  if (id.size() != 26) return -1;
  int64_t t = 0;
  for (int i = 0; i < 10; ++i) {
    const int d = DecodeChar(id[i]);
    if (d < 0) return -1;
    t = t * 32 + d;
  }
  for (int i = 10; i < 26; ++i) {
    if (DecodeChar(id[i]) < 0) return -1;
  }
  return t;
}

}  // namespace smoke::readiness
