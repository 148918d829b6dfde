#pragma once
// The rule files both engines evaluate in bench_rule_eval: the typical alert expressions of
// issue 5, one group each; the bundled rules/*.rules.yml; and the SLO rules that
// `smoke_exporter slo generate` writes for bench/rule_eval/slo_config.yml (generated here with
// the same library call the subcommand makes).
// Thread-safety: reentrant.

#include <string>
#include <vector>

#include "exporter/core/status.h"

namespace smoke::bench {

struct TypicalExpression {
  std::string group;  // its group in typical.rules.yml
  std::string expr;
};

// sum by + rate, histogram_quantile, and the multi-window burn-rate and/or expression.
const std::vector<TypicalExpression>& TypicalExpressions();

// Writes typical.rules.yml and slo-generated.rules.yml into `dir` and returns the absolute paths
// of every rule file to load, typical first, then the bundled files (sorted), then the SLOs.
core::Result<std::vector<std::string>> PrepareRuleFiles(const std::string& dir);

}  // namespace smoke::bench
