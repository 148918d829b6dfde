#pragma once
// The alertmanager probe: is an Alertmanager healthy, ready, and its cluster settled? Each run
// (the target is its base URL):
//   GET /-/healthy      check "healthy"  (reason unhealthy)
//   GET /-/ready        check "ready"    (reason not_ready)         check_ready
//   GET /api/v2/status  check "cluster"  (reason cluster_degraded)  check_cluster
// The cluster passes when its status is "ready", or "disabled" (a single node) while min_peers
// is 0; with min_peers it must be enabled and see that many peers, itself included. Gauges:
// smoke_alertmanager_cluster_peers and smoke_alertmanager_cluster_status{status}. The status
// response also carries the running config, with receiver credentials: it is never kept as
// evidence. Whether alerts actually get through is the alert_pipeline probe's job.
// Thread-safety: immutable after Create; Run may be called concurrently.

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/service_client.h"

namespace smoke::probes {

class AlertmanagerProbe : public Probe {
 public:
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);
  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  AlertmanagerProbe(config::ProbeSpec spec, ServiceClient client)
      : spec_(std::move(spec)), client_(std::move(client)) {}

  config::ProbeSpec spec_;
  ServiceClient client_;
};

}  // namespace smoke::probes
