#pragma once
// The burst probe (kind: burst): a bounded load burst against one endpoint, the "Performance"
// category of seed 000 made continuous. `concurrency` clients each send the configured request,
// one after another, until `duration` has passed or `requests` were sent in total; then the probe
// reports p50/p95/p99, mean, throughput and error rate, each also as a ratio to the configured
// baseline, and fails (or, with severity warn, degrades) when a bound is exceeded.
//
// Concurrency model: one thread per client, each running the same libcurl request path as the
// http probe (CurlHttpClient::Execute, a fresh connection per request). With at most 64 clients
// for at most 60 s, threads cost little, keep every request's deadline, error classification and
// TLS settings identical to the http probe's, and measure each request on its own; a curl-multi
// event loop would need a new adapter in clients/ and would add its own scheduling delay to the
// latencies it measures when one thread services 64 transfers on a busy host.
// Thread-safety: immutable after Create; Run may be called concurrently (each run has its own
// threads).

#include "exporter/clients/http_client.h"
#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"

namespace smoke::probes {

// Gauge names (help texts in burst_probe.cc).
inline constexpr std::string_view kBurstRequests = "smoke_burst_requests";
inline constexpr std::string_view kBurstErrors = "smoke_burst_errors";
inline constexpr std::string_view kBurstErrorRatio = "smoke_burst_error_ratio";
inline constexpr std::string_view kBurstThroughput = "smoke_burst_throughput_requests_per_second";
inline constexpr std::string_view kBurstLatency = "smoke_burst_latency_seconds";
inline constexpr std::string_view kBurstLatencyMean = "smoke_burst_latency_mean_seconds";
inline constexpr std::string_view kBurstLatencyMax = "smoke_burst_latency_max_seconds";
inline constexpr std::string_view kBurstDuration = "smoke_burst_duration_seconds";
inline constexpr std::string_view kBurstConcurrency = "smoke_burst_concurrency";
inline constexpr std::string_view kBurstBaselineRatio = "smoke_burst_baseline_ratio";

class BurstProbe : public Probe {
 public:
  // Fails for a target libcurl cannot use, an unsupported TLS setting, both basic_auth and
  // bearer_token set, or a burst outside the hard caps (config/burst_spec.h).
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);

  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  BurstProbe(config::ProbeSpec spec, clients::ConnectOptions connect);

  config::ProbeSpec spec_;
  clients::ConnectOptions connect_;
  clients::CurlHttpClient client_;
};

}  // namespace smoke::probes
