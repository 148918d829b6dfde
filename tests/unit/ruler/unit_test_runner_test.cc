// The `rules test` runner: which failures it reports for the files in tests/testdata/rules-test/
// (in both modes), the promtool semantics behind them (alerts compared after the last evaluation
// step, input samples visible only once evaluated, a rule error stopping its test group, rule
// files loaded per test group), and promtool's failure texts. The byte-for-byte comparison with
// promtool itself is in rules_test_promtool_test.cc.

#include "exporter/ruler/unit_test_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace smoke::ruler {
namespace {

namespace fs = std::filesystem;
using Kind = UnitTestFailure::Kind;

const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/rules-test/";

std::vector<Kind> Kinds(const UnitTestFileResult& r) {
  std::vector<Kind> kinds;
  for (const UnitTestFailure& f : r.failures) kinds.push_back(f.kind);
  return kinds;
}

std::string Messages(const UnitTestFileResult& r) {
  std::string out;
  for (const UnitTestFailure& f : r.failures) out += f.message + "\n";
  return out;
}

// Runs a unit-test file written to a temporary directory, next to `rules` (as rules.yml).
UnitTestFileResult RunText(const std::string& test, const std::string& rules = "groups: []\n",
                           UnitTestRunOptions options = {}) {
  testing::TempDir dir;
  dir.Write("rules.yml", rules);
  return RunUnitTestFile(dir.Write("t.test.yml", test), options);
}

struct FileCase {
  std::string file;
  // The failures in order, for Prometheus 2.42's verdict and for the default one.
  std::vector<Kind> strict;
  std::vector<Kind> by_default;
  std::string message_part;  // in the first failure's message (either mode), if set
};

class RulesTestFileTest : public ::testing::TestWithParam<FileCase> {};

TEST_P(RulesTestFileTest, ReportsTheExpectedFailures) {
  const FileCase& c = GetParam();
  const UnitTestFileResult strict = RunUnitTestFile(kDir + c.file, {.strict_prometheus2 = true});
  EXPECT_EQ(Kinds(strict), c.strict) << Messages(strict);
  EXPECT_EQ(strict.ok(), c.strict.empty());
  const UnitTestFileResult by_default = RunUnitTestFile(kDir + c.file);
  EXPECT_EQ(Kinds(by_default), c.by_default) << Messages(by_default);
  if (!c.message_part.empty()) {
    const UnitTestFileResult& failed = strict.ok() ? by_default : strict;
    ASSERT_FALSE(failed.failures.empty());
    EXPECT_NE(failed.failures[0].message.find(c.message_part), std::string::npos)
        << failed.failures[0].message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    RulesTestFiles, RulesTestFileTest,
    ::testing::Values(
        FileCase{"passing.test.yml", {}, {}, ""}, FileCase{"order.test.yml", {}, {}, ""},
        FileCase{"wrong_label.test.yml", {Kind::kAlert}, {Kind::kAlert}, "team=\"web-oncall\""},
        FileCase{"wrong_annotation.test.yml",
                 {Kind::kAlert},
                 {Kind::kAlert},
                 "summary=\"Error rate of api is 20%\""},
        FileCase{"wrong_value.test.yml", {Kind::kExpr}, {Kind::kExpr}, "exp: {__name__="},
        FileCase{"missing_alert.test.yml",
                 {Kind::kAlert},
                 {Kind::kAlert},
                 "alertname: ApiErrorRateHigh, time: 2m, \n"},
        FileCase{"extra_alert.test.yml", {Kind::kAlert}, {Kind::kAlert}, "instance=\"b:80\""},
        FileCase{"bad_series.test.yml", {Kind::kFile}, {Kind::kFile}, "invalid values \"0+90x\""},
        FileCase{"missing_rule_file.test.yml",
                 {Kind::kAlert, Kind::kAlert, Kind::kExpr, Kind::kExpr, Kind::kAlert, Kind::kAlert},
                 {Kind::kAlert, Kind::kAlert, Kind::kExpr, Kind::kExpr, Kind::kAlert, Kind::kAlert},
                 "got:[]"},
        FileCase{"broken_rule_file.test.yml",
                 {Kind::kRuleFiles, Kind::kRuleFiles},
                 {Kind::kRuleFiles, Kind::kRuleFiles},
                 "broken.rules.yml:5:15"},
        FileCase{"eval_error.test.yml",
                 {Kind::kAlert, Kind::kRuleEvaluation},
                 {Kind::kAlert, Kind::kRuleEvaluation},
                 "alertname: ApiInstanceDown, time: 1m"},
        FileCase{"expr_error.test.yml",
                 {Kind::kExpr, Kind::kExpr, Kind::kExpr},
                 {Kind::kExpr, Kind::kExpr, Kind::kExpr},
                 "err: vector cannot contain metrics with the same labelset"},
        FileCase{"failure_order.test.yml",
                 {Kind::kAlert, Kind::kAlert, Kind::kExpr, Kind::kExpr, Kind::kAlert},
                 {Kind::kAlert, Kind::kAlert, Kind::kExpr, Kind::kExpr, Kind::kAlert},
                 ""},
        FileCase{"order_wrong.test.yml",
                 {Kind::kExpr},
                 {Kind::kExpr},
                 "got: {__name__=\"copy:second\"} 3E+00"},
        FileCase{"nan.test.yml",
                 {Kind::kExpr},
                 {Kind::kExpr},
                 "got: {__name__=\"ratio\", job=\"api\"} NaN"},
        FileCase{"too_many_samples.test.yml",
                 {Kind::kExpr},
                 {Kind::kExpr},
                 "err: query processing would load too many samples"},
        // Prometheus 2.42 steps the series of a group without `interval` by 0.
        FileCase{"no_interval.test.yml", {}, {Kind::kAlert, Kind::kExpr}, "got:[]"},
        // Keys promtool 2.42 does not know.
        FileCase{"prometheus3.test.yml", {Kind::kFile, Kind::kFile}, {}, "fuzzy_compare"}),
    [](const ::testing::TestParamInfo<FileCase>& info) {
      std::string name = info.param.file.substr(0, info.param.file.find('.'));
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(UnitTestRunnerTest, EveryTestdataFileHasACase) {
  // A new file in rules-test/ must say what it expects (and the differential runs it too).
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().string().ends_with(".test.yml")) ++files;
  }
  EXPECT_EQ(files, 18u);
}

TEST(UnitTestRunnerTest, BundledRuleTestsPassInBothModes) {
  const fs::path dir = fs::path(SMOKE_SOURCE_DIR) / "rules" / "tests";
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.path().string().ends_with(".test.yml")) continue;
    ++files;
    for (bool strict : {true, false}) {
      const UnitTestFileResult r =
          RunUnitTestFile(e.path().string(), {.strict_prometheus2 = strict});
      EXPECT_TRUE(r.ok()) << e.path() << (strict ? " (strict)\n" : "\n") << Messages(r);
    }
  }
  EXPECT_GE(files, 6u);
}

