#include "exporter/probes/burst_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace smoke::probes {

double NearestRankPercentile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(q * static_cast<double>(values.size()));
  const size_t index =
      static_cast<size_t>(std::clamp(rank, 1.0, static_cast<double>(values.size()))) - 1;
  return values[index];
}

BurstStats SummarizeBurst(std::vector<double> latencies, int64_t requests, int64_t successes,
                          double wall_seconds) {
  BurstStats s;
  s.requests = requests;
  s.responses = static_cast<int64_t>(latencies.size());
  s.successes = successes;
  s.errors = requests - successes;
  s.wall_seconds = wall_seconds;
  if (!latencies.empty()) {
    s.p50 = NearestRankPercentile(latencies, 0.50);
    s.p95 = NearestRankPercentile(latencies, 0.95);
    s.p99 = NearestRankPercentile(latencies, 0.99);
    s.max = latencies.back();  // sorted by the calls above
    s.mean = std::accumulate(latencies.begin(), latencies.end(), 0.0) /
             static_cast<double>(latencies.size());
  }
  if (requests > 0) {
    s.error_rate = static_cast<double>(s.errors) / static_cast<double>(requests);
    s.success_rate = static_cast<double>(successes) / static_cast<double>(requests);
  }
  if (wall_seconds > 0) s.throughput = static_cast<double>(successes) / wall_seconds;
  return s;
}

}  // namespace smoke::probes
