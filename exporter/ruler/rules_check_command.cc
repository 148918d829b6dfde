#include "exporter/ruler/rules_check_command.h"

#include "exporter/ruler/rules_check.h"

namespace smoke::ruler {

int RunRulesCheck(const std::vector<std::string>& files, const RulesCheckOptions& options,
                  std::ostream& out, std::ostream& err) {
  bool has_errors = false;
  bool has_lint = false;
  for (const std::string& path : files) {
    out << "Checking " << path << "\n";
    core::Result<RuleFile> file = LoadRuleFile(path, options.load);
    if (!file.ok()) {
      // promtool prints "FAILED:" and the errors on stderr, everything else on stdout.
      out.flush();
      err << "  FAILED:\n" << file.status().message() << "\n";
      err.flush();
      has_errors = true;
      out << "\n";
      continue;
    }
    std::vector<DuplicateRule> duplicates;
    if (options.lint_duplicate_rules) duplicates = FindDuplicateRules(*file);
    if (!duplicates.empty()) {
      out.flush();
      err << "  FAILED:\n" << FormatDuplicateRules(duplicates) << "\n";
      err.flush();
      has_lint = true;
    } else {
      out << "  SUCCESS: " << file->rule_count() << " rules found\n";
    }
    if (!file->warnings.empty()) {
      out.flush();
      for (const std::string& w : file->warnings) err << "  WARNING: " << w << "\n";
      err.flush();
    }
    out << "\n";
  }
  if (has_errors) return kRulesCheckFailed;
  if (has_lint && options.lint_fatal) return kRulesCheckLintFailed;
  return kRulesCheckOk;
}

}  // namespace smoke::ruler
