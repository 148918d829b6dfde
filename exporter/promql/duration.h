#pragma once
// PromQL's duration literals as prometheus/common's model.Duration reads and prints them. This
// differs from core::ParseDuration/FormatDuration in the details PromQL users see: errors carry
// Go's wording, and printing writes years and weeks only when they divide the duration exactly
// ("90d", not "12w6d"), so a printed expression reads as Prometheus prints it.
// Thread-safety: pure functions; safe to use from any thread.

#include <string>
#include <string_view>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"

namespace smoke::promql {

// "1h30m", "5m", "500ms", "2w", "1y", "0". Units in decreasing order, each at most once; the
// errors are `not a valid duration string: "5m1h"` and `duration out of range`.
core::Result<core::Duration> ParseModelDuration(std::string_view text);

// Millisecond precision; "0s" for zero. Negative durations are not expected (the printer writes
// the sign itself).
std::string FormatModelDuration(core::Duration d);

}  // namespace smoke::promql
