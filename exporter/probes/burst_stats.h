#pragma once
// The numbers a load burst reports, computed from its samples: latency percentiles (nearest
// rank, as load tools such as hey and wrk report them), mean, max, throughput and error share.
// Kept apart from the probe so the arithmetic is testable without a network.
// Thread-safety: pure functions.

#include <cstdint>
#include <vector>

namespace smoke::probes {

struct BurstStats {
  int64_t requests = 0;   // sent (every one either answered or failed in transport)
  int64_t responses = 0;  // answered with any status
  int64_t successes = 0;  // answered with an expected status
  int64_t errors = 0;     // requests - successes
  // Over the answered requests; 0 when none was answered. Seconds.
  double p50 = 0, p95 = 0, p99 = 0, mean = 0, max = 0;
  double wall_seconds = 0;
  double throughput = 0;    // successes per second of wall time
  double error_rate = 0;    // errors / requests (0..1); 0 for no requests
  double success_rate = 0;  // successes / requests (0..1); 0 for no requests
};

// The q-quantile (0 < q <= 1) of `values` by nearest rank: the smallest value with at least q of
// all values at or below it. `values` is sorted in place. 0 for no values.
double NearestRankPercentile(std::vector<double>& values, double q);

// `latencies`: seconds of every answered request (any status).
BurstStats SummarizeBurst(std::vector<double> latencies, int64_t requests, int64_t successes,
                          double wall_seconds);

}  // namespace smoke::probes
