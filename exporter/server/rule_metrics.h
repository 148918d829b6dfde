#pragma once
// The rule engine's self-metrics, named as Prometheus's prometheus_rule_* with the smoke_ prefix
// and the same rule_group="file;name" label, so existing dashboards and alerts on rule
// evaluation health port over by renaming.
// Thread-safety: a pure function of the snapshots.

#include <vector>

#include <prometheus/metric_family.h>

#include "exporter/ruler/group_status.h"

namespace smoke::server {

std::vector<prometheus::MetricFamily> CollectRuleMetrics(
    const std::vector<ruler::GroupStatus>& groups);

}  // namespace smoke::server
