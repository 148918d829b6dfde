// `smoke_exporter rules test` against Prometheus 2.42's `promtool test rules`: for every
// unit-test file in the repository (rules/, alerting/, tests/testdata/), both give the same exit
// code, and where the failures are found while running the tests (not while loading a file,
// whose errors we report with FILE:LINE:COL instead of promtool's wording) the same stdout and
// stderr, byte for byte. Also the command's output shape and argument errors. promtool comes from
// the `prometheus` package (scripts/install-deps.sh); without it the comparisons are skipped.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "exporter/core/atomic_file.h"
#include "exporter/ruler/rules_test_command.h"
#include "exporter/ruler/unit_test_runner.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::ruler {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPromtool = "/usr/bin/promtool";
const fs::path kSource = fs::path(SMOKE_SOURCE_DIR);
const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/rules-test/";

struct CommandRun {
  int code = -1;
  std::string out;
  std::string err;
};

CommandRun Ours(const std::vector<std::string>& files, bool strict = true) {
  std::ostringstream out, err;
  RulesTestOptions options;
  options.run.strict_prometheus2 = strict;
  CommandRun r;
  r.code = RunRulesTest(files, options, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

CommandRun Promtool(const std::vector<std::string>& files) {
  testing::TempDir dir;
  std::vector<std::string> argv = {kPromtool, "test", "rules"};
  argv.insert(argv.end(), files.begin(), files.end());
  testing::Subprocess p(argv, dir.path().string());
  CommandRun r;
  const std::optional<int> code = p.Wait(std::chrono::seconds(30));
  r.code = code.value_or(-1);
  r.out = p.Stdout();
  r.err = p.Stderr();
  return r;
}

bool HavePromtool() { return access(kPromtool, X_OK) == 0; }

// Every *.test.yml under the folders that hold unit-test files, sorted.
std::vector<std::string> UnitTestFiles() {
  std::vector<std::string> files;
  for (const char* root : {"rules", "alerting", "tests/testdata"}) {
    const fs::path dir = kSource / root;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().string().ends_with(".test.yml")) {
        files.push_back(e.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class RulesTestPromtoolTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RulesTestPromtoolTest, SameVerdictAndFailuresAsPromtool) {
  if (!HavePromtool()) GTEST_SKIP() << kPromtool << " is not installed";
  const std::string& file = GetParam();
  const CommandRun theirs = Promtool({file});
  const CommandRun ours = Ours({file});
  ASSERT_EQ(ours.code, theirs.code) << "ours:\n"
                                    << ours.out << ours.err << "\npromtool:\n"
                                    << theirs.out << theirs.err;
  const UnitTestFileResult result = RunUnitTestFile(file, {.strict_prometheus2 = true});
  const bool load_error =
      std::any_of(result.failures.begin(), result.failures.end(), [](const UnitTestFailure& f) {
        return f.kind == UnitTestFailure::Kind::kFile ||
               f.kind == UnitTestFailure::Kind::kRuleFiles;
      });
  if (load_error) {
    // Same shape; the error texts differ (ours carry FILE:LINE:COL).
    EXPECT_EQ(ours.out.substr(0, ours.out.find('\n')), "Unit Testing:  " + file);
    EXPECT_EQ(theirs.out.substr(0, theirs.out.find('\n')), "Unit Testing:  " + file);
    EXPECT_NE(ours.err.find("  FAILED:\n"), std::string::npos) << ours.err;
    EXPECT_NE(theirs.err.find("  FAILED:\n"), std::string::npos) << theirs.err;
    return;
  }
  EXPECT_EQ(ours.out, theirs.out);
  EXPECT_EQ(ours.err, theirs.err);
}

INSTANTIATE_TEST_SUITE_P(RepositoryUnitTests, RulesTestPromtoolTest,
                         ::testing::ValuesIn(UnitTestFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = fs::relative(info.param, kSource).string();
                           name = name.substr(0, name.size() - std::string(".test.yml").size());
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(RulesTestPromtoolTest, CoversTheBundledAndTestdataFiles) {
  const std::vector<std::string> files = UnitTestFiles();
  auto count_under = [&](const fs::path& dir) {
    return std::count_if(files.begin(), files.end(),
                         [&](const std::string& f) { return f.starts_with(dir.string() + "/"); });
  };
  EXPECT_GE(count_under(kSource / "rules" / "tests"), 6);
  EXPECT_GE(count_under(fs::path(kDir).parent_path()), 18);
}

TEST(RulesTestPromtoolTest, SeveralFilesAtOnceGiveTheSameOutput) {
  if (!HavePromtool()) GTEST_SKIP() << kPromtool << " is not installed";
  const std::vector<std::string> files = {kDir + "passing.test.yml", kDir + "wrong_label.test.yml",
                                          kDir + "missing_rule_file.test.yml",
                                          kDir + "order.test.yml"};
  const CommandRun theirs = Promtool(files);
  const CommandRun ours = Ours(files);
  EXPECT_EQ(ours.code, 1);
  EXPECT_EQ(ours.code, theirs.code);
  EXPECT_EQ(ours.out, theirs.out);
  EXPECT_EQ(ours.err, theirs.err);
}

TEST(RulesTestPromtoolTest, ArgumentErrorsMatchPromtoolsButForTheProgramName) {
  if (!HavePromtool()) GTEST_SKIP() << kPromtool << " is not installed";
  testing::TempDir dir;
  const std::string valid = kDir + "passing.test.yml";
  for (const std::vector<std::string>& files :
       {std::vector<std::string>{valid, (dir.path() / "missing.test.yml").string()},
        std::vector<std::string>{dir.path().string() + "/", valid}}) {
    const CommandRun theirs = Promtool(files);
    const CommandRun ours = Ours(files);
    EXPECT_EQ(ours.code, theirs.code);
    EXPECT_EQ(ours.out, theirs.out);
    std::string expected = theirs.err;
    expected.replace(expected.find("promtool"), 8, "smoke_exporter");
    EXPECT_EQ(ours.err, expected);
  }
}

TEST(RulesTestPromtoolTest, PromtoolIsInstalledByInstallDeps) {
  // CI skips the comparisons only if promtool is missing; install-deps.sh must provide it.
  core::Result<std::string> script =
      core::ReadWholeFile((kSource / "scripts" / "install-deps.sh").string());
  ASSERT_TRUE(script.ok()) << script.status().message();
  EXPECT_NE(script->find(" prometheus "), std::string::npos)
      << "scripts/install-deps.sh no longer installs the prometheus package (promtool)";
}

// The command's own contract, with or without promtool.

TEST(RulesTestCommandTest, PrintsSuccessPerFile) {
  const std::string file = kDir + "passing.test.yml";
  const CommandRun r = Ours({file, file}, /*strict=*/false);
  EXPECT_EQ(r.code, kRulesTestOk);
  EXPECT_EQ(r.out,
            "Unit Testing:  " + file + "\n  SUCCESS\n\nUnit Testing:  " + file + "\n  SUCCESS\n\n");
  EXPECT_EQ(r.err, "");
}

TEST(RulesTestCommandTest, PrintsFailuresOnStderrAndABlankLinePerFailureOnStdout) {
  const std::string file = kDir + "eval_error.test.yml";
  const CommandRun r = Ours({file}, /*strict=*/false);
  EXPECT_EQ(r.code, kRulesTestFailed);
  EXPECT_EQ(r.out, "Unit Testing:  " + file + "\n\n\n\n");  // 2 failures
  EXPECT_TRUE(
      r.err.starts_with("  FAILED:\n    name: stops at 2m,\n    alertname: ApiInstanceDown, "
                        "time: 1m, \n"))
      << r.err;
  EXPECT_NE(r.err.find("\n    rule: up:without_instance, time: 2m0s, err: "), std::string::npos);
}

TEST(RulesTestCommandTest, WarnsAboutPatternsThatMatchNothing) {
  const std::string file = kDir + "missing_rule_file.test.yml";
  const CommandRun r = Ours({file});
  EXPECT_EQ(r.code, kRulesTestFailed);
  EXPECT_TRUE(r.err.starts_with("  WARNING: no file match pattern " + kDir +
                                "rules/missing*.rules.yml\n  FAILED:\n"))
      << r.err;
}

TEST(RulesTestCommandTest, AnyFailingFileFailsTheRunButEveryFileRuns) {
  const CommandRun r = Ours({kDir + "wrong_value.test.yml", kDir + "passing.test.yml"});
  EXPECT_EQ(r.code, kRulesTestFailed);
  EXPECT_NE(r.out.find("Unit Testing:  " + kDir + "passing.test.yml\n  SUCCESS\n"),
            std::string::npos);
}

TEST(RulesTestCommandTest, MissingPathOrDirectoryStopsBeforeRunningAnything) {
  testing::TempDir dir;
  const std::string missing = (dir.path() / "nope.test.yml").string();
  CommandRun r = Ours({kDir + "passing.test.yml", missing});
  EXPECT_EQ(r.code, kRulesTestFailed);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "smoke_exporter: error: path '" + missing + "' does not exist, try --help\n");

  r = Ours({dir.path().string()});
  EXPECT_EQ(r.code, kRulesTestFailed);
  EXPECT_EQ(r.err, "smoke_exporter: error: '" + dir.path().filename().string() +
                       "' is a directory, try --help\n");
}

TEST(RulesTestCommandTest, StrictModeRejectsLaterKeysLikePromtool242) {
  const std::string file = kDir + "prometheus3.test.yml";
  EXPECT_EQ(Ours({file}, /*strict=*/false).code, kRulesTestOk);
  const CommandRun strict = Ours({file}, /*strict=*/true);
  EXPECT_EQ(strict.code, kRulesTestFailed);
  EXPECT_NE(strict.err.find("start_timestamp needs Prometheus 3.9"), std::string::npos)
      << strict.err;
}

}  // namespace
}  // namespace smoke::ruler
