// The `readiness:` section: defaults, a full example, and one bad file per kind of mistake with
// the exact file:line:col message a user sees (testdata/config/readiness/).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "exporter/config/loader.h"
#include "exporter/config/readiness_parser.h"

namespace smoke::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Op = LabelMatcherSpec::Op;

const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/config/readiness/";

LoadOptions EmptyEnv() {
  LoadOptions options;
  options.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return options;
}

std::string Describe(const MatcherSetSpec& set) {
  std::string out;
  for (const LabelMatcherSpec& m : set) {
    if (!out.empty()) out += ", ";
    out += m.name + std::string(MatcherOpString(m.op)) + "\"" + m.value + "\"";
  }
  return out;
}

TEST(ReadinessConfigTest, DefaultsFailClosed) {
  core::Result<ConfigPtr> cfg =
      LoadConfigText("rules:\n  evaluation_interval: 20s\n", "c.yml", EmptyEnv());
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  const ReadinessSpec& r = (*cfg)->readiness;
  ASSERT_EQ(r.block_on.size(), 2u);
  EXPECT_EQ(Describe(r.block_on[0]), "gate=\"release\"");
  EXPECT_EQ(Describe(r.block_on[1]), "severity=\"critical\"");
  EXPECT_EQ(r.min_evaluations, 2);
  EXPECT_EQ(r.stale_after, std::chrono::seconds(60)) << "3 x rules.evaluation_interval";
  EXPECT_FALSE(r.allow_skipped);
  EXPECT_FALSE(r.waivers.enabled);
  EXPECT_EQ(r.decision_log.path, "") << "memory only unless a path is configured";
  EXPECT_EQ(r.decision_log.max_bytes, 10 * 1024 * 1024);
  EXPECT_EQ(r.decision_log.keep, 5);
}

TEST(ReadinessConfigTest, ReadsEverySetting) {
  core::Result<ConfigPtr> cfg = LoadConfigFile(kDir + "good.yml", EmptyEnv());
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  const ReadinessSpec& r = (*cfg)->readiness;
  ASSERT_EQ(r.block_on.size(), 3u);
  EXPECT_EQ(Describe(r.block_on[0]), "gate=\"release\"");
  EXPECT_EQ(Describe(r.block_on[1]), "team=\"payments\", severity=~\"critical|page\"");
  EXPECT_EQ(Describe(r.block_on[2]), "env!=\"dev\", tier!~\"batch.*\"");
  EXPECT_EQ(r.min_evaluations, 3);
  EXPECT_EQ(r.stale_after, std::chrono::minutes(1));
  EXPECT_TRUE(r.allow_skipped);
  EXPECT_TRUE(r.waivers.enabled);
  EXPECT_EQ(r.waivers.cache, std::chrono::seconds(10));
  EXPECT_EQ(r.waivers.timeout, std::chrono::seconds(1));
  // Relative to the config file, like every other path in it.
  EXPECT_EQ(r.decision_log.path, kDir + "decisions/readiness.jsonl");
  EXPECT_EQ(r.decision_log.max_bytes, 1024 * 1024);
  EXPECT_EQ(r.decision_log.keep, 3);
}

struct BadReadiness {
  const char* file;
  const char* error;  // after "<path>:"
};

// clang-format off
const BadReadiness kBad[] = {
    {"invalid-readiness-matcher-operator.yml",
     "3:7: invalid matcher in \"block_on\": missing operator in \"severity\" (expected "
     "name=value, name!=value, name=~regex or name!~regex)"},
    {"invalid-readiness-matcher-regex.yml",
     "3:21: invalid matcher in \"block_on\": invalid regular expression in "
     "\"severity=~\"(critical\"\": missing ): ^(?:(critical)$"},
    {"invalid-readiness-matcher-label.yml",
     "3:7: invalid matcher in \"block_on\": invalid label name \"team-name\" in \"team-name=db\""},
    {"invalid-readiness-block-on-empty.yml",
     "2:13: \"block_on\" must not be empty (leave it out for the default: gate=\"release\" or "
     "severity=\"critical\")"},
    {"invalid-readiness-block-on-type.yml",
     "3:7: expected a string for an item of \"block_on\", got a mapping"},
    {"invalid-readiness-min-evaluations.yml",
     "2:20: \"min_evaluations\" must be between 1 and 10000, got 0"},
    {"invalid-readiness-stale-after.yml",
     "4:16: \"stale_after\" 20s must be at least rules.evaluation_interval 30s, or the data "
     "would always be stale"},
    {"invalid-readiness-waivers-without-alertmanager.yml",
     "3:14: waivers are Alertmanager silences: \"enabled\" needs alerting.alertmanagers"},
    {"invalid-readiness-unknown-key.yml",
     "2:3: unknown key \"allow_skiped\" in readiness (expected one of: allow_skipped, block_on, "
     "decision_log, min_evaluations, stale_after, waivers) \xE2\x80\x94 did you mean "
     "\"allow_skipped\"?"},
    {"invalid-readiness-decision-log.yml",
     "4:16: expected a size (e.g. 4MiB, 512KiB, 1048576) for \"max_bytes\", got \"lots\"\n"
     "{path}5:11: \"keep\" must be between 0 and 1000, got -1"},
};
// clang-format on