TEST(UnitTestRunnerTest, AlertFailureReadsAsPromtoolsWithTheTestName) {
  const UnitTestFileResult r = RunUnitTestFile(kDir + "wrong_label.test.yml");
  ASSERT_EQ(r.failures.size(), 1u);
  const UnitTestFailure& f = r.failures[0];
  EXPECT_EQ(f.test_index, 1);
  EXPECT_EQ(f.test_name, "error rate and instance alerts");
  EXPECT_EQ(f.pos.line, 31);  // the alert_rule_test item
  EXPECT_EQ(f.message,
            "    name: error rate and instance alerts,\n"
            "    alertname: ApiErrorRateHigh, time: 3m, \n"
            "        exp:[\n"
            "            0:\n"
            "              Labels:{alertname=\"ApiErrorRateHigh\", job=\"api\", "
            "severity=\"critical\", team=\"web-oncall\"}\n"
            "              Annotations:{dashboard=\"https://grafana.example/d/api?env=staging\", "
            "summary=\"Error rate of api is 25%\"}\n"
            "            ], \n"
            "        got:[\n"
            "            0:\n"
            "              Labels:{alertname=\"ApiErrorRateHigh\", job=\"api\", "
            "severity=\"critical\", team=\"api-oncall\"}\n"
            "              Annotations:{dashboard=\"https://grafana.example/d/api?env=staging\", "
            "summary=\"Error rate of api is 25%\"}\n"
            "            ]");
}

