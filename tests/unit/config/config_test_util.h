#pragma once
// Helpers shared by the config tests.

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "exporter/config/config.h"
#include "exporter/config/loader.h"

namespace smoke::config::test_util {

// LoadOptions whose environment is exactly `vars`.
inline LoadOptions Env(std::map<std::string, std::string> vars) {
  LoadOptions options;
  options.getenv = [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return options;
}

// The probe called `name`; throws (failing the test) if there is none.
inline const ProbeSpec& FindProbe(const Config& config, const std::string& name) {
  auto it = std::find_if(config.probes.begin(), config.probes.end(),
                         [&](const ProbeSpec& p) { return p.name == name; });
  if (it == config.probes.end()) throw std::runtime_error("no probe " + name);
  return *it;
}

}  // namespace smoke::config::test_util
