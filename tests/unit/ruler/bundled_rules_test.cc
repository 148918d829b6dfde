// The rule files we ship (rules/*.rules.yml) and their promtool unit tests (rules/tests/):
// each loads with our loader (as the engine and as Prometheus 2.42 would), each alert carries
// what readiness and people need (severity, a static reason, summary, description and a
// runbook_url whose section exists in docs/runbooks.md), each alert is tested firing and not
// firing, and `promtool check rules` / `promtool test rules` pass. promtool comes from the
// Debian package `prometheus`; without it those tests fail in CI (env CI set) and are skipped
// elsewhere. The same unit tests through our own runner: rules_test_promtool_test.cc.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "exporter/core/atomic_file.h"
#include "exporter/ruler/rule_file.h"
#include "exporter/ruler/unit_test_file.h"
#include "tests/support/shell.h"

namespace smoke::ruler {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPromtool = "/usr/bin/promtool";
const fs::path kRulesDir = fs::path(SMOKE_SOURCE_DIR) / "rules";

std::vector<fs::path> Files(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Get(const StringPairs& pairs, const std::string& key) {
  for (const auto& [k, v] : pairs) {
    if (k == key) return v;
  }
  return "";
}

// GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped, spaces
// become '-'.
std::set<std::string> RunbookAnchors() {
  core::Result<std::string> text =
      core::ReadWholeFile(std::string(SMOKE_SOURCE_DIR) + "/docs/runbooks.md");
  EXPECT_TRUE(text.ok()) << text.status().message();
  std::set<std::string> anchors;
  std::istringstream in(text.ok() ? *text : "");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("#", 0) != 0) continue;
    const size_t start = line.find_first_not_of('#');
    std::string anchor;
    for (char c : line.substr(start)) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
        anchor += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else if (c == ' ') {
        anchor += '-';
      }
    }
    while (!anchor.empty() && anchor.front() == '-') anchor.erase(anchor.begin());
    anchors.insert(anchor);
  }
  return anchors;
}

TEST(BundledRulesTest, EveryRuleFileLoadsWithOurLoaderAsEngineAndAsPrometheus2) {
  const std::vector<fs::path> files = Files(kRulesDir, ".rules.yml");
  ASSERT_GE(files.size(), 6u);
  for (const fs::path& f : files) {
    core::Result<RuleFile> engine = LoadRuleFile(f.string());
    ASSERT_TRUE(engine.ok()) << engine.status().message();
    EXPECT_TRUE(engine->warnings.empty()) << f << ": " << engine->warnings.front();
    EXPECT_GT(engine->rule_count(), 0u) << f;
    core::Result<RuleFile> promtool = LoadRuleFile(f.string(), {.strict_prometheus2 = true});
    EXPECT_TRUE(promtool.ok()) << promtool.status().message();
  }
}

TEST(BundledRulesTest, EveryAlertCarriesSeverityReasonAnnotationsAndAnExistingRunbook) {
  const std::set<std::string> anchors = RunbookAnchors();
  const std::set<std::string> severities = {"critical", "warning", "info"};
  size_t alerts = 0;
  for (const fs::path& f : Files(kRulesDir, ".rules.yml")) {
    core::Result<RuleFile> file = LoadRuleFile(f.string());
    ASSERT_TRUE(file.ok()) << file.status().message();
    for (const GroupSpec& g : file->groups) {
      for (const RuleSpec& r : g.rules) {
        if (!r.is_alert()) continue;
        const std::string where = f.filename().string() + ": " + r.alert;
        EXPECT_TRUE(severities.count(Get(r.labels, "severity"))) << where;
        const std::string reason = Get(r.labels, "reason");
        // Static, so readiness knows it before the alert fires (smoke_release_violations).
        EXPECT_FALSE(reason.empty()) << where;
        EXPECT_EQ(reason.find("{{"), std::string::npos) << where;
        // The probes' own reason vocabulary (auth_failed, ...): one word, snake_case.
        EXPECT_TRUE(std::all_of(reason.begin(), reason.end(),
                                [](char c) {
                                  return std::islower(static_cast<unsigned char>(c)) ||
                                         std::isdigit(c) || c == '_';
                                }))
            << where << ": " << reason;
        const std::string gate = Get(r.labels, "gate");
        EXPECT_TRUE(gate.empty() || gate == "release") << where;
        if (Get(r.labels, "severity") == "critical") {
          EXPECT_EQ(gate, "release") << where;
        }
        EXPECT_FALSE(Get(r.annotations, "summary").empty()) << where;
        EXPECT_FALSE(Get(r.annotations, "description").empty()) << where;
        const std::string runbook = Get(r.annotations, "runbook_url");
        const std::string prefix = "docs/runbooks.md#";
        ASSERT_EQ(runbook.rfind(prefix, 0), 0u) << where << ": " << runbook;
        EXPECT_TRUE(anchors.count(runbook.substr(prefix.size())))
            << where << ": no section for " << runbook << " in docs/runbooks.md";
        ++alerts;
      }
    }
  }
  EXPECT_GE(alerts, 25u);
}