TEST(UnitTestRunnerTest, SeveralAlertsAreSortedAndNumbered) {
  const UnitTestFileResult r = RunUnitTestFile(kDir + "missing_rule_file.test.yml");
  ASSERT_EQ(r.failures.size(), 6u);
  EXPECT_EQ(r.failures[4].test_index, 2);
  EXPECT_EQ(r.failures[4].message,
            "    name: gaps, several alerts at once, absent,\n"
            "    alertname: ApiInstanceDown, time: 3m, \n"
            "        exp:[\n"
            "            0:\n"
            "              Labels:{alertname=\"ApiInstanceDown\", instance=\"b:80\", job=\"api\", "
            "severity=\"warning\"}\n"
            "              Annotations:{summary=\"Instance b:80 is down\"},\n"
            "            1:\n"
            "              Labels:{alertname=\"ApiInstanceDown\", instance=\"c:80\", job=\"api\", "
            "severity=\"warning\"}\n"
            "              Annotations:{summary=\"Instance c:80 is down\"}\n"
            "            ], \n"
            "        got:[]");
  // The pattern as joined with the file's directory, as promtool prints it.
  EXPECT_EQ(r.warnings,
            std::vector<std::string>{"no file match pattern " + kDir + "rules/missing*.rules.yml"});
}

TEST(UnitTestRunnerTest, ExprFailuresPrintValuesAsGoDoes) {
  const UnitTestFileResult r = RunUnitTestFile(kDir + "wrong_value.test.yml");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].message,
            "    expr: \"job:http_requests_errors:ratio_rate5m\", time: 5m,\n"
            "        exp: {__name__=\"job:http_requests_errors:ratio_rate5m\", job=\"api\"} 3E-01\n"
            "        got: {__name__=\"job:http_requests_errors:ratio_rate5m\", job=\"api\"} "
            "2.5E-01");
  // Unlike alert failures, promtool does not name the test group here; the result does.
  EXPECT_EQ(r.failures[0].test_name, "error rate and instance alerts");
}

TEST(UnitTestRunnerTest, RuleEvaluationErrorStopsOnlyItsTestGroup) {
  const UnitTestFileResult r = RunUnitTestFile(kDir + "eval_error.test.yml");
  ASSERT_EQ(r.failures.size(), 2u) << Messages(r);
  // Time since the Unix epoch, as Go's time.Duration prints it.
  EXPECT_EQ(r.failures[1].message,
            "    rule: up:without_instance, time: 2m0s, err: vector cannot contain metrics with "
            "the same labelset");
  // The promql_expr_test of the first group never ran; the second group passed.
  for (const UnitTestFailure& f : r.failures) EXPECT_EQ(f.test_index, 1);
}

TEST(UnitTestRunnerTest, BrokenRuleFileFailsEveryTestGroup) {
  const UnitTestFileResult r = RunUnitTestFile(kDir + "broken_rule_file.test.yml");
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_EQ(r.failures[0].test_index, 1);
  EXPECT_EQ(r.failures[1].test_index, 2);
  EXPECT_EQ(r.failures[0].message, r.failures[1].message);
  EXPECT_NE(r.failures[0].message.find("unclosed left parenthesis"), std::string::npos);
}

TEST(UnitTestRunnerTest, SamplesAfterTheLastEvaluationStayInvisible) {
  // Evaluations at 0 and 1m only (the largest eval_time is 90s): the samples at 90s and later
  // are never loaded, so the queries at 90s see the one at 60s, even looking ahead.
  const UnitTestFileResult r = RunText(R"(
tests:
  - interval: 30s
    input_series:
      - series: x
        values: 0 1 2 3 4
    promql_expr_test:
      - expr: x
        eval_time: 90s
        exp_samples:
          - labels: x
            value: 2
      - expr: x offset -30s
        eval_time: 90s
        exp_samples:
          - labels: x
            value: 2
)");
  EXPECT_TRUE(r.ok()) << Messages(r);
}

TEST(UnitTestRunnerTest, AlertsAreComparedAfterTheLastEvaluationNotLater) {
  // evaluation_interval 2m: at eval_time 3m the last evaluation ran at 2m, when the alert (for
  // 3m) was still pending, and only firing alerts count; it fires at the evaluation at 4m.
  const std::string rules = R"(
groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        for: 3m
)";
  const std::string test = R"(
rule_files: [rules.yml]
evaluation_interval: 2m
tests:
  - interval: 1m
    input_series:
      - series: up
        values: 0x10
    alert_rule_test:
      - eval_time: 3m
        alertname: Down
      - eval_time: 4m
        alertname: Down
        exp_alerts:
          - {}
)";
  const UnitTestFileResult r = RunText(test, rules);
  EXPECT_TRUE(r.ok()) << Messages(r);
}

TEST(UnitTestRunnerTest, AlertsOfOneNameAddUpAcrossRulesAndGroups) {
  const std::string rules = R"(
groups:
  - name: a
    rules:
      - alert: Down
        expr: up{job="a"} == 0
  - name: b
    rules:
      - alert: Down
        expr: up{job="b"} == 0
        labels: {from: b}
)";
  const std::string test = R"(
rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: up{job="a"}
        values: 0
      - series: up{job="b"}
        values: 0
    alert_rule_test:
      - eval_time: 0m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: b, from: b}
          - exp_labels: {job: a}
)";
  const UnitTestFileResult r = RunText(test, rules);
  EXPECT_TRUE(r.ok()) << Messages(r);
}

TEST(UnitTestRunnerTest, ASeriesGivenTwiceKeepsItsLastValues) {
  const UnitTestFileResult r = RunText(R"(
tests:
  - interval: 1m
    input_series:
      - series: x
        values: 1 1
      - series: x
        values: 7 _ 9
    promql_expr_test:
      - expr: count_over_time(x[5m])
        eval_time: 2m
        exp_samples:
          - labels: '{}'
            value: 2
      - expr: x
        eval_time: 2m
        exp_samples:
          - labels: x
            value: 9
)");
  EXPECT_TRUE(r.ok()) << Messages(r);
}

TEST(UnitTestRunnerTest, ExternalLabelsAndUrlReachTemplatesButNotLabels) {
  const std::string rules = R"(
groups:
  - name: g
    rules:
      - alert: Up
        expr: vector(1)
        annotations:
          where: '{{ $externalLabels.cluster }} {{ $externalURL }}'
)";
  const std::string test = R"(
rule_files: [rules.yml]
tests:
  - interval: 1m
    external_labels: {cluster: eu-1}
    external_url: http://prom.example:9090
    alert_rule_test:
      - eval_time: 0m
        alertname: Up
        exp_alerts:
          - exp_annotations: {where: eu-1 http://prom.example:9090}
)";
  const UnitTestFileResult r = RunText(test, rules);
  EXPECT_TRUE(r.ok()) << Messages(r);
}

TEST(UnitTestRunnerTest, AnnotationThatExpandsToNothingIsStillThere) {
  const std::string rules = R"(
groups:
  - name: g
    rules:
      - alert: Up
        expr: vector(1)
        annotations: {owner: '{{ $labels.owner }}'}
)";
  const std::string test = R"(
rule_files: [rules.yml]
tests:
  - interval: 1m
    alert_rule_test:
      - eval_time: 0m
        alertname: Up
        exp_alerts:
          - exp_annotations: {owner: ''}
)";
  EXPECT_TRUE(RunText(test, rules).ok());
  const UnitTestFileResult r = RunText(
      "rule_files: [rules.yml]\ntests:\n  - alert_rule_test:\n      - {eval_time: 0m, alertname: "
      "Up, "
      "exp_alerts: [{}]}\n",
      rules);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(
      r.failures[0].message.find("got:[\n            0:\n              Labels:{alertname=\"Up\"}\n"
                                 "              Annotations:{owner=\"\"}"),
      std::string::npos)
      << r.failures[0].message;
}

TEST(UnitTestRunnerTest, StartTimestampMovesTheWholeTest) {
  const std::string test = R"(
tests:
  - interval: 1m
    start_timestamp: 1700000000
    input_series:
      - series: x
        values: 1 2
    promql_expr_test:
      - expr: timestamp(x)
        eval_time: 1m
        exp_samples:
          - labels: '{}'
            value: 1700000060
)";
  EXPECT_TRUE(RunText(test).ok());
  // promtool 2.42 does not know the key.
  const UnitTestFileResult strict = RunText(test, "groups: []\n", {.strict_prometheus2 = true});
  ASSERT_EQ(Kinds(strict), std::vector<Kind>{Kind::kFile});
  EXPECT_NE(strict.failures[0].message.find("start_timestamp"), std::string::npos);
}

TEST(UnitTestRunnerTest, FileWithoutTestsPassesEvenWithBrokenRules) {
  // promtool loads rule files per test group: without one, nothing is loaded.
  const UnitTestFileResult r = RunText("rule_files: [rules.yml]\ntests: []\n", "groups: [\n");
  EXPECT_TRUE(r.ok()) << Messages(r);
}

TEST(UnitTestRunnerTest, UnreadableFileIsAFileFailure) {
  const UnitTestFileResult r = RunUnitTestFile(kDir + "does-not-exist.test.yml");
  ASSERT_EQ(Kinds(r), std::vector<Kind>{Kind::kFile});
  EXPECT_NE(r.failures[0].message.find("does-not-exist.test.yml"), std::string::npos);
}

}  // namespace
}  // namespace smoke::ruler
