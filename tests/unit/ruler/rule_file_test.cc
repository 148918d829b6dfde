// Rule-file loading: every invalid file in tests/testdata/rules/invalid/ with the exact report a
// user sees, the valid files with what the engine gets out of them, and the mode switch between
// Prometheus 2.42's verdicts and ours.

#include "exporter/ruler/rule_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "exporter/promql/ast.h"

namespace smoke::ruler {
namespace {

const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/rules/";

struct InvalidCase {
  std::string file;      // under tests/testdata/rules/invalid/
  std::string expected;  // the whole report, one "FILE:LINE:COL: message" per line
};

// FILE in `expected` stands for the file's path.
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
      {"unknown_top_level_key.yml",
       "FILE:1:1: unknown key \"grups\" (expected one of: groups) \xE2\x80\x94 did you mean "
       "\"groups\"?"},
      {"unknown_group_key.yml",
       "FILE:3:5: group \"api\": unknown key \"intervall\" (expected one of: interval, labels, "
       "limit, name, query_offset, rules) \xE2\x80\x94 did you mean \"interval\"?"},
      {"unknown_rule_key.yml",
       "FILE:6:9: group \"api\", rule 1 (alert \"ApiDown\"): unknown key \"annotation\" (expected "
       "one of: alert, annotations, expr, for, keep_firing_for, labels, record) \xE2\x80\x94 did "
       "you mean \"annotations\"?"},
      {"record_and_alert.yml",
       "FILE:4:17: group \"api\", rule 1 (alert \"ApiDown\"): only one of 'record' and 'alert' "
       "must be set"},
      {"neither_record_nor_alert.yml",
       "FILE:4:9: group \"api\", rule 1: one of 'record' or 'alert' must be set"},
      {"missing_expr.yml",
       "FILE:4:9: group \"api\", rule 1 (alert \"ApiDown\"): field 'expr' must be set in rule"},
      {"empty_expr.yml",
       "FILE:5:15: group \"api\", rule 1 (alert \"ApiDown\"): field 'expr' must be set in rule"},
      {"expr_syntax_error.yml",
       "FILE:5:15: group \"api\", rule 1 (alert \"ApiErrorRate\"): could not parse expression: "
       "1:54: parse error: unclosed left parenthesis"},
      {"expr_type_error.yml",
       "FILE:5:15: group \"api\", rule 1 (record \"job:http_requests:rate5m\"): could not parse "
       "expression: 1:20: parse error: expected type range vector in call to function \"rate\", "
       "got instant vector"},
      {"invalid_record_name.yml",
       "FILE:4:17: group \"api\", rule 1 (record \"job-http-requests\"): invalid recording rule "
       "name: job-http-requests"},
      {"record_name_with_braces.yml",
       "FILE:4:17: group \"api\", rule 1 (record \"probe_success{job=\\\"api\\\"}\"): invalid "
       "recording rule name: probe_success{job=\"api\"} (braces: should this be in expr?)"},
      {"for_on_recording_rule.yml",
       "FILE:6:9: group \"api\", rule 1 (record \"job:probe_success:min\"): invalid field 'for' "
       "in recording rule"},
      {"keep_firing_for_on_recording_rule.yml",
       "FILE:6:9: group \"api\", rule 1 (record \"job:probe_success:min\"): invalid field "
       "'keep_firing_for' in recording rule"},
      {"annotations_on_recording_rule.yml",
       "FILE:6:9: group \"api\", rule 1 (record \"job:probe_success:min\"): invalid field "
       "'annotations' in recording rule"},
      {"invalid_label_name.yml",
       "FILE:7:11: group \"api\", rule 1 (alert \"ApiDown\"): invalid label name: team-name"},
      {"metric_name_label.yml",
       "FILE:7:11: group \"api\", rule 1 (record \"job:probe_success:min\"): invalid label name: "
       "__name__ (reserved for the metric name)"},
      {"invalid_annotation_name.yml",
       "FILE:7:11: group \"api\", rule 1 (alert \"ApiDown\"): invalid annotation name: "
       "runbook-url"},
      {"label_template_unclosed.yml",
       "FILE:7:21: group \"api\", rule 1 (alert \"ApiDown\"): label \"instance\": template: "
       "__alert_ApiDown:1: unclosed action"},
      {"annotation_template_unknown_function.yml",
       "FILE:7:20: group \"api\", rule 1 (alert \"ApiSlow\"): annotation \"summary\": template: "
       "__alert_ApiSlow:1: function \"humanise\" not defined"},
      {"invalid_for_duration.yml",
       "FILE:6:14: group \"api\", rule 1 (alert \"ApiDown\"): invalid \"for\": not a valid "
       "duration string: \"5 minutes\""},
      {"empty_for_duration.yml",
       "FILE:6:14: group \"api\", rule 1 (alert \"ApiDown\"): invalid \"for\": empty duration "
       "string"},
      {"fractional_interval.yml",
       "FILE:3:15: group \"api\": invalid \"interval\": not a valid duration string: \"1.5m\""},
      {"limit_not_integer.yml",
       "FILE:3:12: group \"api\": expected an integer for \"limit\", got \"ten\""},
      {"empty_group_name.yml", "FILE:2:11: group 1: group name must not be empty"},
      {"duplicate_group_name.yml",
       "FILE:6:5: group \"api\": group name is repeated in the same file (first used on line 2)"},
      {"duplicate_key.yml", "FILE:6:9: mapping key \"expr\" already defined at line 5"},
      {"groups_not_a_list.yml",
       "FILE:2:3: expected a sequence of rule groups for \"groups\", got a mapping"},
      {"rules_not_a_list.yml",
       "FILE:4:7: group \"api\": expected a sequence of rules for \"rules\", got a mapping"},
      {"label_value_not_a_string.yml",
       "FILE:7:21: group \"api\", rule 1 (alert \"ApiDown\"): expected a string for label "
       "\"severity\", got a sequence"},
      {"yaml_syntax_error.yml", "FILE:6:8: YAML syntax error: end of sequence not found"},
      {"not_a_mapping.yml",
       "FILE:1:1: expected a mapping with the key \"groups\" at the top of a rule file, got a "
       "sequence"},
      {"many_errors.yml",
       "FILE:6:15: group \"api\", rule 1 (alert \"ApiDown\"): could not parse expression: 1:15: "
       "parse error: unexpected \"=\"\n"
       "FILE:7:14: group \"api\", rule 1 (alert \"ApiDown\"): invalid \"for\": not a valid "
       "duration string: \"1 m\"\n"
       "FILE:10:9: group \"api\", rule 2 (record \"api:latency\"): invalid field 'annotations' in "
       "recording rule\n"
       "FILE:12:11: group 2: group name must not be empty\n"
       "FILE:17:11: group 2, rule 1 (alert \"CacheDown\"): invalid label name: team-name"},
  };
  return cases;
}

