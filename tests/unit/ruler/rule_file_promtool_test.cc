// Differential test: our loader in Prometheus 2 mode and Prometheus 2.42's `promtool check rules`
// give the same verdict on every file in tests/testdata/rules/: invalid/ and prometheus3/ are
// rejected by both, valid/ and beyond_promtool/ accepted by both (beyond_promtool/ holds what
// promtool accepts although no evaluation can succeed; our default mode rejects those).
// promtool comes from the Debian package `prometheus`; without it the test fails in CI (env CI
// set) and is skipped elsewhere.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "exporter/ruler/rule_file.h"
#include "tests/support/shell.h"

namespace smoke::ruler {
namespace {

constexpr const char* kPromtool = "/usr/bin/promtool";

struct Directory {
  std::string name;
  bool valid;
};

TEST(RuleFilePromtoolTest, SameVerdictAsPromtoolOnEveryTestFile) {
  if (access(kPromtool, X_OK) != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << kPromtool << " is required in CI";
    GTEST_SKIP() << kPromtool << " not found (Debian package 'prometheus'): not compared";
  }
  const std::string root = std::string(SMOKE_TESTDATA_DIR) + "/rules/";
  size_t compared = 0;
  for (const Directory& d :
       {Directory{"invalid", false}, Directory{"prometheus3", false}, Directory{"valid", true},
        Directory{"beyond_promtool", true}, Directory{"lint", true}}) {
    for (const auto& e : std::filesystem::directory_iterator(root + d.name)) {
      const std::string path = e.path().string();
      core::Result<RuleFile> ours = LoadRuleFile(path, {.strict_prometheus2 = true});
      int status = 0;
      const std::string out = testing::Shell(
          std::string(kPromtool) + " check rules " + testing::ShellQuote(path) + " 2>&1", &status);
      const bool promtool_accepts = status == 0;
      EXPECT_EQ(ours.ok(), d.valid) << path << ": " << ours.status().message();
      EXPECT_EQ(promtool_accepts, d.valid) << path << ": promtool says\n" << out;
      ++compared;
    }
  }
  EXPECT_GE(compared, 40u);
}

}  // namespace
}  // namespace smoke::ruler
