#pragma once
// The `readiness:` section (readiness_spec.h), and the Alertmanager-style matcher text it uses
// (`name=value`, `name="quoted"`, `name!=value`, `name=~regex`, `name!~regex`, comma-separated
// sets, optionally in braces), which the readiness module also parses through this one parser.
// Thread-safety: stateless functions.

#include <string_view>

#include "exporter/config/engine_spec.h"
#include "exporter/config/readiness_spec.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"
#include "exporter/core/status.h"

namespace smoke::config {

// `node` is the section or null when absent (defaults). `rules` gives stale_after's default
// (3 x evaluation_interval) and its lower bound; `alerting` must name an Alertmanager for
// waivers.
ReadinessSpec ParseReadiness(const YamlNode* node, ParseContext& ctx, const RulesSpec& rules,
                             const AlertingSpec& alerting);

// One matcher / a non-empty set. Regexes are checked to compile (anchored as they are used).
// Errors carry no position: the caller adds it.
core::Result<LabelMatcherSpec> ParseMatcherText(std::string_view text);
core::Result<MatcherSetSpec> ParseMatcherSetText(std::string_view text);

// "=", "!=", "=~", "!~".
std::string_view MatcherOpString(LabelMatcherSpec::Op op);

}  // namespace smoke::config
