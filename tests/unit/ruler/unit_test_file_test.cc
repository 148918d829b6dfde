// promtool unit-test files: what the `rules test` runner gets out of a valid file, the exact
// report for each invalid file in tests/testdata/rules/unit/invalid/, the Prometheus 2 mode, and
// (when promtool is installed) the same verdict as `promtool test rules`.

#include "exporter/ruler/unit_test_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/support/shell.h"
#include "tests/support/temp_dir.h"

namespace smoke::ruler {
namespace {

const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/rules/unit/";
constexpr const char* kPromtool = "/usr/bin/promtool";

TEST(UnitTestFileTest, LoadsEveryFieldOfAPrometheus2File) {
  const std::string path = kDir + "api.test.yml";
  core::Result<UnitTestFile> file = LoadUnitTestFile(path, {.strict_prometheus2 = true});
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->path, path);
  EXPECT_EQ(file->rule_files, std::vector<std::string>{"api.rules.yml"});
  EXPECT_EQ(file->evaluation_interval, std::chrono::minutes(1));
  EXPECT_EQ(file->group_eval_order, std::vector<std::string>{"api"});
  EXPECT_FALSE(file->fuzzy_compare);
  ASSERT_EQ(file->tests.size(), 2u);

  const TestGroup& t = file->tests[0];
  EXPECT_EQ(t.name, "api goes down and recovers");
  EXPECT_EQ(t.interval, std::chrono::minutes(1));
  EXPECT_EQ(t.external_labels, (StringPairs{{"cluster", "staging"}}));
  EXPECT_EQ(t.external_url, "https://prometheus.example");
  EXPECT_FALSE(t.start_timestamp_ms.has_value());
  EXPECT_EQ(t.pos.line, 8);

  ASSERT_EQ(t.input_series.size(), 2u);
  const InputSeries& api = t.input_series[0];
  EXPECT_EQ(api.series, "probe_success{job=\"api\", instance=\"api:8080\"}");
  EXPECT_EQ(api.labels.ToString(),
            "{__name__=\"probe_success\", instance=\"api:8080\", job=\"api\"}");
  EXPECT_EQ(api.values, "1x3 0x4 1 _ stale");
  EXPECT_EQ(FormatSeriesValues(api.samples), "1 1 1 1 0 0 0 0 0 1 _ stale");
  EXPECT_EQ(FormatSeriesValues(t.input_series[1].samples), "1 1 1 1 1 1 1 1 1 1");

  ASSERT_EQ(t.alert_rule_tests.size(), 2u);
  EXPECT_EQ(t.alert_rule_tests[0].eval_time, std::chrono::minutes(4));
  EXPECT_EQ(t.alert_rule_tests[0].alertname, "ApiDown");
  EXPECT_TRUE(t.alert_rule_tests[0].exp_alerts.empty());  // nothing may fire
  const AlertRuleTest& firing = t.alert_rule_tests[1];
  ASSERT_EQ(firing.exp_alerts.size(), 1u);
  EXPECT_EQ(firing.exp_alerts[0].exp_labels,
            (StringPairs{{"severity", "page"}, {"job", "api"}, {"instance", "api:8080"}}));
  EXPECT_EQ(firing.exp_alerts[0].exp_annotations, (StringPairs{{"summary", "api:8080 is down"}}));

  ASSERT_EQ(t.promql_expr_tests.size(), 2u);
  const PromqlExprTest& e = t.promql_expr_tests[0];
  EXPECT_EQ(e.expr, "job:probe_success:avg5m");
  EXPECT_EQ(e.eval_time, std::chrono::minutes(5));
  ASSERT_EQ(e.exp_samples.size(), 2u);
  EXPECT_EQ(e.exp_samples[0].labels.ToString(),
            "{__name__=\"job:probe_success:avg5m\", job=\"api\"}");
  EXPECT_EQ(e.exp_samples[0].value, 4.0 / 6.0);
  EXPECT_TRUE(t.promql_expr_tests[1].exp_samples[0].labels.empty());  // '{}'
  EXPECT_EQ(t.promql_expr_tests[1].exp_samples[0].value, 1.0);        // 1e0

