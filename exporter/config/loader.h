#pragma once
// YAML -> immutable Config. The loader is strict: unknown keys, wrong types and invalid values are
// errors, all of them reported at once, each as "FILE:LINE:COL: MESSAGE" (1-based, the position
// of the offending YAML node), sorted by position. Secrets are read here (from *_file / *_env);
// one that cannot be read is a warning in Config::warnings and its probes are skipped at run time.
//
// Defaults and inheritance: a probe's setting wins over its module's, which wins over global's.
// `http:`/`tcp:` blocks merge with the module's key by key (maps recursively; lists and scalars
// replace). A timeout inherited from global shrinks to a shorter interval (Prometheus's
// scrape_timeout rule); a timeout set on the probe or module must be <= the interval.
//
// Thread-safety: the functions are reentrant; the returned Config is immutable.

#include <functional>
#include <optional>
#include <string>

#include "exporter/config/config.h"
#include "exporter/core/status.h"

namespace smoke::config {

struct LoadOptions {
  // Environment lookup, injectable for tests; default (empty) std::getenv. Used for ${VAR}
  // expansion and for *_env secrets.
  std::function<std::optional<std::string>(const std::string&)> getenv;
};

// Errors: Status whose message is every error found, one per line, sorted by position, each
// "FILE:LINE:COL: MESSAGE" (1-based line and column of the offending YAML node). Relative
// *_file and tls file paths are relative to the directory of `path`.
core::Result<ConfigPtr> LoadConfigFile(const std::string& path, const LoadOptions& options = {});
// As LoadConfigFile, for text already in memory; `filename` is used in messages and as the base
// of relative paths.
core::Result<ConfigPtr> LoadConfigText(const std::string& text, const std::string& filename,
                                       const LoadOptions& options = {});

// The effective config (defaults applied, modules merged) as YAML for the /config endpoint:
// every Secret printed as its Redacted() form ("<secret from env:X>"), never its value.
std::string RenderConfigYaml(const Config& config);

}  // namespace smoke::config
