#include "exporter/probes/monitoring_checks.h"

#include <array>

#include "exporter/probes/probe_measurements.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {
namespace {

constexpr std::array<MetricHelp, 9> kHelp = {{
    {"smoke_prometheus_targets",
     "Active scrape targets of the probed Prometheus by health (up, down, unknown)"},
    {"smoke_prometheus_rules", "Rules of the probed Prometheus by health (ok, err, unknown)"},
    {"smoke_alertmanager_cluster_peers", "Peers in the probed Alertmanager's cluster"},
    {"smoke_alertmanager_cluster_status",
     "1 for the probed Alertmanager's cluster status (ready, settling, disabled)"},
    {"smoke_jaeger_services", "Services the probed Jaeger query service knows"},
    {"smoke_alert_pipeline_visible_seconds",
     "Seconds from posting the heartbeat alert until Alertmanager returned it"},
    {"smoke_metrics_families", "Metric families in the probed /metrics page"},
    {"smoke_metrics_series", "Samples (series) in the probed /metrics page"},
    {"probe_dns_answer_rrs", "Returns number of entries in the answer resource record list"},
}};

}  // namespace

std::string JoinProblems(const std::vector<std::string>& items, size_t limit) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < limit; ++i) {
    if (!out.empty()) out += "; ";
    out += PrintableSnippet(items[i], 200);
  }
  if (items.size() > limit) out += "; and " + std::to_string(items.size() - limit) + " more";
  return out;
}

core::Measurement MonitoringGauge(std::string_view name, double value,
                                  std::vector<std::pair<std::string, std::string>> labels) {
  return GaugeFrom(kHelp, name, value, std::move(labels));
}

}  // namespace smoke::probes
