#pragma once
// The jaeger probe, against the query service (the target is its base URL, e.g.
// http://jaeger:16686):
//   GET /              check "ui"        (status 200, reason unhealthy)        check_ui
//   GET /api/services  check "services"  (status 200 and {"data":[...]}, reason unhealthy;
//                                         Jaeger's {"errors":[{"msg":...}]} is quoted)
//                      check "service_<name>" per required service (reason service_missing)
// A required service that is missing means no span of it reached the collector within the
// storage's retention: tracing is broken for it even though the UI answers (seed 003 counted
// "Jaeger UI accessible" as tracing working). Gauge: smoke_jaeger_services.
// Thread-safety: immutable after Create; Run may be called concurrently.

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/service_client.h"

namespace smoke::probes {

class JaegerProbe : public Probe {
 public:
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);
  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  JaegerProbe(config::ProbeSpec spec, ServiceClient client)
      : spec_(std::move(spec)), client_(std::move(client)) {}

  config::ProbeSpec spec_;
  ServiceClient client_;
};

}  // namespace smoke::probes