TEST(RuleFileTest, EveryInvalidFileIsRejectedWithItsExactReport) {
  for (const InvalidCase& c : InvalidCases()) {
    const std::string path = kDir + "invalid/" + c.file;
    core::Result<RuleFile> loaded = LoadRuleFile(path);
    ASSERT_FALSE(loaded.ok()) << c.file << " was accepted";
    EXPECT_EQ(loaded.status().message(), Expand(c.expected, path)) << c.file;
  }
}

TEST(RuleFileTest, EveryInvalidFileIsRejectedInPrometheus2ModeToo) {
  for (const InvalidCase& c : InvalidCases()) {
    EXPECT_FALSE(LoadRuleFile(kDir + "invalid/" + c.file, {.strict_prometheus2 = true}).ok())
        << c.file;
  }
}

TEST(RuleFileTest, EveryFileInTheInvalidDirectoryHasACase) {
  std::set<std::string> covered;
  for (const InvalidCase& c : InvalidCases()) covered.insert(c.file);
  for (const auto& e : std::filesystem::directory_iterator(kDir + "invalid")) {
    EXPECT_TRUE(covered.count(e.path().filename().string()))
        << e.path() << " has no expected message in this test";
  }
}

TEST(RuleFileTest, ValidFilesLoadInBothModes) {
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(kDir + "valid")) {
    for (bool strict : {false, true}) {
      core::Result<RuleFile> loaded =
          LoadRuleFile(e.path().string(), {.strict_prometheus2 = strict});
      EXPECT_TRUE(loaded.ok()) << e.path() << ": " << loaded.status().message();
    }
    ++files;
  }
  EXPECT_GE(files, 9u);
}

