#pragma once
// promtool unit-test files (`promtool test rules`, docs/configuration/unit_testing_rules.md):
// which rule files to load, input series in the expanding notation, and the alerts and PromQL
// results expected at given times. Loading is strict, as promtool's (unknown keys are errors),
// and checks here what promtool only finds while running (series and label syntax, a missing
// alertname, a group named twice in group_eval_order), so every mistake is reported at once with
// FILE:LINE:COL. Running the tests is the rule engine's job; this is only the file.
//
// Keys by Prometheus version: 2.42 has everything except `fuzzy_compare` (3.5),
// `tests[].start_timestamp` (3.9) and `exp_samples[].histogram` (2.47); those are rejected as
// unknown keys with strict_prometheus2. A test group without `interval` uses
// evaluation_interval (Prometheus 2.49+; 2.42 silently used 0).
// Thread-safety: the loaded structs are immutable values; loading is reentrant.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"
#include "exporter/promql/labels.h"
#include "exporter/ruler/rule_file.h"
#include "exporter/ruler/series_notation.h"

namespace smoke::ruler {

struct InputSeries {
  std::string series;  // as written, e.g. `up{job="api"}`
  std::string values;  // as written, e.g. `1+1x10 _ stale`
  promql::Labels labels;
  std::vector<SequenceValue> samples;  // sample i is at start + i*interval
  SourcePos pos;
};

struct ExpectedAlert {
  StringPairs exp_labels;  // without alertname, which the runner adds
  StringPairs exp_annotations;
  SourcePos pos;
};

struct AlertRuleTest {
  core::Duration eval_time{0};  // since the test's start
  std::string alertname;
  // Empty: no alert of this name is firing at eval_time.
  std::vector<ExpectedAlert> exp_alerts;
  SourcePos pos;
};

struct ExpectedSample {
  std::string labels_text;  // as written
  promql::Labels labels;
  double value = 0;
  std::string histogram;  // native-histogram notation (Prometheus 2.47+); not parsed here
  SourcePos pos;
};

struct PromqlExprTest {
  std::string expr;
  core::Duration eval_time{0};
  std::vector<ExpectedSample> exp_samples;
  SourcePos pos;
};

struct TestGroup {
  std::string name;  // may be empty
  // The step of input_series and the group evaluation interval given to LoadGroups; unset means
  // UnitTestFile::evaluation_interval.
  std::optional<core::Duration> interval;
  std::vector<InputSeries> input_series;
  std::vector<AlertRuleTest> alert_rule_tests;
  std::vector<PromqlExprTest> promql_expr_tests;
  StringPairs external_labels;
  std::string external_url;
  // Unix milliseconds of time 0 of this test (eval_time and sample i count from it); unset: 0.
  std::optional<int64_t> start_timestamp_ms;
  SourcePos pos;

  core::Duration EffectiveInterval(core::Duration evaluation_interval) const {
    return interval.value_or(evaluation_interval);
  }
};

struct UnitTestFile {
  std::string path;
  std::vector<std::string> rule_files;  // as written: globs, relative to the file's directory
  core::Duration evaluation_interval = std::chrono::minutes(1);
  std::vector<std::string> group_eval_order;
  bool fuzzy_compare = false;  // compare floats ignoring the last bit of the mantissa
  std::vector<TestGroup> tests;
};

struct UnitTestLoadOptions {
  // Reject the keys Prometheus 2.42's promtool does not know (see the file comment).
  bool strict_prometheus2 = false;
};

// On error the Status message holds every error found, one "FILE:LINE:COL: message" per line.
core::Result<UnitTestFile> LoadUnitTestFile(const std::string& path,
                                            const UnitTestLoadOptions& options = {});
core::Result<UnitTestFile> LoadUnitTestText(const std::string& text, const std::string& path,
                                            const UnitTestLoadOptions& options = {});

struct ResolvedRuleFiles {
  std::vector<std::string> paths;  // sorted within each pattern, as filepath.Glob returns them
  // "no file match pattern X" for a pattern that matched nothing (promtool warns and goes on).
  std::vector<std::string> warnings;
};
// Joins relative patterns with the test file's directory and expands globs, as promtool does.
core::Result<ResolvedRuleFiles> ResolveRuleFiles(const UnitTestFile& file);

// start_timestamp's syntax (promtool's parseTime): Unix seconds, possibly fractional (rounded to
// the millisecond), or RFC 3339 with optional fractional seconds. Returns Unix milliseconds.
core::Result<int64_t> ParseStartTimestamp(std::string_view text);

}  // namespace smoke::ruler
