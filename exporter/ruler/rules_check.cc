#include "exporter/ruler/rules_check.h"

#include <algorithm>
#include <map>

namespace smoke::ruler {
namespace {

// labels.Compare: pairwise by name, then value; a prefix sorts first.
int CompareLabels(const StringPairs& a, const StringPairs& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (int c = a[i].first.compare(b[i].first); c != 0) return c;
    if (int c = a[i].second.compare(b[i].second); c != 0) return c;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

struct Key {
  std::string name;
  StringPairs labels;
  bool operator<(const Key& o) const {
    if (int c = name.compare(o.name); c != 0) return c < 0;
    return CompareLabels(labels, o.labels) < 0;
  }
};

}  // namespace

std::vector<DuplicateRule> FindDuplicateRules(const RuleFile& file) {
  std::map<Key, std::vector<SourcePos>> seen;
  for (const GroupSpec& group : file.groups) {
    for (const RuleSpec& rule : group.rules) {
      Key key{rule.name(), rule.labels};
      std::sort(key.labels.begin(), key.labels.end());
      seen[std::move(key)].push_back(rule.pos);
    }
  }
  std::vector<DuplicateRule> out;
  for (auto& [key, positions] : seen) {
    if (positions.size() < 2) continue;
    out.push_back(DuplicateRule{key.name, key.labels, std::move(positions)});
  }
  return out;
}

std::string FormatDuplicateRules(const std::vector<DuplicateRule>& duplicates) {
  std::string out =
      "lint error " + std::to_string(duplicates.size()) + " duplicate rule(s) found.\n";
  for (const DuplicateRule& d : duplicates) {
    out += "Metric: " + d.name + "\nLabel(s):\n";
    for (const auto& [name, value] : d.labels) out += "\t" + name + ": " + value + "\n";
  }
  out += "Might cause inconsistency while recording expressions";
  return out;
}

}  // namespace smoke::ruler
