#include "exporter/config/name_list.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace smoke::config {

std::vector<std::string> ReadNameList(const MapReader& map, std::string_view key,
                                      std::string_view noun) {
  std::vector<std::string> out;
  const YamlNode* list = map.Sequence(key);
  if (list == nullptr) return out;
  Diagnostics& diag = map.diag();
  const std::string what = "an item of " + Quote(key);
  std::map<std::string, int> seen;  // name -> line
  for (const YamlNodePtr& item : list->items) {
    std::optional<std::string> name = ReadString(*item, what, diag);
    if (!name) continue;
    if (name->empty()) {
      diag.Error(item->mark, what + " must not be empty");
      continue;
    }
    auto [it, inserted] = seen.emplace(*name, item->mark.line);
    if (!inserted) {
      diag.Error(item->mark, "duplicate " + std::string(noun) + " " + Quote(*name) + " in " +
                                 Quote(key) + " (first listed on line " +
                                 std::to_string(it->second) + ")");
      continue;
    }
    out.push_back(*name);
  }
  return out;
}

core::Severity ReadSeverity(const MapReader& map, std::string_view key) {
  std::optional<std::string> s = map.Enum(key, {"fail", "warn"});
  return s == "warn" ? core::Severity::kWarn : core::Severity::kFail;
}

bool IsLabelName(std::string_view name) {
  if (name.empty()) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::vector<std::pair<std::string, std::string>> ReadLabelMap(
    const YamlNode& node, const std::string& what, const std::vector<std::string>& reserved,
    std::string_view reserved_why, Diagnostics& diag) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!CheckMap(node, what, diag)) return out;
  for (const YamlEntry& e : node.entries) {
    if (!IsLabelName(e.key)) {
      diag.Error(e.key_mark, "invalid label name " + Quote(e.key) + " in " + what +
                                 " (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)");
      continue;
    }
    if (e.key.rfind("__", 0) == 0) {
      diag.Error(e.key_mark, "label name " + Quote(e.key) + " in " + what +
                                 " is reserved (names starting with \"__\" are internal to "
                                 "Prometheus)");
      continue;
    }
    if (std::find(reserved.begin(), reserved.end(), e.key) != reserved.end()) {
      diag.Error(e.key_mark,
                 "label name " + Quote(e.key) + " in " + what + " " + std::string(reserved_why));
      continue;
    }
    std::optional<std::string> value = ReadString(*e.value, "label " + Quote(e.key), diag);
    if (value) out.emplace_back(e.key, std::move(*value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace smoke::config
