#pragma once
// Prometheus duration strings: "500ms", "15s", "1m30s", "1h", "2d", "1w", "1y" (units in
// decreasing order, each at most once), as in prometheus/common/model.ParseDuration.

#include <string>
#include <string_view>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"

namespace smoke::core {

Result<Duration> ParseDuration(std::string_view text);
// Shortest Prometheus form: 90s -> "1m30s", 0 -> "0s", 1.5ms -> "1.5ms".
std::string FormatDuration(Duration d);

}  // namespace smoke::core
