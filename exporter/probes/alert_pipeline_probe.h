#pragma once
// The alert_pipeline probe: proves by behaviour that an Alertmanager accepts and stores alerts,
// instead of trusting its health endpoint (seed 003 shipped with "Alertmanager: Up (unhealthy)").
// Each run (the target is Alertmanager's base URL):
//   1. POST /api/v2/alerts a heartbeat: labels alertname (default SmokeExporterHeartbeat),
//      probe=<probe name>, nonce=<random, new each run> and the configured extra labels;
//      startsAt now, endsAt now + ends_after, so it resolves by itself.
//      Check "accepted": status 200 (reason alert_rejected, with Alertmanager's error text).
//   2. GET /api/v2/alerts?filter=alertname="..."&filter=nonce="..." until the alert appears or
//      the run's deadline is near. Check "visible" (reason alert_missing).
//   3. With expect_receiver, check "receiver": Alertmanager routes the alert to that receiver
//      (reason alert_misrouted), which exercises the routing tree.
// An Alertmanager that is down fails at step 1 with the transport reason (connection_refused,
// timeout, ...). Gauge: smoke_alert_pipeline_visible_seconds. Route the heartbeat to a receiver
// that notifies nobody (or a dead man's switch): it is posted every interval.
// Thread-safety: immutable after Create; Run may be called concurrently (each run has its own
// nonce).

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/service_client.h"

namespace smoke::probes {

class AlertPipelineProbe : public Probe {
 public:
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);
  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  AlertPipelineProbe(config::ProbeSpec spec, ServiceClient client)
      : spec_(std::move(spec)), client_(std::move(client)) {}

  config::ProbeSpec spec_;
  ServiceClient client_;
};

}  // namespace smoke::probes
