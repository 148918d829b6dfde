#pragma once
// YAML for Prometheus's own file formats (rule files, promtool unit-test files), read into the
// config module's position-keeping tree so the generic readers and Diagnostics can be reused.
// Differs from config::ParseYaml in what Prometheus does differently from our config file:
// only the first document is read (later ones are ignored, as Prometheus's decoder ignores them),
// and scalars are kept verbatim, with no ${VAR} expansion: `${1}` in a label_replace() expression
// or `$$` in a template must reach the rule unchanged.
// Thread-safety: ParseFirstYamlDocument is reentrant and its tree immutable; a YamlFieldReader
// writes to one Diagnostics and is not thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"
#include "exporter/core/clock.h"

namespace smoke::ruler {

// Syntax errors and duplicate keys go to `diag`. Returns nullptr on a syntax error, a kNull node
// for an empty document.
config::YamlNodePtr ParseFirstYamlDocument(const std::string& text, config::Diagnostics& diag);

// Reads values the way Go's YAML decoder fills Prometheus's structs (any scalar into a string,
// null into the zero value, model.Duration syntax) and reports with the context first:
//   group "api", rule 2 (alert "ApiDown"): invalid "for": not a valid duration string: "5x"
// `what` names the value in messages, e.g. "\"for\"".
class YamlFieldReader {
 public:
  explicit YamlFieldReader(config::Diagnostics& diag) : diag_(diag) {}

  config::Diagnostics& diag() { return diag_; }
  void Error(config::Mark at, const std::string& context, const std::string& message);
  void Warning(config::Mark at, const std::string& context, const std::string& message);
  // "expected <type> for <what>, got <what was there>".
  void TypeError(const config::YamlNode& node, const std::string& type, const std::string& what,
                 const std::string& context);

  // Every key of `map` outside `allowed` is an error (Go's KnownFields / UnmarshalStrict), with
  // a "did you mean"; `hints` replace the suggestion for particular keys.
  void CheckKeys(const config::YamlNode& map, const std::vector<std::string>& allowed,
                 const std::string& context, const std::map<std::string, std::string>& hints = {});

  std::optional<std::string> String(const config::YamlNode& node, const std::string& what,
                                    const std::string& context);
  // null is 0 and leaves *set false.
  std::optional<core::Duration> Duration(const config::YamlNode& node, const std::string& what,
                                         const std::string& context, bool* set = nullptr);
  std::optional<int64_t> Int(const config::YamlNode& node, const std::string& what,
                             const std::string& context);
  // YAML floats: decimal, exponent, .inf/-.inf/.nan.
  std::optional<double> Float(const config::YamlNode& node, const std::string& what,
                              const std::string& context);
  std::optional<bool> Bool(const config::YamlNode& node, const std::string& what,
                           const std::string& context);
  // A sequence of strings (null: empty).
  std::optional<std::vector<std::string>> Strings(const config::YamlNode& node,
                                                  const std::string& what,
                                                  const std::string& context);

 private:
  config::Diagnostics& diag_;
};

}  // namespace smoke::ruler
