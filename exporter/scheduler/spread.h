#pragma once
// Where inside its interval each probe runs. Without spreading, a config with hundreds of probes
// at the same interval fires them all in the same instant every interval: a thundering herd
// against shared targets and a saturated worker pool (the same reason Prometheus offsets each
// scrape target by a hash of its identity).

#include <cstdint>
#include <random>
#include <string_view>

#include "exporter/core/clock.h"

namespace smoke::scheduler {

// The first run of a probe is this far after the moment it is added: a stable hash of the name
// modulo min(interval, kMaxFirstRunOffset). Stable (FNV-1a, not std::hash) so that a restart or a
// reload puts a probe back at the same phase. Probes at intervals up to the cap are spread over
// their whole interval, as Prometheus spreads scrapes (at 10k probes every 15 s, a 5 s cap put
// every run into the first third of each interval: bench/RESULTS.md, "scheduled"); the cap keeps
// a probe with a long interval reporting soon after startup.
inline constexpr core::Duration kMaxFirstRunOffset = std::chrono::seconds(15);
core::Duration FirstRunOffset(std::string_view name, core::Duration interval);

// Per-run random delay, uniform in [0, fraction * interval). Spreads probes that hash to nearby
// offsets and breaks lockstep with other periodic work on the same targets.
// Thread-safety: not thread-safe (the scheduler calls it under its lock).
class Jitter {
 public:
  // fraction is clamped to [0, 1]; seed 0 draws a random seed.
  Jitter(double fraction, uint64_t seed);

  core::Duration Next(core::Duration interval);
  double fraction() const { return fraction_; }

 private:
  double fraction_;
  std::mt19937_64 rng_;
};

}  // namespace smoke::scheduler
