#pragma once
// The grafana probe: GET /api/health (no credentials needed), as Grafana documents it:
//   200 {"commit":"...","database":"ok","version":"10.4.2"}
//   503 {"commit":"...","database":"failing","version":"10.4.2"} when its database is unusable.
// Checks, in order: "database" ("database": "ok", reason database_unhealthy; check_database),
// "healthy" (status 200, reason unhealthy) and "health_json" (the body is that JSON, reason
// json). The version and commit go into the evidence. A seed report counted "Grafana container
// running" as monitoring being healthy; a Grafana whose database is gone passes that and fails
// this.
// Thread-safety: immutable after Create; Run may be called concurrently.

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/service_client.h"

namespace smoke::probes {

class GrafanaProbe : public Probe {
 public:
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);
  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  GrafanaProbe(config::ProbeSpec spec, ServiceClient client)
      : spec_(std::move(spec)), client_(std::move(client)) {}

  config::ProbeSpec spec_;
  ServiceClient client_;
};

}  // namespace smoke::probes
