#pragma once
// Turns the cases of an evaluation script into a `promtool test rules` file (one test group per
// data set, one promql_expr_test per instant evaluation; a range evaluation becomes one instant
// evaluation per step) and reads promtool's report back, so that the expectations in
// tests/testdata/promql/*.test are checked against real Prometheus.
// promtool compares with reflect.DeepEqual, which never equals NaN, and prints what it got for
// every mismatch; the check therefore reads "got" and compares it itself (NaN equal to NaN).
// Thread-safety: none needed; test helpers.

#include <optional>
#include <string>
#include <vector>

#include "tests/unit/promql/script_runner.h"

namespace smoke::promql::testing {

// One instant evaluation as promtool sees it.
struct PromtoolCase {
  const EvalCase* source = nullptr;
  int64_t t_ms = 0;
  std::string time_text;  // model.Duration's String() of t_ms, as promtool prints it
  bool expect_fail = false;
  std::vector<ExpectedSample> samples;  // a scalar is a sample without labels
};

// The instant evaluations promtool can check for `c`, or an empty list if it cannot (Prometheus 3
// semantics, or a result that is neither an instant vector nor a scalar).
std::vector<PromtoolCase> ToPromtoolCases(const EvalCase& c);

// The unit-test file for one data set.
std::string ToPromtoolYaml(const Dataset& dataset, const std::vector<PromtoolCase>& cases);

// One mismatch in promtool's report.
struct PromtoolFailure {
  std::string expr;
  std::string time_text;
  std::optional<std::string> error;
  std::vector<ExpectedSample> got;
};

core::Result<std::vector<PromtoolFailure>> ParsePromtoolOutput(const std::string& output);

}  // namespace smoke::promql::testing
