#pragma once
// Helpers shared by the monitoring-stack probes for turning lists of problems into check
// values a person can act on, and the help texts of their gauges.
// Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/probe_result.h"

namespace smoke::probes {

// At most `limit` items joined by "; ", then "; and N more". Each item is cut to 200 bytes.
std::string JoinProblems(const std::vector<std::string>& items, size_t limit = 5);

// A gauge of one of the monitoring-stack probes (help text from their table).
core::Measurement MonitoringGauge(std::string_view name, double value,
                                  std::vector<std::pair<std::string, std::string>> labels = {});

// Default fallback timeout when a probe is run without a deadline and without a timeout.
inline constexpr core::Duration kMonitoringFallbackTimeout = std::chrono::seconds(10);

}  // namespace smoke::probes