TEST(RuleFileTest, LoadsGroupsRulesAndTheirFields) {
  core::Result<RuleFile> file = LoadRuleFile(kDir + "valid/alerts_and_records.yml");
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->path, kDir + "valid/alerts_and_records.yml");
  ASSERT_EQ(file->groups.size(), 2u);
  EXPECT_EQ(file->rule_count(), 4u);

  const GroupSpec& api = file->groups[0];
  EXPECT_EQ(api.name, "api.rules");
  EXPECT_EQ(api.file, file->path);
  EXPECT_EQ(api.interval, std::chrono::seconds(30));
  EXPECT_FALSE(api.query_offset.has_value());
  EXPECT_EQ(api.limit, 100);
  EXPECT_EQ(api.pos.line, 3);
  ASSERT_EQ(api.rules.size(), 3u);

  const RuleSpec& record = api.rules[0];
  EXPECT_FALSE(record.is_alert());
  EXPECT_EQ(record.name(), "job:probe_success:avg5m");
  EXPECT_EQ(record.expr, "avg by (job) (avg_over_time(probe_success[5m]))");
  ASSERT_NE(record.parsed, nullptr);
  EXPECT_EQ(record.parsed->Type(), promql::ValueType::kVector);
  EXPECT_EQ(record.labels, (StringPairs{{"source", "smoke"}}));
  EXPECT_EQ(record.pos.line, 7);
  EXPECT_EQ(record.pos.column, 9);

  const RuleSpec& alert = api.rules[2];
  EXPECT_TRUE(alert.is_alert());
  EXPECT_EQ(alert.name(), "ApiDown");
  EXPECT_EQ(alert.for_duration, std::chrono::minutes(1));
  EXPECT_EQ(alert.keep_firing_for, std::chrono::minutes(2));
  // Labels and annotations keep the file's order (it is the order templates are expanded in).
  EXPECT_EQ(alert.labels,
            (StringPairs{{"severity", "page"}, {"instance", "{{ $labels.instance }}"}}));
  ASSERT_EQ(alert.annotations.size(), 3u);
  EXPECT_EQ(alert.annotations[0].first, "summary");
  EXPECT_EQ(alert.annotations[2], (std::pair<std::string, std::string>{
                                      "runbook_url", "https://runbooks.example/api-down"}));

  const GroupSpec& certs = file->groups[1];
  EXPECT_FALSE(certs.interval.has_value());  // the global evaluation interval applies
  EXPECT_EQ(certs.limit, 0);
  EXPECT_EQ(certs.rules[0].for_duration, std::chrono::minutes(90));
  EXPECT_TRUE(file->warnings.empty());
}

TEST(RuleFileTest, KeepsDollarSignsAndReadsOnlyTheFirstDocument) {
  core::Result<RuleFile> relabel = LoadRuleFile(kDir + "valid/label_replace_dollar.yml");
  ASSERT_TRUE(relabel.ok()) << relabel.status().message();
  EXPECT_EQ(relabel->groups[0].rules[0].expr,
            "label_replace(probe_success, \"host\", \"${1}\", \"instance\", \"([^:]+):.*\")");
  EXPECT_EQ(relabel->groups[0].rules[1].annotations[0].second, "$$5 per {{ $labels.instance }}");

  core::Result<RuleFile> docs = LoadRuleFile(kDir + "valid/multiple_documents.yml");
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  EXPECT_EQ(docs->rule_count(), 1u);
}

TEST(RuleFileTest, ScalarsOfAnyYamlTypeAreStringsAsInGo) {
  core::Result<RuleFile> file = LoadRuleFile(kDir + "valid/scalar_coercion.yml");
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->groups[0].name, "2024");
  EXPECT_EQ(file->groups[0].rules[0].alert, "503");
  EXPECT_EQ(file->groups[0].rules[0].parsed->Type(), promql::ValueType::kScalar);
  EXPECT_EQ(file->groups[0].rules[0].labels, (StringPairs{{"priority", "1"}, {"paging", "true"}}));
}

