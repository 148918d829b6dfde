#pragma once
// The scheduler's two worker lanes (scheduler.h): probes that answer quickly, and probes whose
// last run was slow. Also the `lane` label of the scheduler's metrics.

#include <algorithm>
#include <chrono>

#include "exporter/core/clock.h"

namespace smoke::scheduler {

enum class Lane { kFast = 0, kSlow = 1 };

inline const char* LaneName(Lane lane) { return lane == Lane::kSlow ? "slow" : "fast"; }

// A run is slow once it has taken `slow_after` or half its timeout, whichever is less. Healthy
// targets answer in milliseconds; a blackholed one holds its worker until the timeout, and the
// sooner its run leaves the fast lane, the fewer fast workers the first runs against hundreds of
// them can occupy at once.
inline constexpr core::Duration kDefaultSlowAfter = std::chrono::milliseconds(250);
inline core::Duration SlowThreshold(core::Duration timeout, core::Duration slow_after) {
  return std::min(timeout / 2, slow_after);
}

}  // namespace smoke::scheduler
