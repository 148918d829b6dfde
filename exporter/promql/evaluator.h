#pragma once
// Internal to the engine: evaluates a syntax tree node by node at one timestamp, the way
// Prometheus's evaluator does for each step of a query. Selectors read from a per-query cache
// filled once by Prepare(), so subquery steps and range-query steps do not query storage again.
// Errors are thrown as EvalError; engine.cc turns them into a Status.
// Thread-safety: one Evaluator serves one query on one thread.

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "exporter/promql/ast.h"
#include "exporter/promql/engine.h"
#include "exporter/promql/storage.h"
#include "exporter/promql/value.h"

namespace smoke::promql {

int64_t DurationMs(core::Duration d);

// `expr` without enclosing parentheses.
const Expr& UnwrapParens(const Expr& expr);

// Fails with "vector cannot contain metrics with the same labelset" if two samples share labels.
void CheckNoDuplicateLabelsets(const Vector& vector);

class Evaluator {
 public:
  // `query_start_ms` / `query_end_ms` are what @ start() and @ end() stand for.
  Evaluator(const Queryable& storage, const EvalOptions& options, int64_t query_start_ms,
            int64_t query_end_ms);

  // Selects, once, the samples every selector of `expr` needs for evaluations in
  // [query_start_ms, query_end_ms].
  void Prepare(const Expr& expr);

  Value Eval(const Expr& expr, int64_t t);

  // Starts a new top-level step for the max_samples guard.
  void ResetSampleCount() { samples_ = 0; }

  bool prometheus2() const { return options_.compatibility == Compatibility::kPrometheus2; }

 private:
  struct Bounds {
    int64_t mint;
    int64_t maxt;
  };

  void Plan(const Expr& expr, int64_t lo, int64_t hi);
  void PlanSelector(const VectorSelector& vs, int64_t lo, int64_t hi, int64_t range);
  const std::vector<SeriesView>& SeriesOf(const VectorSelector& vs);

  // The time a selector or subquery with these modifiers looks at when evaluated at t.
  int64_t RefTime(const std::optional<int64_t>& at_ms, AtModifier at, core::Duration offset,
                  int64_t t) const;
  void AddSamples(int64_t n);

  Vector EvalVectorSelector(const VectorSelector& vs, int64_t t);
  // The samples of each series in the window ending at `ref` (stale markers removed).
  Matrix EvalMatrixSelector(const MatrixSelector& ms, int64_t t);
  Matrix EvalSubquery(const SubqueryExpr& sq, int64_t t);
  Value EvalUnary(const UnaryExpr& e, int64_t t);
  Value EvalBinary(const BinaryExpr& e, int64_t t);
  Value EvalAggregate(const AggregateExpr& e, int64_t t);
  Value EvalCall(const Call& call, int64_t t);
  Value EvalRangeFunctionCall(const Call& call, size_t matrix_arg, int64_t t);
  Vector EvalVector(const Expr& expr, int64_t t);
  double EvalScalar(const Expr& expr, int64_t t);

  const Queryable& storage_;
  const EvalOptions options_;
  const int64_t query_start_;
  const int64_t query_end_;
  int64_t samples_ = 0;
  std::unordered_map<const VectorSelector*, Bounds> bounds_;
  std::unordered_map<const VectorSelector*, std::vector<SeriesView>> series_;
};

}  // namespace smoke::promql
