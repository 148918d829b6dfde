#include "exporter/probes/alertmanager_probe.h"

#include "exporter/probes/alertmanager_api.h"
#include "exporter/probes/monitoring_checks.h"
#include "exporter/probes/service_run.h"

namespace smoke::probes {
namespace {

void CheckCluster(ServiceRun& run, const config::AlertmanagerSpec& spec) {
  std::optional<clients::HttpResponse> response = run.Get("status", "/api/v2/status");
  if (!response) return;
  if (response->status_code != 200) {
    // Not the body: it could be the status document with the config in it.
    run.Check("cluster", core::Reason::kStatus, false, "GET /api/v2/status answers 200",
              std::to_string(response->status_code), spec.cluster_severity);
    return;
  }
  core::Result<AlertmanagerStatus> status = ParseAlertmanagerStatus(response->body);
  if (!status.ok()) {
    run.Check("cluster", core::Reason::kJson, false, "the documented JSON of GET /api/v2/status",
              status.status().message(), spec.cluster_severity);
    return;
  }
  if (!status->version.empty()) run.Detail("version", status->version);
  run.Detail("cluster_status", status->cluster_status);
  run.Detail("cluster_peers", std::to_string(status->peers));
  run.Measure(MonitoringGauge("smoke_alertmanager_cluster_peers", status->peers));
  run.Measure(MonitoringGauge("smoke_alertmanager_cluster_status", 1,
                              {{"status", status->cluster_status}}));

  const std::string& state = status->cluster_status;
  bool ok = state == "ready" || (state == "disabled" && spec.min_peers == 0);
  std::string expected = spec.min_peers == 0 ? "cluster status ready or disabled"
                                             : "cluster status ready with at least " +
                                                   std::to_string(spec.min_peers) + " peers";
  if (ok && spec.min_peers > 0 && status->peers < spec.min_peers) ok = false;
  run.Check("cluster", core::Reason::kClusterDegraded, ok, std::move(expected),
            "status " + state + ", " + std::to_string(status->peers) + " peers",
            spec.cluster_severity);
}

}  // namespace

core::Result<ProbePtr> AlertmanagerProbe::Create(const config::ProbeSpec& spec) {
  core::Result<ServiceClient> client = ServiceClient::Create(spec);
  if (!client.ok()) return client.status();
  return ProbePtr(new AlertmanagerProbe(spec, std::move(client).value()));
}

core::ProbeResult AlertmanagerProbe::Run(const RunContext& ctx) const {
  ServiceRun run(
      client_, ctx,
      spec_.timeout > core::Duration::zero() ? spec_.timeout : kMonitoringFallbackTimeout);
  const config::AlertmanagerSpec& spec = spec_.alertmanager;
  CheckOkEndpoint(run, "healthy", "/-/healthy", "healthy", core::Reason::kUnhealthy);
  if (spec.check_ready) CheckOkEndpoint(run, "ready", "/-/ready", "ready", core::Reason::kNotReady);
  if (spec.check_cluster) CheckCluster(run, spec);
  return run.Finish();
}

}  // namespace smoke::probes
