#pragma once
// PromQL evaluation scripts in the spirit of Prometheus's promqltest
// (tests/testdata/promql/*.test):
//
//   # comment
//   load 1m                                   starts a new data set (an implicit clear)
//     http_requests{job="api"} 0+10x10 _ stale 5
//   clear                                     starts an empty data set
//   semantics prometheus3                     evaluate what follows with left-open windows
//   eval instant at 10m rate(http_requests[5m])
//     {job="api"} 0.16666666666666669
//   eval_ordered instant at 5m sort_desc(x)    the order of the samples matters too
//   eval instant at 1m scalar(x)
//     3                                       a bare number: the expected scalar
//   eval_fail instant at 1m a + on() b
//     expected_fail_message found duplicate series ...
//     expected_fail_regexp multiple matches.*
//   eval range from 0 to 10m step 1m x        expected series in expanding notation,
//     x{a="1"} 0 1 2 _ 4                      "_" for a step without a point
//   eval instant at 1m sin(x)
//     ulps 1                                  the engine may differ from the expectation (which
//     {} 0.8414709848078965                   is Prometheus's) by this many units in the last
//                                             place: libm's sin is not Go's
//
// Series values use promtool's expanding notation: "a+bxn" (n+1 values), "axn", "_", "_xn",
// "stale". Sample i of a series is at i * interval. Semantics default to prometheus2, the
// version of the promtool that verifies the files (promtool_check_test.cc).
// Thread-safety: none needed; test helpers.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/promql/engine.h"
#include "exporter/promql/labels.h"
#include "exporter/promql/storage.h"

namespace smoke::promql::testing {

// A Queryable over a fixed list of series, scanning linearly: the reference the engine is tested
// against (tsdb::MemoryStorage is tested separately).
class TestStorage : public Queryable {
 public:
  void Add(Labels labels, std::vector<Point> points);
  std::vector<SeriesView> Select(const std::vector<LabelMatcher>& matchers, int64_t mint_ms,
                                 int64_t maxt_ms) const override;

 private:
  std::vector<SeriesView> series_;
};

struct LoadedSeries {
  std::string labels_text;  // as written, for promtool
  std::string values_text;
  Labels labels;
  std::vector<Point> points;
};

struct Dataset {
  int64_t interval_ms = 60'000;
  std::string interval_text = "1m";
  std::vector<LoadedSeries> series;
};

struct ExpectedSample {
  Labels labels;
  double value = 0;
};

struct ExpectedSeries {
  Labels labels;
  std::vector<std::optional<double>> values;  // one per step; nullopt: no point
};

struct EvalCase {
  int line = 0;
  std::string expr;
  size_t dataset = 0;
  Compatibility compatibility = Compatibility::kPrometheus2;
  bool range = false;
  int64_t t_ms = 0;  // instant
  std::string t_text;
  int64_t start_ms = 0, end_ms = 0, step_ms = 0;  // range
  bool ordered = false;
  int64_t max_ulps = 0;
  bool expect_fail = false;
  std::optional<std::string> fail_message;
  std::optional<std::string> fail_regexp;
  std::optional<double> scalar;  // an expected scalar result
  std::vector<ExpectedSample> samples;
  std::vector<ExpectedSeries> series;
};

struct Script {
  std::string name;
  std::vector<Dataset> datasets;
  std::vector<EvalCase> cases;
};

core::Result<Script> ParseScript(const std::string& text, const std::string& name);
core::Result<Script> LoadScript(const std::string& path);

// The storage for one data set of a script.
TestStorage BuildStorage(const Dataset& dataset);

// Evaluates the case; returns an empty string if the result is as expected, else a description
// of the difference.
std::string RunCase(const EvalCase& c, const Queryable& storage);

// Exact comparison, except that NaN equals NaN.
bool SameValue(double a, double b);
// SameValue, or finite values of the same sign at most `ulps` representable doubles apart.
bool WithinUlps(double a, double b, int64_t ulps);

// The parsers behind the format, exposed for the promtool conversion and tests.
core::Result<Labels> ParseSeriesLabels(std::string_view text, size_t* pos);
core::Result<std::vector<std::optional<double>>> ExpandValues(std::string_view text);
bool ParseNumber(std::string_view text, double* out);

}  // namespace smoke::promql::testing
