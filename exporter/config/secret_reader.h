#pragma once
// Credentials come only from *_file and *_env keys, so they never sit in the config file, in
// /config or in logs. A secret that cannot be read is not a load error: the probes using it are
// skipped (reason credentials_missing) and the rest keep running; the loader adds a warning.
// Thread-safety: not thread-safe; one instance per load.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/config/diagnostics.h"
#include "exporter/config/env_expander.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/secret.h"

namespace smoke::config {

class SecretResolver {
 public:
  // Relative file paths are read relative to `base_dir` (the config file's directory), like
  // Prometheus does, so a config works whatever the working directory.
  SecretResolver(EnvLookup getenv, std::string base_dir)
      : getenv_(std::move(getenv)), base_dir_(std::move(base_dir)) {}

  // The file's contents minus one trailing newline (echo "pw" > file adds one).
  core::Secret FromFile(const std::string& path);
  core::Secret FromEnv(const std::string& name);
  // `path` made absolute against base_dir.
  std::string ResolvePath(const std::string& path) const;

 private:
  EnvLookup getenv_;
  std::string base_dir_;
  // One read per source: a module's secret is used by every probe built from it.
  std::map<std::string, core::Secret> cache_;
};

// What block parsers need besides the node they parse.
struct ParseContext {
  Diagnostics& diag;
  SecretResolver& secrets;
  // Who uses the settings, for warnings: `probe "api"` or `module "api_json"`.
  std::string owner;
};

// Reads the pair "<prefix>_file" / "<prefix>_env" of `map` (at most one may be set). Returns
// nullopt when neither is set. An unreadable secret yields Secret::Unresolved and a warning
// "secret env:X is not set; probe "p" will be skipped" at the key's value.
std::optional<core::Secret> ReadSecretPair(const MapReader& map, std::string_view prefix,
                                           ParseContext& ctx);

}  // namespace smoke::config
