#pragma once
// Aggregation operators over an instant vector (engine.go's aggregation): sum, avg, min, max,
// count, group, stddev, stdvar, topk, bottomk, quantile and count_values, grouped by (...) or
// without (...), with Prometheus's NaN and Inf handling and its order of results (groups in
// order of first appearance; topk descending, bottomk ascending within a group).
// Thread-safety: pure function.

#include <string>

#include "exporter/promql/ast.h"
#include "exporter/promql/value.h"

namespace smoke::promql {

// `param` is the scalar parameter of topk/bottomk/quantile, `label_param` the string parameter of
// count_values. Throws EvalError for an invalid parameter.
Vector Aggregate(const AggregateExpr& expr, Vector input, double param,
                 const std::string& label_param, bool prometheus2);

}  // namespace smoke::promql
