#pragma once
// PromQL evaluation: an expression (from ParseExpr) over a Queryable, at one timestamp (an instant
// query, what rules run) or at every step of a range (a range query, what graphs draw), with
// Prometheus's semantics: lookback, staleness markers, extrapolated rate/increase/delta, vector
// matching, aggregations, subqueries, offset and @, NaN/Inf handling and its error messages, e.g.
//   "vector cannot contain metrics with the same labelset"
//   "found duplicate series for the match group {a=\"1\"} on the right hand-side of the
//    operation: [...];many-to-many matching not allowed: matching labels must be unique on one
//    side"
// Native histograms are out of scope: histogram_count/sum/fraction/avg/stddev/stdvar see only
// float samples and so return nothing, as Prometheus does for classic series.
// Thread-safety: the functions are reentrant; evaluate concurrently from any number of threads
// as long as the Queryable allows concurrent Select calls.

#include <chrono>
#include <cstdint>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"
#include "exporter/promql/ast.h"
#include "exporter/promql/storage.h"
#include "exporter/promql/value.h"

namespace smoke::promql {

// Where Prometheus 2 and 3 differ in the numbers they compute.
enum class Compatibility {
  // Prometheus 3: lookback and range windows are left-open, (t-5m, t]; a subquery's first step is
  // strictly after its range start; rate() applies the "close enough to the boundary" test
  // before limiting extrapolation at a counter's zero point; sum() uses Kahan summation.
  kPrometheus3,
  // Prometheus 2 (as the promtool 2.42 that CI runs): windows are closed, [t-5m, t].
  kPrometheus2,
};

struct EvalOptions {
  // How far back an instant selector looks for a sample (--query.lookback-delta).
  core::Duration lookback_delta = std::chrono::minutes(5);
  // The step of a subquery written without one, `x[1h:]`: the rule evaluation interval
  // (global.evaluation_interval).
  core::Duration default_subquery_step = std::chrono::minutes(1);
  // Guard against runaway queries (--query.max-samples): the number of samples one evaluation
  // step may hold in memory.
  int64_t max_samples = 50'000'000;
  Compatibility compatibility = Compatibility::kPrometheus3;
};

// Evaluates `expr` at `t_ms` (Unix milliseconds). An instant vector comes back with every
// sample's timestamp set to t_ms; a range vector (`x[5m]`) keeps the samples' own timestamps.
core::Result<Value> EvalInstant(const Expr& expr, const Queryable& storage, int64_t t_ms,
                                const EvalOptions& options = {});

// Evaluates `expr` (an instant vector or a scalar) at start_ms, start_ms + step_ms, ... up to
// end_ms and returns one series per label set, sorted by labels; a scalar becomes a series
// without labels. Series without any point are left out.
core::Result<Matrix> EvalRange(const Expr& expr, const Queryable& storage, int64_t start_ms,
                               int64_t end_ms, int64_t step_ms, const EvalOptions& options = {});

}  // namespace smoke::promql
