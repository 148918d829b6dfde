#pragma once
// Strict, typed access to the YAML tree. Every wrong type is reported once, at the value's
// position, in the form `expected <type> for "<key>", got <what was there>`, and yields nullopt so
// that parsing continues and later errors are reported too.
// Thread-safety: not thread-safe (writes to a Diagnostics).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"
#include "exporter/core/clock.h"

namespace smoke::config {

// "\"key\"": the form keys take in messages.
std::string Quote(std::string_view key);

// Scalar readers. `what` names the value in messages, e.g. Quote("interval").
std::optional<std::string> ReadString(const YamlNode& node, const std::string& what,
                                      Diagnostics& diag);
// A Prometheus duration that must be > 0.
std::optional<core::Duration> ReadDuration(const YamlNode& node, const std::string& what,
                                           Diagnostics& diag);
std::optional<int64_t> ReadInt(const YamlNode& node, const std::string& what, Diagnostics& diag);
std::optional<double> ReadNumber(const YamlNode& node, const std::string& what, Diagnostics& diag);
// Only true/false: YAML 1.1's yes/no/on/off are too easy to write by accident.
std::optional<bool> ReadBool(const YamlNode& node, const std::string& what, Diagnostics& diag);
// One of `allowed` (compared exactly).
std::optional<std::string> ReadEnum(const YamlNode& node, const std::string& what,
                                    const std::vector<std::string>& allowed, Diagnostics& diag);
// Type checks for collections; null counts as empty and is accepted.
bool CheckMap(const YamlNode& node, const std::string& what, Diagnostics& diag);
bool CheckSequence(const YamlNode& node, const std::string& what, Diagnostics& diag);

// A strict view of one mapping. Construction reports every key not in `allowed`:
//   unknown key "intervall" in probe (expected one of: ...) — did you mean "interval"?
// `hints` replace the suggestion for keys users commonly get wrong on purpose (inline secrets).
// Getters return nullopt / nullptr for a missing key without reporting anything.
class MapReader {
 public:
  MapReader(const YamlNode& node, std::string what, std::vector<std::string> allowed,
            Diagnostics& diag, const std::map<std::string, std::string>& hints = {});

  const YamlNode& node() const { return node_; }
  Mark mark() const { return node_.mark; }
  Diagnostics& diag() const { return diag_; }

  bool Has(std::string_view key) const { return Get(key) != nullptr; }
  const YamlNode* Get(std::string_view key) const;
  // The key's own position (where "not allowed here" errors point); the map's if absent.
  Mark KeyMark(std::string_view key) const;
  // The value's position; the map's if absent.
  Mark ValueMark(std::string_view key) const;

  std::optional<std::string> String(std::string_view key) const;
  std::optional<core::Duration> Duration(std::string_view key) const;
  std::optional<int64_t> Int(std::string_view key) const;
  std::optional<double> Number(std::string_view key) const;
  std::optional<bool> Bool(std::string_view key) const;
  std::optional<std::string> Enum(std::string_view key,
                                  const std::vector<std::string>& allowed) const;
  // The value when it is a mapping / sequence; nullptr when absent, null, or of the
  // wrong type (reported).
  const YamlNode* Map(std::string_view key) const;
  const YamlNode* Sequence(std::string_view key) const;

 private:
  const YamlNode& node_;
  Diagnostics& diag_;
};

}  // namespace smoke::config
