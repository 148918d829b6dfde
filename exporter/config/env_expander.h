#pragma once
// ${VAR} references in config values, so one file serves several environments (the same syntax
// as docker compose and Alertmanager's --config.expand-env):
//   ${VAR}            the variable's value; an error if it is unset
//   ${VAR:-default}   the value, or `default` when VAR is unset or empty
//   $$                a literal '$'
// Any other '$' is literal, so regexes ("^ok$") and JSON paths ("$.status") need no escaping.
// Thread-safety: stateless functions.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/core/status.h"

namespace smoke::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The process environment (std::getenv).
std::optional<std::string> ProcessEnv(const std::string& name);

// Errors name the offending reference, never a variable's value.
core::Result<std::string> ExpandEnv(std::string_view text, const EnvLookup& getenv);

}  // namespace smoke::config
