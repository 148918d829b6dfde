#pragma once
// The `alert_pipeline:` block (after module merging).
// Thread-safety: stateless functions.

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// `node` may be null (no block: the defaults). `timeout` is the probe's: the heartbeat must
// still be active when it is read back, so an explicit ends_after must be longer, and the
// default grows past it.
AlertPipelineSpec ParseAlertPipelineSpec(const YamlNode* node, core::Duration timeout,
                                         ParseContext& ctx);

}  // namespace smoke::config
