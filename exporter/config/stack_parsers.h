#pragma once
// The `prometheus:`, `alertmanager:`, `grafana:` and `jaeger:` blocks (after module merging).
// Each block is optional: without it the probe runs every check of its kind with the defaults
// of monitoring_spec.h.
// Thread-safety: stateless functions.

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// `node` may be null (no block).
PrometheusSpec ParsePrometheusSpec(const YamlNode* node, ParseContext& ctx);
AlertmanagerSpec ParseAlertmanagerSpec(const YamlNode* node, ParseContext& ctx);
GrafanaSpec ParseGrafanaSpec(const YamlNode* node, ParseContext& ctx);
JaegerSpec ParseJaegerSpec(const YamlNode* node, ParseContext& ctx);

}  // namespace smoke::config
