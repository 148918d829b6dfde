#include "exporter/config/loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "exporter/config/diagnostics.h"
#include "exporter/config/env_expander.h"
#include "exporter/config/engine_parser.h"
#include "exporter/config/global_parser.h"
#include "exporter/config/probe_builder.h"
#include "exporter/config/readiness_parser.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/slo_parser.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {
namespace {

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

const YamlNode* Section(const YamlNode& root, std::string_view key) {
  const YamlEntry* e = root.Find(key);
  return e ? e->value.get() : nullptr;
}

}  // namespace

core::Result<ConfigPtr> LoadConfigText(const std::string& text, const std::string& filename,
                                       const LoadOptions& options) {
  const EnvLookup getenv = options.getenv ? options.getenv : EnvLookup(ProcessEnv);
  Diagnostics diag(filename);
  auto config = std::make_shared<Config>();
  config->file = filename;

  YamlNodePtr root = ParseYaml(text, getenv, diag);
  if (root && !root->IsNull() && !root->IsMap()) {
    if (!root->poisoned) {
      diag.Error(root->mark,
                 "expected a mapping at the top level (global:, modules:, probes:, "
                 "probe_endpoint:), got " +
                     root->Describe());
    }
    root = nullptr;
  }
  if (root && root->IsMap()) {
    MapReader top(*root, "the config file",
                  {"alerting", "global", "modules", "probe_endpoint", "probes", "readiness",
                   "rules", "slos", "storage"},
                  diag);
    config->global = ParseGlobal(Section(*root, "global"), diag);
    config->probe_endpoint = ParseProbeEndpoint(Section(*root, "probe_endpoint"), diag);
    SecretResolver secrets(getenv, DirectoryOf(filename));
    ProbeBuilder builder(config->global, diag, secrets);
    if (const YamlNode* modules = Section(*root, "modules")) builder.AddModules(*modules);
    if (const YamlNode* probes = Section(*root, "probes")) builder.AddProbes(*probes);
    ParseContext engine_ctx{diag, secrets, "sending to this Alertmanager"};
    config->rules = ParseRules(Section(*root, "rules"), engine_ctx);
    config->alerting = ParseAlerting(Section(*root, "alerting"), engine_ctx);
    config->storage = ParseStorage(Section(*root, "storage"), engine_ctx);
    config->readiness = ParseReadiness(Section(*root, "readiness"), engine_ctx, config->rules,
                                       config->alerting);
    config->modules = builder.TakeModules();
    config->probes = builder.TakeProbes();
    // After the probes: selectors are checked against them (unless they had errors already).
    config->slos = ParseSlos(Section(*root, "slos"), config->probes, config->global,
                             !diag.has_errors(), diag);
  }
  if (diag.has_errors()) return core::Status::Error(diag.FormatErrors());
  config->warnings = diag.FormatWarnings();
  return ConfigPtr(std::move(config));
}

core::Result<ConfigPtr> LoadConfigFile(const std::string& path, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Status::Error(path + ": cannot read config file: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return core::Status::Error(path + ": cannot read config file: " + std::strerror(errno));
  }
  return LoadConfigText(text.str(), path, options);
}

}  // namespace smoke::config
