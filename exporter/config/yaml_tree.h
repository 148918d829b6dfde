#pragma once
// The config file as a small immutable tree of our own, converted once from yaml-cpp so that
// the rest of the loader never sees a yaml-cpp type or exception. Every node keeps its position,
// which survives module/probe merging (yaml-cpp nodes built in code lose theirs).
// Thread-safety: nodes are immutable after construction and may be shared freely.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/diagnostics.h"
#include "exporter/config/env_expander.h"

namespace smoke::config {

struct YamlNode;
using YamlNodePtr = std::shared_ptr<const YamlNode>;

struct YamlEntry {
  std::string key;
  Mark key_mark;
  YamlNodePtr value;
};

struct YamlNode {
  enum class Type { kNull, kScalar, kSequence, kMap };

  Type type = Type::kNull;
  Mark mark;
  std::string scalar;  // kScalar: the text after ${VAR} expansion
  // The value could not be expanded; the error is already reported, so readers skip it silently
  // instead of adding a second, confusing error about the same node.
  bool poisoned = false;
  std::vector<YamlNodePtr> items;  // kSequence
  std::vector<YamlEntry> entries;  // kMap, in file order, keys unique

  bool IsNull() const { return type == Type::kNull; }
  bool IsScalar() const { return type == Type::kScalar; }
  bool IsSequence() const { return type == Type::kSequence; }
  bool IsMap() const { return type == Type::kMap; }
  const YamlEntry* Find(std::string_view key) const;
  // For messages: "null", "a sequence", "a mapping", or the quoted scalar.
  std::string Describe() const;
};

// Parses `text`; expands ${VAR} in every scalar value (not in keys). Syntax errors, duplicate keys
// and expansion errors go to `diag`. Returns nullptr for a syntax error, a kNull node for an
// empty document.
YamlNodePtr ParseYaml(const std::string& text, const EnvLookup& getenv, Diagnostics& diag);

// Module templating: maps merge recursively key by key; anything else in `overlay` replaces
// `base`. A *_file key in the overlay also drops the base's *_env twin (and vice versa), so a
// probe can switch a module's secret source without tripping the "not both" check.
YamlNodePtr MergeYaml(const YamlNodePtr& base, const YamlNodePtr& overlay);

}  // namespace smoke::config
