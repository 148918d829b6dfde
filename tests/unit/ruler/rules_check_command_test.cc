// `smoke_exporter rules check`: promtool's output shape and exit codes, tested through the
// command function. Where promtool and we must print the same bytes (valid files, the
// duplicate-rules lint) the output is also compared with Prometheus 2.42's promtool when it is
// installed.

#include "exporter/ruler/rules_check_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "exporter/ruler/rules_check.h"
#include "tests/support/shell.h"
#include "tests/support/temp_dir.h"

namespace smoke::ruler {
namespace {

const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/rules/";
constexpr const char* kPromtool = "/usr/bin/promtool";

struct CheckRun {
  int code = -1;
  std::string out;
  std::string err;
};

CheckRun Check(const std::vector<std::string>& files, const RulesCheckOptions& options = {}) {
  std::ostringstream out, err;
  CheckRun r;
  r.code = RunRulesCheck(files, options, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

const std::string kDuplicateReport =
    "  FAILED:\n"
    "lint error 2 duplicate rule(s) found.\n"
    "Metric: ApiDown\n"
    "Label(s):\n"
    "Metric: job:probe_success:avg\n"
    "Label(s):\n"
    "\tteam: a\n"
    "\ttier: 1\n"
    "Might cause inconsistency while recording expressions\n";

TEST(RulesCheckCommandTest, ValidFileCountsItsRules) {
  const std::string path = kDir + "valid/alerts_and_records.yml";
  CheckRun r = Check({path});
  EXPECT_EQ(r.code, kRulesCheckOk);
  EXPECT_EQ(r.out, "Checking " + path + "\n  SUCCESS: 4 rules found\n\n");
  EXPECT_EQ(r.err, "");
}

TEST(RulesCheckCommandTest, InvalidFilePrintsEveryErrorAndExits1) {
  const std::string path = kDir + "invalid/many_errors.yml";
  CheckRun r = Check({path});
  EXPECT_EQ(r.code, kRulesCheckFailed);
  EXPECT_EQ(r.out, "Checking " + path + "\n\n");
  ASSERT_EQ(r.err.rfind("  FAILED:\n" + path + ":6:15: group \"api\", rule 1", 0), 0u) << r.err;
  // One line per error, five errors.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 6);
}

TEST(RulesCheckCommandTest, OneBadFileAmongGoodOnesFailsTheRunButAllAreChecked) {
  const std::string good = kDir + "valid/empty_groups.yml";
  const std::string bad = kDir + "invalid/missing_expr.yml";
  const std::string missing = kDir + "no-such-file.yml";
  CheckRun r = Check({good, bad, missing, good});
  EXPECT_EQ(r.code, kRulesCheckFailed);
  EXPECT_EQ(r.out, "Checking " + good + "\n  SUCCESS: 0 rules found\n\nChecking " + bad +
                       "\n\nChecking " + missing + "\n\nChecking " + good +
                       "\n  SUCCESS: 0 rules found\n\n");
  EXPECT_EQ(r.err, "  FAILED:\n" + bad +
                       ":4:9: group \"api\", rule 1 (alert \"ApiDown\"): field 'expr' must be set "
                       "in rule\n  FAILED:\ncannot open " +
                       missing + ": No such file or directory\n");
}

TEST(RulesCheckCommandTest, DuplicateRulesAreALintThatFailsOnlyWhenFatal) {
  const std::string path = kDir + "lint/duplicate_rules.yml";
  CheckRun r = Check({path});
  EXPECT_EQ(r.code, kRulesCheckOk);
  EXPECT_EQ(r.out, "Checking " + path + "\n\n");
  EXPECT_EQ(r.err, kDuplicateReport);

  RulesCheckOptions fatal_lint;
  fatal_lint.lint_fatal = true;
  CheckRun fatal = Check({path}, fatal_lint);
  EXPECT_EQ(fatal.code, kRulesCheckLintFailed);

  RulesCheckOptions no_lint;
  no_lint.lint_duplicate_rules = false;
  CheckRun off = Check({path}, no_lint);
  EXPECT_EQ(off.code, kRulesCheckOk);
  EXPECT_EQ(off.out, "Checking " + path + "\n  SUCCESS: 5 rules found\n\n");
  EXPECT_EQ(off.err, "");

  // An error anywhere outranks lint findings.
  CheckRun mixed = Check({path, kDir + "invalid/empty_expr.yml"}, fatal_lint);
  EXPECT_EQ(mixed.code, kRulesCheckFailed);
}

TEST(RulesCheckCommandTest, FindsDuplicatesWithTheirPositions) {
  core::Result<RuleFile> file = LoadRuleFile(kDir + "lint/duplicate_rules.yml");
  ASSERT_TRUE(file.ok()) << file.status().message();
  std::vector<DuplicateRule> d = FindDuplicateRules(*file);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].name, "ApiDown");
  ASSERT_EQ(d[0].positions.size(), 2u);
  EXPECT_EQ(d[0].positions[0].line, 6);
  EXPECT_EQ(d[0].positions[1].line, 15);
  EXPECT_EQ(d[1].name, "job:probe_success:avg");
  EXPECT_EQ(d[1].labels, (StringPairs{{"team", "a"}, {"tier", "1"}}));
}

TEST(RulesCheckCommandTest, WarningsArePrintedButDoNotFail) {
  const std::string path = kDir + "valid/zero_durations.yml";
  CheckRun r = Check({path});
  EXPECT_EQ(r.code, kRulesCheckOk);
  EXPECT_EQ(r.out, "Checking " + path + "\n  SUCCESS: 2 rules found\n\n");
  EXPECT_EQ(r.err, "  WARNING: " + path +
                       ":8:9: group \"zero\", rule 1 (record \"job:up:sum\"): \"for\" has no "
                       "effect on a recording rule (only alerts wait or keep firing)\n");
}

TEST(RulesCheckCommandTest, Prometheus2ModeRejectsPrometheus3Keys) {
  const std::string path = kDir + "prometheus3/group_labels.yml";
  EXPECT_EQ(Check({path}).code, kRulesCheckOk);
  RulesCheckOptions strict;
  strict.load.strict_prometheus2 = true;
  EXPECT_EQ(Check({path}, strict).code, kRulesCheckFailed);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RulesCheckCommandTest, PrintsWhatPromtoolPrints) {
  if (access(kPromtool, X_OK) != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << kPromtool << " is required in CI";
    GTEST_SKIP() << kPromtool << " not found (Debian package 'prometheus'): not compared";
  }
  testing::TempDir dir;
  const std::string err_path = (dir.path() / "stderr").string();
  const std::vector<std::string> files = {
      kDir + "valid/alerts_and_records.yml", kDir + "lint/duplicate_rules.yml",
      kDir + "valid/empty_file.yml", kDir + "valid/multiple_documents.yml"};
  for (const std::string& path : files) {
    int status = 0;
    // Shell() drops trailing newlines; add back the blank line promtool ends with.
    const std::string out =
        testing::Shell(std::string(kPromtool) + " check rules " + testing::ShellQuote(path) +
                           " 2>" + testing::ShellQuote(err_path),
                       &status) +
        "\n\n";
    CheckRun ours = Check({path});
    EXPECT_EQ(ours.out, out) << path;
    EXPECT_EQ(ours.err, ReadFile(err_path)) << path;
    EXPECT_EQ(ours.code, WEXITSTATUS(status)) << path;
  }
}

}  // namespace
}  // namespace smoke::ruler
