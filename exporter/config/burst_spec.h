#pragma once
// The `burst:` block of a `kind: burst` probe: every interval, C concurrent clients send requests
// to one endpoint until D seconds have passed or R requests were sent, whichever comes first.
// The request itself (method, headers, TLS, credentials) is the probe's HttpSpec, read from
// `burst.request`. burst_parser.h has the YAML and the hard caps; exporter/probes/burst_probe.h
// runs it.
// Thread-safety: plain data, immutable after loading.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/probe_result.h"

namespace smoke::config {

// The statistics a burst measures, compared with a baseline.
enum class BurstStat { kP50, kP95, kP99, kMean, kThroughput, kSuccessRate };

// "p50", "p95", "p99", "mean", "throughput", "success_rate": the YAML key and the `stat` label.
std::string_view BurstStatName(BurstStat stat);

// A measured statistic divided by its baseline must stay <= (latency) or >= (throughput,
// success rate) `ratio`.
struct BurstBound {
  BurstStat stat = BurstStat::kP95;
  double ratio = 0;
};

// Hard caps: a burst is load on someone's service, so no config can make it unbounded.
inline constexpr int kBurstMaxConcurrency = 64;
inline constexpr int64_t kBurstMaxRequests = 10000;
inline constexpr core::Duration kBurstMaxDuration = std::chrono::seconds(60);
inline constexpr core::Duration kBurstMaxRequestTimeout = std::chrono::seconds(30);
// Bursts are not heartbeats: they run every few minutes at most.
inline constexpr core::Duration kBurstMinInterval = std::chrono::minutes(1);

struct BurstSpec {
  int concurrency = 10;
  core::Duration duration = std::chrono::seconds(10);
  int64_t requests = 1000;
  core::Duration request_timeout = std::chrono::seconds(5);
  // Statuses that count as success; anything else (and every transport error) is an error.
  std::vector<std::pair<int, int>> expect_status = {{200, 299}};
  double max_error_rate = 0.01;  // share of failed requests above which the probe fails
  // Baseline values (seconds for latencies, requests/s for throughput, 0..1 for success rate).
  std::vector<std::pair<BurstStat, double>> baseline;
  std::vector<BurstBound> max_ratio;                // p50, p95, p99, mean
  std::vector<BurstBound> min_ratio;                // throughput, success_rate
  core::Severity severity = core::Severity::kFail;  // of the ratio checks
};

}  // namespace smoke::config
