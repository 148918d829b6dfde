#include "exporter/scheduler/spread.h"

#include <algorithm>
#include <cmath>

namespace smoke::scheduler {
namespace {

uint64_t Fnv1a64(std::string_view s) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : s) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

uint64_t SeedOrRandom(uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

}  // namespace

core::Duration FirstRunOffset(std::string_view name, core::Duration interval) {
  const core::Duration cap = std::min(interval, kMaxFirstRunOffset);
  if (cap <= core::Duration::zero()) return core::Duration::zero();
  return core::Duration(
      static_cast<core::Duration::rep>(Fnv1a64(name) % static_cast<uint64_t>(cap.count())));
}

Jitter::Jitter(double fraction, uint64_t seed)
    // !(x > 0) also maps NaN to 0.
    : fraction_(!(fraction > 0) ? 0.0 : std::min(fraction, 1.0)), rng_(SeedOrRandom(seed)) {}

core::Duration Jitter::Next(core::Duration interval) {
  const double span = static_cast<double>(interval.count()) * fraction_;
  if (!(span > 0)) return core::Duration::zero();
  // ceil(span) - 1 is the largest whole number of nanoseconds strictly below the span.
  const auto max = static_cast<core::Duration::rep>(std::ceil(span)) - 1;
  std::uniform_int_distribution<core::Duration::rep> dist(0, max);
  return core::Duration(dist(rng_));
}

}  // namespace smoke::scheduler