class BadReadinessTest : public ::testing::TestWithParam<BadReadiness> {};

TEST_P(BadReadinessTest, IsRejectedWithFileLineColumn) {
  const std::string path = kDir + GetParam().file;
  core::Result<ConfigPtr> cfg = LoadConfigFile(path, EmptyEnv());
  ASSERT_FALSE(cfg.ok());
  std::string expected = path + ":" + GetParam().error;
  for (size_t pos = expected.find("{path}"); pos != std::string::npos;
       pos = expected.find("{path}")) {
    expected.replace(pos, 6, path + ":");
  }
  EXPECT_EQ(cfg.status().message(), expected);
}

INSTANTIATE_TEST_SUITE_P(Files, BadReadinessTest, ::testing::ValuesIn(kBad));

TEST(ReadinessConfigTest, EveryInvalidFileHasAnExpectedMessage) {
  std::set<std::string> listed;
  for (const BadReadiness& c : kBad) listed.insert(c.file);
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("invalid-", 0) == 0) {
      EXPECT_TRUE(listed.count(name)) << name;
    }
  }
}

TEST(MatcherTextTest, ParsesAlertmanagerStyleMatchers) {
  struct Case {
    const char* text;
    const char* described;
  } cases[] = {
      {"severity=critical", "severity=\"critical\""},
      {" severity = \"critical\" ", "severity=\"critical\""},
      {"a!=b", "a!=\"b\""},
      {"a=~b|c", "a=~\"b|c\""},
      {"a!~\"x,y\"", "a!~\"x,y\""},
      {"{a=b, c=~\"d{1,2}\",}", "a=\"b\", c=~\"d{1,2}\""},
      {R"(msg="say \"hi\"")", "msg=\"say \"hi\"\""},
      {R"(p=~"\d+")", "p=~\"\\d+\""},
      {"empty=", "empty=\"\""},
  };
  for (const Case& c : cases) {
    core::Result<MatcherSetSpec> set = ParseMatcherSetText(c.text);
    ASSERT_TRUE(set.ok()) << c.text << ": " << set.status().message();
    EXPECT_EQ(Describe(*set), c.described) << c.text;
  }
  core::Result<LabelMatcherSpec> m = ParseMatcherText("tier!~batch.*");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->op, Op::kRegexNoMatch);
}

TEST(MatcherTextTest, RejectsMalformedMatchers) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"", "empty matcher set"},
      {"{ }", "empty matcher set"},
      {"a=b,,c=d", "empty matcher"},
      {"{a=b", "missing closing } in \"{a=b\""},
      {"a=\"b", "unterminated quoted value in \"a=\"b\""},
      {"a=\"b\"c\"", "unterminated quoted value"},
      {"a=\"b\"c\"d\"", "unexpected quote inside the value"},
      {"1a=b", "invalid label name \"1a\""},
      {"=b", "invalid label name \"\""},
      {"a=~(", "invalid regular expression in \"a=~(\""},
  };
  for (const Case& c : cases) {
    core::Result<MatcherSetSpec> set = ParseMatcherSetText(c.text);
    ASSERT_FALSE(set.ok()) << c.text;
    EXPECT_THAT(set.status().message(), HasSubstr(c.error)) << c.text;
  }
}

}  // namespace
}  // namespace smoke::config
