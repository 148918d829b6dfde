#pragma once
// The `metrics:` block (after module merging):
//   metrics:
//     required:
//       - http_requests_total                          # the metric must have a sample
//       - {metric: up, labels: {job: api}}             # a sample with exactly these labels
//     min_families: 10
//     max_series: 10000
// Thread-safety: stateless functions.

#include <string_view>

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// Prometheus metric names: ^[a-zA-Z_:][a-zA-Z0-9_:]*$.
bool IsMetricName(std::string_view name);

// `node` may be null (no block: the body only has to parse).
MetricsSpec ParseMetricsSpec(const YamlNode* node, ParseContext& ctx);

}  // namespace smoke::config