// Each rule file has rules/tests/<name>.test.yml, which loads with our loader, uses only what
// promtool 2.42 knows, and has every alert of the file both firing and not firing.
TEST(BundledRulesTest, EveryAlertIsUnitTestedFiringAndNotFiring) {
  for (const fs::path& f : Files(kRulesDir, ".rules.yml")) {
    const std::string base = f.filename().string();
    const fs::path test_path =
        kRulesDir / "tests" /
        (base.substr(0, base.size() - std::string(".rules.yml").size()) + ".test.yml");
    core::Result<UnitTestFile> tests =
        LoadUnitTestFile(test_path.string(), {.strict_prometheus2 = true});
    ASSERT_TRUE(tests.ok()) << tests.status().message();
    core::Result<ResolvedRuleFiles> resolved = ResolveRuleFiles(*tests);
    ASSERT_TRUE(resolved.ok()) << resolved.status().message();
    ASSERT_EQ(resolved->paths.size(), 1u) << test_path;
    EXPECT_EQ(fs::weakly_canonical(resolved->paths[0]), fs::weakly_canonical(f)) << test_path;
    std::set<std::string> firing, silent;
    for (const TestGroup& g : tests->tests) {
      // promtool 2.42 steps the input series by 0 without it.
      EXPECT_TRUE(g.interval.has_value()) << test_path << ": test \"" << g.name << "\"";
      for (const AlertRuleTest& t : g.alert_rule_tests) {
        (t.exp_alerts.empty() ? silent : firing).insert(t.alertname);
      }
    }
    core::Result<RuleFile> rules = LoadRuleFile(f.string());
    ASSERT_TRUE(rules.ok());
    for (const GroupSpec& g : rules->groups) {
      for (const RuleSpec& r : g.rules) {
        if (!r.is_alert()) continue;
        EXPECT_TRUE(firing.count(r.alert)) << base << ": " << r.alert << " is never tested firing";
        EXPECT_TRUE(silent.count(r.alert)) << base << ": " << r.alert << " is never tested silent";
      }
    }
  }
}

class BundledRulesPromtoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kPromtool, X_OK) != 0) {
      if (std::getenv("CI") != nullptr) FAIL() << kPromtool << " is required in CI";
      GTEST_SKIP() << kPromtool << " not found (Debian package 'prometheus'): not run";
    }
  }

  // Runs promtool `args` on every file ending in `suffix` under `dir`, from rules/.
  static void ExpectPromtoolPasses(const std::string& args, const fs::path& dir,
                                   const std::string& suffix) {
    std::string files;
    for (const fs::path& f : Files(dir, suffix)) {
      files += " " + testing::ShellQuote(fs::relative(f, kRulesDir).string());
    }
    ASSERT_FALSE(files.empty());
    int status = 0;
    const std::string out = testing::Shell("cd " + testing::ShellQuote(kRulesDir.string()) +
                                               " && " + kPromtool + " " + args + files + " 2>&1",
                                           &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_THAT(out, ::testing::Not(::testing::HasSubstr("FAILED"))) << out;
  }
};

TEST_F(BundledRulesPromtoolTest, PromtoolCheckRulesAcceptsEveryFile) {
  ExpectPromtoolPasses("check rules", kRulesDir, ".rules.yml");
}

TEST_F(BundledRulesPromtoolTest, PromtoolTestRulesPassesEveryUnitTest) {
  ExpectPromtoolPasses("test rules", kRulesDir / "tests", ".test.yml");
}

}  // namespace
}  // namespace smoke::ruler
