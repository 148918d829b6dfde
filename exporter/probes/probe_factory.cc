#include "exporter/probes/alert_pipeline_probe.h"
#include "exporter/probes/alertmanager_probe.h"
#include "exporter/probes/burst_probe.h"
#include "exporter/probes/dns_probe.h"
#include "exporter/probes/grafana_probe.h"
#include "exporter/probes/http_probe.h"
#include "exporter/probes/jaeger_probe.h"
#include "exporter/probes/metrics_probe.h"
#include "exporter/probes/postgres_probe.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/prometheus_probe.h"
#include "exporter/probes/redis_probe.h"
#include "exporter/probes/tcp_probe.h"

namespace smoke::probes {

core::Result<ProbePtr> MakeProbe(const config::ProbeSpec& spec) {
  if (spec.kind == "http") return HttpProbe::Create(spec);
  if (spec.kind == "tcp") return TcpProbe::Create(spec);
  if (spec.kind == "postgres") return PostgresProbe::Create(spec);
  if (spec.kind == "redis") return RedisProbe::Create(spec);
  if (spec.kind == "metrics") return MetricsProbe::Create(spec);
  if (spec.kind == "prometheus") return PrometheusProbe::Create(spec);
  if (spec.kind == "alertmanager") return AlertmanagerProbe::Create(spec);
  if (spec.kind == "grafana") return GrafanaProbe::Create(spec);
  if (spec.kind == "jaeger") return JaegerProbe::Create(spec);
  if (spec.kind == "alert_pipeline") return AlertPipelineProbe::Create(spec);
  if (spec.kind == "dns") return DnsProbe::Create(spec);
  if (spec.kind == "burst") return BurstProbe::Create(spec);
  return core::Status::Error("unknown probe kind \"" + spec.kind + "\"");
}

}  // namespace smoke::probes
