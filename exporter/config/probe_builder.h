#pragma once
// Turns the `modules:` and `probes:` sections into effective ProbeSpecs: a probe's settings win
// over its module's, which win over `global:`. Blocks (http, tcp) merge as YAML before they are
// typed, so a probe can override one header of its module without repeating the rest.
// Thread-safety: not thread-safe; one instance per load.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/diagnostics.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

class ProbeBuilder {
 public:
  ProbeBuilder(const GlobalSpec& global, Diagnostics& diag, SecretResolver& secrets)
      : global_(global), diag_(diag), secrets_(secrets) {}

  // Call AddModules (if there is a `modules:` section) before AddProbes.
  void AddModules(const YamlNode& modules);
  void AddProbes(const YamlNode& probes);

  std::map<std::string, ProbeSpec> TakeModules() { return std::move(module_specs_); }
  std::vector<ProbeSpec> TakeProbes() { return std::move(probes_); }

 private:
  // What one module or one probe sets itself, before inheritance.
  struct Layer {
    std::optional<std::string> kind;
    bool kind_invalid = false;  // set but unknown: already reported
    Mark kind_mark;
    std::optional<std::string> component;
    std::optional<core::Duration> interval;
    Mark interval_mark;
    std::optional<core::Duration> timeout;
    Mark timeout_mark;
    LabelPairs labels;
    std::map<std::string, YamlNodePtr> blocks;  // "http" -> raw block
    std::map<std::string, Mark> block_marks;    // "http" -> position of the key
  };

  Layer ReadLayer(const YamlNode& map_node, const MapReader& map);
  // Reports every kind block (http:, tcp:) that does not belong to `kind`.
  void CheckBlocks(const Layer& layer, const std::string& kind);
  // `module` may be null; `own` is the probe's layer (or the module's, for a module spec).
  ProbeSpec Build(ProbeSpec spec, const Layer* module, const Layer& own, const std::string& owner);
  void AddProbe(const YamlNode& item);

  const GlobalSpec& global_;
  Diagnostics& diag_;
  SecretResolver& secrets_;
  std::map<std::string, Layer> module_layers_;
  std::map<std::string, ProbeSpec> module_specs_;
  std::map<std::string, int> probe_lines_;  // name -> line of first definition
  std::vector<ProbeSpec> probes_;
};

// The probe kinds the loader knows ("http", "tcp"); each has a block of the same name.
const std::vector<std::string>& KnownKinds();

}  // namespace smoke::config
