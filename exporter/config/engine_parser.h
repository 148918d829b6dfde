#pragma once
// The `rules:`, `alerting:` and `storage:` sections (engine_spec.h).
// Thread-safety: stateless functions.

#include "exporter/config/engine_spec.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// Each takes the section's node, or null when the section is absent (defaults).
RulesSpec ParseRules(const YamlNode* node, ParseContext& ctx);
AlertingSpec ParseAlerting(const YamlNode* node, ParseContext& ctx);
StorageSpec ParseStorage(const YamlNode* node, ParseContext& ctx);

}  // namespace smoke::config
