#pragma once
// Functions of a range vector, evaluated for one series' window at a time (rate, increase, delta
// with Prometheus's extrapolation, irate, idelta, deriv, predict_linear, holt_winters, changes,
// resets and the *_over_time family). absent_over_time is handled by the evaluator, since it
// looks at all series at once.
// Thread-safety: the table is immutable static data; the functions are pure.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "exporter/promql/value.h"

namespace smoke::promql {

struct RangeWindow {
  const std::vector<Point>* points;  // non-empty, ascending, staleness markers removed
  int64_t start_ms;                  // the window's bounds, for extrapolation
  int64_t end_ms;
  int64_t eval_ms;                     // the evaluation time (predict_linear's "now")
  const std::vector<double>& scalars;  // the other arguments, in order (quantile_over_time's q)
  bool prometheus2;
};

// The function's value for the window, or nullopt to leave the series out of the result.
// Throws EvalError for invalid arguments (holt_winters' factors).
using RangeFunction = std::optional<double> (*)(const RangeWindow& window);

struct RangeFunctionInfo {
  RangeFunction fn;
  // last_over_time and first_over_time act like a selector with offset and keep __name__.
  bool keeps_metric_name;
};

// nullptr if `name` is not a range-vector function this engine implements.
const RangeFunctionInfo* FindRangeFunction(std::string_view name);

}  // namespace smoke::promql
