// Real-world rule files (awesome-prometheus-alerts, the monitoring mixins, Sloth's output: 334
// files that Prometheus 2.42's promtool accepts) must load, in both modes, with every expression
// parsed. The corpus is a copy of ../shared/reference/rule-corpus in tests/testdata/rule-corpus
// (SMOKE_RULE_CORPUS overrides it);
// without it the test fails in CI (env CI set) and is skipped elsewhere.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "exporter/ruler/rule_file.h"

namespace smoke::ruler {
namespace {

std::string CorpusDir() {
  if (const char* dir = std::getenv("SMOKE_RULE_CORPUS")) return dir;
  return std::string(SMOKE_TESTDATA_DIR) + "/rule-corpus";
}

TEST(RuleFileCorpusTest, EveryRealWorldRuleFileLoads) {
  const std::string dir = CorpusDir();
  if (!std::filesystem::is_directory(dir)) {
    if (std::getenv("CI") != nullptr) FAIL() << "rule corpus not found at " << dir;
    GTEST_SKIP() << "rule corpus not found at " << dir << " (set SMOKE_RULE_CORPUS)";
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".yml" || ext == ".yaml")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), 334u);

  size_t rules = 0, alerts = 0, failures = 0;
  for (const std::string& path : files) {
    core::Result<RuleFile> file = LoadRuleFile(path);
    if (!file.ok()) {
      ADD_FAILURE() << file.status().message();
      if (++failures > 20) FAIL() << "too many failures";
      continue;
    }
    for (const GroupSpec& g : file->groups) {
      for (const RuleSpec& r : g.rules) {
        ASSERT_NE(r.parsed, nullptr) << path << ": " << r.name();
        ++rules;
        alerts += r.is_alert() ? 1 : 0;
      }
    }
    core::Result<RuleFile> strict = LoadRuleFile(path, {.strict_prometheus2 = true});
    EXPECT_TRUE(strict.ok()) << strict.status().message();
  }
  // About 2,300 rules, most of them alerts.
  EXPECT_GT(rules, 2000u);
  EXPECT_GT(alerts, 1500u);
}

}  // namespace
}  // namespace smoke::ruler
