#pragma once
// Spec builders for the monitoring-stack probe tests: specs are built in code, as the loader
// would produce them, so these tests do not depend on YAML.

#include <chrono>
#include <string>

#include "exporter/config/config.h"

namespace smoke::probes::testutil {

// A probe of `kind` (prometheus, alertmanager, grafana, jaeger, alert_pipeline, metrics, dns)
// against `target` with a 5 s timeout and every check of the kind at its default.
inline config::ProbeSpec MonitoringSpec(const std::string& kind, const std::string& target) {
  config::ProbeSpec spec;
  spec.name = kind + "_probe";
  spec.kind = kind;
  spec.component = "monitoring";
  spec.target = target;
  spec.interval = std::chrono::seconds(30);
  spec.timeout = std::chrono::seconds(5);
  return spec;
}

}  // namespace smoke::probes::testutil
