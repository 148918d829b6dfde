#pragma once
// The metrics probe: would Prometheus be able to scrape this /metrics page, and does it export
// what dashboards and alerts need? Each run GETs the target (Accept: text/plain;
// version=0.0.4) and parses the body strictly with the same parser the embedded rule engine
// uses (tsdb/exposition_parser.h), so a page that fails here would fail a real scrape.
// Checks, in order:
//   "status"          2xx (reason status)
//   "parse"           the body is valid text exposition (reason metrics_parse); the actual value
//                     and the evidence hold the parser's "line N, column M: ..." and that line
//   "min_families"    at least min_families metric families (reason metric_missing)
//   "max_series"      at most max_series samples (reason assertion)
//   "metric_<name>[_<label>_<value>...]"  each required metric / series (reason metric_missing)
// Gauges: smoke_metrics_families, smoke_metrics_series, probe_http_status_code and the
// connection gauges. Seed 003 passed "Prometheus Metrics Endpoint: 14 metrics, valid format"
// from a grep; this probe counts what a scrape would ingest.
// Thread-safety: immutable after Create; Run may be called concurrently.

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/service_client.h"

namespace smoke::probes {

class MetricsProbe : public Probe {
 public:
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);
  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  MetricsProbe(config::ProbeSpec spec, ServiceClient client)
      : spec_(std::move(spec)), client_(std::move(client)) {}

  config::ProbeSpec spec_;
  ServiceClient client_;
};

}  // namespace smoke::probes
