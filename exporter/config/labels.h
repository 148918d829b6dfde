#pragma once
// Static labels (global, module, probe). Names follow Prometheus rules and may not shadow the
// labels the exporter sets itself, or those Prometheus attaches on scrape: a user label named
// "probe" would silently split or merge series.
// Thread-safety: stateless functions.

#include <initializer_list>
#include <string_view>

#include "exporter/config/config.h"
#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// Labels the exporter or Prometheus set: probe, component, target, reason, outcome, assertion,
// phase, le, quantile, instance, job.
bool IsReservedLabelName(std::string_view name);

// A `labels:` mapping (null = none), sorted by name. Bad names are reported at the key.
LabelPairs ParseLabels(const YamlNode& node, Diagnostics& diag);

// Union of `layers`; for a name in several layers the last one wins. Sorted by name.
LabelPairs MergeLabels(std::initializer_list<const LabelPairs*> layers);

}  // namespace smoke::config
