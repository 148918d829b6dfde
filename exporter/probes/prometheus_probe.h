#pragma once
// The prometheus probe: is a Prometheus server healthy, ready, scraping its targets and
// evaluating its rules? Each run (the target is the server's base URL):
//   GET /-/healthy                     check "healthy"      (reason unhealthy)
//   GET /-/ready                       check "ready"        (reason not_ready)       check_ready
//   GET /api/v1/targets?state=active   check "targets_up"   (reason targets_down)    check_targets
//                                      check "job_<job>" per required job (reason targets_down)
//   GET /api/v1/rules                  check "rules_healthy" (reason rules_failing)  check_rules
// A failing check names what failed: every down target by job/instance with its lastError, every
// failing rule by group/name with its lastError. Targets that were never scraped ("unknown") and
// rules never evaluated are not failures. Gauges: smoke_prometheus_targets{health} and
// smoke_prometheus_rules{health}. A seed report's "Prometheus Health: healthy and accessible"
// passed while nothing proved that Prometheus could reach the API it monitors; this probe fails
// then.
// Thread-safety: immutable after Create; Run may be called concurrently.

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/service_client.h"

namespace smoke::probes {

class PrometheusProbe : public Probe {
 public:
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);
  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  PrometheusProbe(config::ProbeSpec spec, ServiceClient client)
      : spec_(std::move(spec)), client_(std::move(client)) {}

  config::ProbeSpec spec_;
  ServiceClient client_;
};

}  // namespace smoke::probes
