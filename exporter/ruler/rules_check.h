#pragma once
// The lint `promtool check rules` runs after a file loads (--lint=duplicate-rules, its default):
// two rules in one file with the same name (record or alert) and the same labels write the same
// series, so their results overwrite each other. The expression is not compared, as in promtool.
// Thread-safety: pure functions.

#include <string>
#include <utility>
#include <vector>

#include "exporter/ruler/rule_file.h"

namespace smoke::ruler {

struct DuplicateRule {
  std::string name;                  // the record or alert name
  StringPairs labels;                // sorted by label name
  std::vector<SourcePos> positions;  // every rule with this name and labels, in file order
};

// Sorted by name, then labels (Prometheus's labels.Compare), as promtool reports them.
std::vector<DuplicateRule> FindDuplicateRules(const RuleFile& file);

// promtool 2.42's text, without a trailing newline:
//   lint error 1 duplicate rule(s) found.
//   Metric: job:up:sum
//   Label(s):
//   \tteam: a
//   Might cause inconsistency while recording expressions
std::string FormatDuplicateRules(const std::vector<DuplicateRule>& duplicates);

}  // namespace smoke::ruler
