// `smoke_exporter slo generate`: where the rules go, and what a user sees when the config is
// bad or the output cannot be written.

#include "exporter/ruler/slo_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "exporter/core/atomic_file.h"
#include "exporter/ruler/slo_rules.h"
#include "tests/support/temp_dir.h"

namespace smoke::ruler {
namespace {

using ::testing::HasSubstr;

const std::string kSample = std::string(SMOKE_TESTDATA_DIR) + "/slo/sample.yml";

TEST(SloCommandTest, WritesTheRuleFileToOutput) {
  testing::TempDir dir;
  const std::string output = (dir.path() / "slos.rules.yml").string();
  std::ostringstream out, err;
  ASSERT_EQ(RunSloGenerate({kSample, output}, out, err), 0) << err.str();
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(), "wrote the rules of 3 SLOs to " + output + "\n");
  core::Result<std::string> written = core::ReadWholeFile(output);
  ASSERT_TRUE(written.ok());
  core::Result<RuleFile> loaded = LoadRuleText(*written, output);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->groups.size(), 3u);
  EXPECT_THAT(*written, HasSubstr("from the slos: of " + kSample + ".\n"));
}

TEST(SloCommandTest, WritesToStdoutWithoutOutputOrWithDash) {
  for (const char* output : {"", "-"}) {
    std::ostringstream out, err;
    ASSERT_EQ(RunSloGenerate({kSample, output}, out, err), 0) << err.str();
    EXPECT_THAT(out.str(), HasSubstr("  - name: slo-api-availability\n")) << output;
    EXPECT_EQ(err.str(), "") << output;
  }
}

TEST(SloCommandTest, BadConfigExitsOneWithPositionedErrorsAndWritesNothing) {
  testing::TempDir dir;
  const std::string config = dir.Write("smoke.yml", R"(probes:
  - {name: api, kind: http, target: "http://127.0.0.1:1/"}
slos:
  - {name: s, objective: 99.9, sli: {availability: {probes: [apii]}}}
)");
  const std::string output = (dir.path() / "slos.rules.yml").string();
  std::ostringstream out, err;
  EXPECT_EQ(RunSloGenerate({config, output}, out, err), 1);
  EXPECT_EQ(err.str(),
            config + ":4:62: unknown probe \"apii\" \xE2\x80\x94 did you mean \"api\"?\n");
  EXPECT_FALSE(core::ReadWholeFile(output).ok());
}

TEST(SloCommandTest, ConfigWithoutSlosWritesAnEmptyRuleFileWithAWarning) {
  testing::TempDir dir;
  const std::string config = dir.Write("smoke.yml", "probes: []\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunSloGenerate({config, ""}, out, err), 0);
  EXPECT_THAT(out.str(), HasSubstr("groups: []\n"));
  EXPECT_EQ(err.str(),
            "warning: " + config + " has no slos: section; the rule file has no groups\n");
}

TEST(SloCommandTest, UnwritableOutputExitsOneNamingThePath) {
  testing::TempDir dir;
  const std::string output = (dir.path() / "missing-dir" / "slos.rules.yml").string();
  std::ostringstream out, err;
  EXPECT_EQ(RunSloGenerate({kSample, output}, out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr(output));
}

}  // namespace
}  // namespace smoke::ruler
