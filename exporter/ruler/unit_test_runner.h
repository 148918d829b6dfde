#pragma once
// Runs the tests of a promtool unit-test file (unit_test_file.h) the way `promtool test rules`
// does, and reports each failure with promtool's text for it.
//
// What a test group does, as promtool (cmd/promtool/unittest.go):
//   - the rule files are loaded afresh for every test group (a broken rule file fails each group)
//     and their groups run in group_eval_order; groups it does not name count as first;
//   - the rules are evaluated at start, start+evaluation_interval, ... up to the largest eval_time
//     of the group, and input samples become visible only when the evaluation reaches their time
//     (so neither rules nor promql_expr_test see samples after the last evaluation);
//   - an alert_rule_test at eval_time t compares the FIRING alerts of every alerting rule named
//     alertname (pending ones do not count) after the evaluation at the largest step <= t, with
//     exactly the expected labels (plus alertname) and annotations;
//   - a promql_expr_test runs once all evaluations are done, at start+eval_time; values compare
//     with == (NaN never equals NaN), or within one ulp with fuzzy_compare;
//   - a rule that fails to evaluate stops the group there with "rule: NAME, time: T, err: E".
// Queries run with promtool's test engine limits: 5m lookback, at most 10000 samples in memory,
// subqueries without a step stepping by evaluation_interval.
// Thread-safety: reentrant; each call builds its own storage and groups.

#include <string>
#include <vector>

#include "exporter/ruler/rule_file.h"
#include "exporter/ruler/unit_test_file.h"

namespace smoke::ruler {

struct UnitTestRunOptions {
  // Give Prometheus 2.42's verdict (what `promtool test rules` says in CI): reject the keys and
  // rule-file features added later, evaluate with Prometheus 2's closed windows, and step the input
  // series of a test group without `interval` by 0 (every sample lands at the start, so only the
  // first one of each series counts). Otherwise Prometheus 3 semantics and keys apply, and a group
  // without `interval` steps by evaluation_interval.
  bool strict_prometheus2 = false;
};

struct UnitTestFailure {
  enum class Kind {
    kFile,            // the unit-test file itself could not be read or is invalid
    kRuleFiles,       // a rule file failed to load (reported for every test group)
    kRuleEvaluation,  // a rule failed to evaluate; the rest of its test group did not run
    kAlert,           // alert_rule_test: other firing alerts than expected
    kExpr,            // promql_expr_test: failed to run, or other samples than expected
  };
  Kind kind = Kind::kFile;
  int test_index = 0;     // 1-based index of the test group in `tests`; 0 for kFile
  std::string test_name;  // the test group's `name`, may be empty
  SourcePos pos;          // of the failing test case (or test group) in the unit-test file
  // promtool's text for this failure (possibly several lines), e.g.
  //   "    alertname: ApiDown, time: 5m, \n        exp:[], \n        got:[...]"
  std::string message;
};

struct UnitTestFileResult {
  std::string path;
  // "no file match pattern P" for each rule_files pattern that matched nothing (not a failure).
  std::vector<std::string> warnings;
  std::vector<UnitTestFailure> failures;  // in promtool's order

  bool ok() const { return failures.empty(); }
};

// Loads `path` (strictly, see UnitTestLoadOptions) and runs every test group in it.
UnitTestFileResult RunUnitTestFile(const std::string& path, const UnitTestRunOptions& options = {});

// Runs an already loaded file; its rule_files are resolved against file.path's directory.
UnitTestFileResult RunUnitTests(const UnitTestFile& file, const UnitTestRunOptions& options = {});

}  // namespace smoke::ruler
