#pragma once
// Regexes are RE2 (linear time: a hostile response cannot make a probe hang) and are compiled
// once at load so that a typo is a startup error, not a probe that fails forever.
// Thread-safety: stateless functions.

#include <optional>
#include <string>
#include <string_view>

#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// RE2's error text, or nullopt when `pattern` compiles.
std::optional<std::string> RegexError(std::string_view pattern);

// A string that compiles as RE2; errors: invalid regular expression for "<what>": <RE2 text>.
std::optional<std::string> ReadRegex(const YamlNode& node, const std::string& what,
                                     Diagnostics& diag);

}  // namespace smoke::config