  // The second group sets nothing: its interval falls back to evaluation_interval.
  const TestGroup& bare = file->tests[1];
  EXPECT_FALSE(bare.interval.has_value());
  EXPECT_EQ(bare.EffectiveInterval(file->evaluation_interval), std::chrono::minutes(1));
  EXPECT_TRUE(bare.input_series.empty());
}

TEST(UnitTestFileTest, LaterPrometheusKeysAreAcceptedUnlessStrict) {
  const std::string path = kDir + "prometheus3.test.yml";
  core::Result<UnitTestFile> file = LoadUnitTestFile(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_TRUE(file->fuzzy_compare);
  EXPECT_EQ(file->tests[0].start_timestamp_ms, 1704164645500);  // 2024-01-02T03:04:05.5Z
  EXPECT_EQ(file->tests[0].promql_expr_tests[0].exp_samples[0].histogram,
            "{{schema:0 sum:1 count:1}}");

  core::Result<UnitTestFile> strict = LoadUnitTestFile(path, {.strict_prometheus2 = true});
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.status().message(),
            path +
                ":3:1: unknown key \"fuzzy_compare\" (expected one of: evaluation_interval, "
                "group_eval_order, rule_files, tests) \xE2\x80\x94 fuzzy_compare needs "
                "Prometheus 3.5; promtool 2.42 rejects it\n" +
                path +
                ":6:5: test 1: unknown key \"start_timestamp\" (expected one of: "
                "alert_rule_test, external_labels, external_url, input_series, interval, "
                "name, promql_expr_test) \xE2\x80\x94 start_timestamp needs Prometheus "
                "3.9; promtool 2.42 rejects it\n" +
                path +
                ":16:13: test 1, promql_expr_test 1, exp_samples 1: unknown key "
                "\"histogram\" (expected one of: labels, value) \xE2\x80\x94 histogram "
                "needs Prometheus 2.47; promtool 2.42 rejects it");
}

struct InvalidCase {
  std::string file;
  std::string expected;  // "FILE" stands for the path
};

std::string Expand(const std::string& expected, const std::string& path) {
  std::string out;
  for (size_t i = 0; i < expected.size();) {
    if (expected.compare(i, 4, "FILE") == 0) {
      out += path;
      i += 4;
    } else {
      out += expected[i++];
    }
  }
  return out;
}

const std::vector<InvalidCase>& InvalidCases() {
  static const std::vector<InvalidCase> cases = {
      {"unknown_key.test.yml",
       "FILE:6:9: test 1, input_series 1: unknown key \"value\" (expected one of: series, "
       "values) \xE2\x80\x94 did you mean \"values\"?"},
      {"bad_values.test.yml",
       "FILE:6:17: test 1, input_series 1: invalid values \"1+1x\": 1:5: parse error: unexpected "
       "end of input in series values"},
      {"bad_series.test.yml",
       "FILE:5:17: test 1, input_series 1: invalid series \"up{job=~\\\"api\\\"}\": 1:7: parse "
       "error: unexpected <op:=~> in label set, expected \"=\""},
      {"missing_alertname.test.yml",
       "FILE:9:9: test 1 (\"down\"), alert_rule_test 1: an item under alert_rule_test misses "
       "required attribute alertname at eval_time 5m"},
      {"bad_eval_time.test.yml",
       "FILE:9:20: test 1, promql_expr_test 1: invalid \"eval_time\": not a valid duration "
       "string: \"5 minutes\""},
      {"repeated_group_order.test.yml", "FILE:2:25: group name repeated in evaluation order: api"},
      {"bad_expr.test.yml",
       "FILE:8:15: test 1, promql_expr_test 1: could not parse expression: 1:7: parse error: "
       "unclosed left parenthesis"},
      {"bad_sample_labels.test.yml",
       "FILE:11:21: test 1, promql_expr_test 1, exp_samples 1: invalid labels "
       "\"up{job=\\\"a\\\"\": 1:11: parse error: unexpected end of input inside braces"},
      {"bad_sample_value.test.yml",
       "FILE:12:20: test 1, promql_expr_test 1, exp_samples 1: expected a number for "
       "\"value\", got \"one\""},
      {"tests_not_a_list.test.yml",
       "FILE:3:3: expected a sequence of test groups for \"tests\", got a mapping"},
  };
  return cases;
}

TEST(UnitTestFileTest, EveryInvalidFileIsRejectedWithItsExactReport) {
  for (const InvalidCase& c : InvalidCases()) {
    const std::string path = kDir + "invalid/" + c.file;
    for (bool strict : {false, true}) {
      core::Result<UnitTestFile> file = LoadUnitTestFile(path, {.strict_prometheus2 = strict});
      ASSERT_FALSE(file.ok()) << c.file << " was accepted";
      EXPECT_EQ(file.status().message(), Expand(c.expected, path)) << c.file;
    }
  }
  std::set<std::string> covered;
  for (const InvalidCase& c : InvalidCases()) covered.insert(c.file);
  for (const auto& e : std::filesystem::directory_iterator(kDir + "invalid")) {
    EXPECT_TRUE(covered.count(e.path().filename().string())) << e.path() << " has no case";
  }
}

TEST(UnitTestFileTest, SameVerdictAsPromtool) {
  if (access(kPromtool, X_OK) != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << kPromtool << " is required in CI";
    GTEST_SKIP() << kPromtool << " not found (Debian package 'prometheus'): not compared";
  }
  auto promtool_accepts = [](const std::string& path) {
    int status = 0;
    testing::Shell(
        std::string(kPromtool) + " test rules " + testing::ShellQuote(path) + " >/dev/null 2>&1",
        &status);
    return status == 0;
  };
  EXPECT_TRUE(promtool_accepts(kDir + "api.test.yml"));
  EXPECT_FALSE(promtool_accepts(kDir + "prometheus3.test.yml"));
  for (const InvalidCase& c : InvalidCases()) {
    EXPECT_FALSE(promtool_accepts(kDir + "invalid/" + c.file)) << c.file;
  }
}

TEST(UnitTestFileTest, ResolvesRuleFileGlobsRelativeToTheTestFile) {
  testing::TempDir dir;
  dir.Write("rules/b.yml", "groups: []\n");
  dir.Write("rules/a.yml", "groups: []\n");
  const std::string abs = dir.Write("other.yml", "groups: []\n");
  const std::string test = dir.Write(
      "tests/t.yml", "rule_files: ['../rules/*.yml', '" + abs + "', 'missing-*.yml']\ntests: []\n");
  core::Result<UnitTestFile> file = LoadUnitTestFile(test);
  ASSERT_TRUE(file.ok()) << file.status().message();
  core::Result<ResolvedRuleFiles> resolved = ResolveRuleFiles(*file);
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  const std::string root = dir.path().string();
  EXPECT_EQ(resolved->paths,
            (std::vector<std::string>{root + "/rules/a.yml", root + "/rules/b.yml", abs}));
  EXPECT_EQ(resolved->warnings,
            std::vector<std::string>{"no file match pattern " + root + "/tests/missing-*.yml"});
}

struct TimestampCase {
  std::string text;
  int64_t ms;
};

TEST(UnitTestFileTest, ParsesStartTimestampsAsPromtoolDoes) {
  const std::vector<TimestampCase> cases = {
      {"0", 0},
      {"1700000000", 1700000000000},
      {"1700000000.25", 1700000000250},
      {"1e9", 1000000000000},
      {"2024-01-02T03:04:05Z", 1704164645000},
      {"2024-01-02T03:04:05.123456789Z", 1704164645123},
      {"2024-01-02T05:04:05+02:00", 1704164645000},
      {"1970-01-01T00:00:00-00:30", 1800000},
      {"2024-02-29T00:00:00Z", 1709164800000},
  };
  for (const TimestampCase& c : cases) {
    core::Result<int64_t> ms = ParseStartTimestamp(c.text);
    ASSERT_TRUE(ms.ok()) << c.text << ": " << ms.status().message();
    EXPECT_EQ(*ms, c.ms) << c.text;
  }
  for (const std::string bad : {"", "yesterday", "2023-02-29T00:00:00Z", "2024-01-02 03:04:05Z",
                                "2024-01-02T03:04:05", "NaN", "inf"}) {
    core::Result<int64_t> ms = ParseStartTimestamp(bad);
    ASSERT_FALSE(ms.ok()) << "\"" << bad << "\" was accepted";
    EXPECT_EQ(ms.status().message(), "cannot parse \"" + bad + "\" to a valid timestamp");
  }
}

TEST(UnitTestFileTest, ReportsEveryErrorAtOnce) {
  core::Result<UnitTestFile> file = LoadUnitTestText(
      "evaluation_interval: 1x\n"
      "tests:\n"
      "  - interval: 1m\n"
      "    input_series:\n"
      "      - values: 1\n"
      "      - series: up\n"
      "        values: 1 2 x\n"
      "    alert_rule_test:\n"
      "      - alertname: A\n"
      "        eval_time: 1m\n"
      "        exp_alerts:\n"
      "          - exp_label: {a: b}\n",
      "t.yml");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(),
            "t.yml:1:22: invalid \"evaluation_interval\": not a valid duration string: \"1x\"\n"
            "t.yml:5:9: test 1, input_series 1: \"series\" must be set, e.g. 'up{job=\"api\"}'\n"
            "t.yml:7:17: test 1, input_series 2: invalid values \"1 2 x\": 1:5: parse error: "
            "unexpected \"x\"\n"
            "t.yml:12:13: test 1, alert_rule_test 1, exp_alerts 1: unknown key \"exp_label\" "
            "(expected one of: exp_annotations, exp_labels) \xE2\x80\x94 did you mean "
            "\"exp_labels\"?");
}

}  // namespace
}  // namespace smoke::ruler
