#pragma once
// The standard process_* metrics every Prometheus client exports (CPU, memory, fds, start time),
// read from /proc/self on Linux. prometheus-cpp does not ship them.

#include <chrono>
#include <vector>

#include <prometheus/metric_family.h>

namespace smoke::server {

std::vector<prometheus::MetricFamily> CollectProcessMetrics(
    std::chrono::system_clock::time_point start_time);

}  // namespace smoke::server
