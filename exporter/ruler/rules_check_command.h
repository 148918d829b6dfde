#pragma once
// `smoke_exporter rules check FILE...`: validates rule files as `promtool check rules` does, with
// the same output shape and exit codes, so scripts written for promtool work unchanged:
//   Checking rules/api.rules.yml
//     SUCCESS: 12 rules found
//
//   Checking rules/broken.yml
//     FAILED:                                  (this line and the errors on stderr)
//   rules/broken.yml:7:11: group "api", rule 2 (alert "ApiDown"): could not parse expression: ...
//
// Exit codes: 0 every file is valid (lint findings are printed but do not fail), 1 any file has
// errors, 3 only lint findings and lint_fatal is set.
// Thread-safety: reentrant; writes only to the given streams.

#include <ostream>
#include <string>
#include <vector>

#include "exporter/ruler/rule_file.h"

namespace smoke::ruler {

struct RulesCheckOptions {
  bool lint_duplicate_rules = true;  // promtool's --lint=duplicate-rules (its default)
  bool lint_fatal = false;           // promtool's --lint-fatal
  RuleLoadOptions load;
};

inline constexpr int kRulesCheckOk = 0;
inline constexpr int kRulesCheckFailed = 1;
inline constexpr int kRulesCheckLintFailed = 3;

int RunRulesCheck(const std::vector<std::string>& files, const RulesCheckOptions& options,
                  std::ostream& out, std::ostream& err);

}  // namespace smoke::ruler
