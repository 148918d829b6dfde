#pragma once
// Implementations of the PromQL functions that take instant vectors, scalars and strings (the
// range-vector functions are in range_functions.h): math, clamping and rounding, label_replace and
// label_join, date functions, histogram_quantile over classic buckets, sort, absent, scalar,
// vector, time and timestamp. Results follow Prometheus: __name__ is dropped by every function
// that changes values, kept by label_* and sort*.
// Thread-safety: the table is immutable static data; the functions are pure.

#include <cstdint>
#include <string_view>
#include <vector>

#include "exporter/promql/ast.h"
#include "exporter/promql/value.h"

namespace smoke::promql {

struct FunctionContext {
  const Call& call;
  int64_t t;             // evaluation time, ms
  Labels absent_labels;  // for absent(): the labels its selector pins with "="
  bool prometheus2;
};

// `args` are the evaluated arguments (strings as String values); the function may consume them.
// Throws EvalError for invalid arguments, with Prometheus's messages.
using InstantFunction = Value (*)(std::vector<Value>& args, const FunctionContext& ctx);

// nullptr if `name` is not an instant function this engine implements.
InstantFunction FindInstantFunction(std::string_view name);

// strconv.ParseFloat(s, 64) as histogram_quantile reads `le`: false on a syntax or range error.
bool ParseGoFloat(std::string_view s, double* out);

}  // namespace smoke::promql
