#include "bench/rule_eval/rule_set.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "exporter/ruler/slo_command.h"

namespace smoke::bench {

const std::vector<TypicalExpression>& TypicalExpressions() {
  static const std::vector<TypicalExpression> kExpressions = {
      {"sum-rate", "sum by (job) (rate(x_total[5m]))"},
      {"histogram-quantile", "histogram_quantile(0.99, sum by (le, job) (rate(h_bucket[5m])))"},
      {"burn-rate",
       "(rate(errs[1h]) / rate(total[1h]) > 14.4*0.001) and (rate(errs[5m]) / rate(total[5m]) > "
       "14.4*0.001)"},
  };
  return kExpressions;
}

core::Result<std::vector<std::string>> PrepareRuleFiles(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;

  const std::string typical = dir + "/typical.rules.yml";
  {
    std::ofstream out(typical);
    out << "# The typical alert expressions of issue 5, each in its own group.\ngroups:\n";
    const auto& exprs = TypicalExpressions();
    out << "  - name: " << exprs[0].group << "\n    rules:\n      - record: job:x:rate5m\n"
        << "        expr: '" << exprs[0].expr << "'\n";
    out << "  - name: " << exprs[1].group << "\n    rules:\n      - record: job:h:p99_rate5m\n"
        << "        expr: '" << exprs[1].expr << "'\n";
    out << "  - name: " << exprs[2].group << "\n    rules:\n      - alert: ErrorBudgetBurnFast\n"
        << "        expr: '" << exprs[2].expr << "'\n"
        << "        labels:\n          severity: page\n";
    if (!out) return core::Status::Error("cannot write " + typical);
  }
  files.push_back(typical);

  std::vector<std::string> bundled;
  const fs::path rules_dir = fs::path(SMOKE_SOURCE_DIR) / "rules";
  for (const auto& entry : fs::directory_iterator(rules_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 10 && name.substr(name.size() - 10) == ".rules.yml") {
      bundled.push_back(fs::canonical(entry.path()).string());
    }
  }
  std::sort(bundled.begin(), bundled.end());
  if (bundled.empty()) return core::Status::Error("no rules/*.rules.yml in " + rules_dir.string());
  files.insert(files.end(), bundled.begin(), bundled.end());

  ruler::SloGenerateOptions slo;
  slo.config_file = std::string(SMOKE_SOURCE_DIR) + "/bench/rule_eval/slo_config.yml";
  slo.output = dir + "/slo-generated.rules.yml";
  std::ostringstream out, err;
  if (ruler::RunSloGenerate(slo, out, err) != 0) {
    return core::Status::Error("slo generate failed: " + err.str());
  }
  files.push_back(slo.output);
  return files;
}

}  // namespace smoke::bench