TEST(RuleFileTest, ZeroDurationsAreAcceptedAndForOnARecordingRuleIsAWarning) {
  const std::string path = kDir + "valid/zero_durations.yml";
  core::Result<RuleFile> file = LoadRuleFile(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_FALSE(file->groups[0].interval.has_value());  // 0s: the global interval
  EXPECT_EQ(file->groups[0].rules[1].for_duration, core::Duration(0));
  EXPECT_EQ(
      file->warnings,
      (std::vector<std::string>{
          path + ":8:9: group \"zero\", rule 1 (record \"job:up:sum\"): \"for\" has no effect "
                 "on a recording rule (only alerts wait or keep firing)"}));
}

TEST(RuleFileTest, Prometheus3GroupKeysAreAcceptedUnlessStrict) {
  core::Result<RuleFile> labels = LoadRuleFile(kDir + "prometheus3/group_labels.yml");
  ASSERT_TRUE(labels.ok()) << labels.status().message();
  EXPECT_EQ(labels->groups[0].labels, (StringPairs{{"team", "payments"}}));
  core::Result<RuleFile> offset = LoadRuleFile(kDir + "prometheus3/query_offset.yml");
  ASSERT_TRUE(offset.ok()) << offset.status().message();
  EXPECT_EQ(offset->groups[0].query_offset, std::chrono::seconds(30));

  const std::string path = kDir + "prometheus3/query_offset.yml";
  core::Result<RuleFile> strict = LoadRuleFile(path, {.strict_prometheus2 = true});
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.status().message(),
            path +
                ":4:5: group \"api\": unknown key \"query_offset\" (expected one of: interval, "
                "limit, name, rules) \xE2\x80\x94 query_offset needs Prometheus 3; Prometheus "
                "2.42 rejects it");
}

TEST(RuleFileTest, AnExpressionNoRuleCanUseIsAnErrorOrInPrometheus2ModeAWarning) {
  const std::string path = kDir + "beyond_promtool/range_vector_record.yml";
  const std::string message =
      path +
      ":7:15: group \"api\", rule 1 (record \"job:probe_success:window\"): expression has "
      "type range vector; a rule needs an instant vector or scalar (Prometheus fails every "
      "evaluation of it with \"rule result is not a vector or scalar\")";
  core::Result<RuleFile> ours = LoadRuleFile(path);
  ASSERT_FALSE(ours.ok());
  EXPECT_EQ(ours.status().message(), message);

  core::Result<RuleFile> strict = LoadRuleFile(path, {.strict_prometheus2 = true});
  ASSERT_TRUE(strict.ok()) << strict.status().message();
  EXPECT_EQ(strict->warnings, std::vector<std::string>{message});

  EXPECT_FALSE(LoadRuleFile(kDir + "beyond_promtool/string_alert.yml").ok());
}

TEST(RuleFileTest, GroupLabelsAreValidated) {
  core::Result<RuleFile> file = LoadRuleText(
      "groups:\n"
      "  - name: g\n"
      "    labels: {__name__: x, ok: y, bad-name: z}\n",
      "inline.yml");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(
      file.status().message(),
      "inline.yml:3:14: group \"g\": invalid label name: __name__ (reserved for the metric name)\n"
      "inline.yml:3:34: group \"g\": invalid label name: bad-name");
}

TEST(RuleFileTest, MissingFileNamesThePathAndTheSystemError) {
  core::Result<RuleFile> file = LoadRuleFile(kDir + "does-not-exist.yml");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(),
            "cannot open " + kDir + "does-not-exist.yml: No such file or directory");
}

TEST(RuleFileTest, HostileInputIsAnErrorNotACrash) {
  const std::vector<std::string> inputs = {
      "groups: [",
      "groups:\n  - &a [*a]\n",
      "\t\tgroups",
      "groups:\n  - name: x\n    rules:\n      - alert: a\n        expr: " +
          std::string(5000, '(') + "\n",
      "a: &a [*a, *a, *a]\nb: &b [*a, *a, *a]\n",
      std::string("groups:\n  - name: \"\xff\xfe\"\n"),
      std::string(100000, '['),
      "groups:\n" + std::string(300, '[') + std::string(300, ']') + "\n",
  };
  for (const std::string& text : inputs) {
    core::Result<RuleFile> file = LoadRuleText(text, "hostile.yml");
    EXPECT_FALSE(file.ok()) << text.substr(0, 40);
  }
}

TEST(RuleFileTest, InvalidUtf8IsRejectedAsGoRejectsIt) {
  core::Result<RuleFile> file =
      LoadRuleText("groups:\n  - name: \"caf\xc3\xa9 \xff\"\n", "latin1.yml");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(), "latin1.yml:2:17: invalid UTF-8 in the file");
}

}  // namespace
}  // namespace smoke::ruler
