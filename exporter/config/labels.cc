#include "exporter/config/labels.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

constexpr std::array<std::string_view, 11> kReserved = {"probe",    "component", "target", "reason",
                                                        "outcome",  "assertion", "phase",  "le",
                                                        "quantile", "instance",  "job"};

bool IsValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

bool IsReservedLabelName(std::string_view name) {
  return std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end();
}

LabelPairs ParseLabels(const YamlNode& node, Diagnostics& diag) {
  LabelPairs out;
  if (!CheckMap(node, Quote("labels"), diag)) return out;
  for (const YamlEntry& e : node.entries) {
    if (!IsValidLabelName(e.key)) {
      diag.Error(e.key_mark,
                 "invalid label name " + Quote(e.key) + " (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)");
      continue;
    }
    if (e.key.rfind("__", 0) == 0) {
      diag.Error(e.key_mark, "label name " + Quote(e.key) +
                                 " is reserved (names starting with \"__\" are internal to "
                                 "Prometheus)");
      continue;
    }
    if (IsReservedLabelName(e.key)) {
      diag.Error(e.key_mark, "label name " + Quote(e.key) +
                                 " is reserved (the exporter or Prometheus sets it)");
      continue;
    }
    std::optional<std::string> value = ReadString(*e.value, "label " + Quote(e.key), diag);
    if (value) out.emplace_back(e.key, std::move(*value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

LabelPairs MergeLabels(std::initializer_list<const LabelPairs*> layers) {
  std::map<std::string, std::string> merged;
  for (const LabelPairs* layer : layers) {
    for (const auto& [name, value] : *layer) merged[name] = value;
  }
  return LabelPairs(merged.begin(), merged.end());
}

}  // namespace smoke::config
