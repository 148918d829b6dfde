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
  // The value could not be expanded, or was cut off (an alias cycle, too deep, too many nodes);
  // the error is already reported, so readers skip it silently instead of adding a second,
  // confusing error about the same node.
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

// How ParseYamlWith reads a document; the defaults are the config file's rules.
struct YamlParseOptions {
  const EnvLookup* getenv = nullptr;  // ${VAR} expansion in scalar values; null: kept verbatim
  bool single_document = true;        // a second document is an error; false: it is ignored
  bool go_messages = false;           // duplicate keys worded as Go's YAML decoder words them
  std::string subject = "config";     // "the <subject> expands to more than ... YAML nodes"
};

// Parses the first document of `text` into a tree. Besides syntax errors, reports duplicate
// keys, an alias inside its own anchor, nesting deeper than 200 and more than a million nodes
// after alias expansion ("billion laughs"), each at its position, instead of following them.
YamlNodePtr ParseYamlWith(const std::string& text, const YamlParseOptions& how, Diagnostics& diag);

// Module templating: maps merge recursively key by key; anything else in `overlay` replaces
// `base`. A *_file key in the overlay also drops the base's *_env twin (and vice versa), so a
// probe can switch a module's secret source without tripping the "not both" check.
YamlNodePtr MergeYaml(const YamlNodePtr& base, const YamlNodePtr& overlay);

}  // namespace smoke::config
