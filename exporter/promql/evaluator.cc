#include "exporter/promql/evaluator.h"

#include <algorithm>
#include <limits>
#include <string>
#include <unordered_set>

#include "exporter/promql/aggregations.h"
#include "exporter/promql/binary_ops.h"
#include "exporter/promql/eval_error.h"
#include "exporter/promql/functions.h"
#include "exporter/promql/functions_impl.h"
#include "exporter/promql/range_functions.h"

namespace smoke::promql {
namespace {

// Saturating arithmetic for the planning pass: offsets and ranges are user input.
int64_t SatSub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) {
    return b > 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
  }
  return r;
}

// The labels absent() and absent_over_time() report: those matched with "=" exactly once.
Labels AbsentLabels(const Expr& arg) {
  const Expr& e = UnwrapParens(arg);
  const VectorSelector* vs = e.As<VectorSelector>();
  if (const auto* ms = e.As<MatrixSelector>()) vs = ms->vector_selector.get();
  if (vs == nullptr) return Labels();
  std::vector<Label> out;
  std::unordered_set<std::string> seen;
  for (const LabelMatcher& m : vs->matchers) {
    if (m.name() == kMetricNameLabel) continue;
    std::erase_if(out, [&](const Label& l) { return l.name == m.name(); });
    if (m.type() == MatchType::kEqual && seen.insert(m.name()).second) {
      out.push_back({m.name(), m.value()});
    }
  }
  return Labels(std::move(out));
}

}  // namespace

int64_t DurationMs(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

const Expr& UnwrapParens(const Expr& expr) {
  const Expr* e = &expr;
  while (const auto* p = e->As<ParenExpr>()) e = p->expr.get();
  return *e;
}

void CheckNoDuplicateLabelsets(const Vector& vector) {
  if (vector.size() < 2) return;
  std::unordered_set<std::string> seen;
  seen.reserve(vector.size());
  for (const Sample& s : vector) {
    if (!seen.insert(s.labels.Key()).second) {
      ThrowEvalError("vector cannot contain metrics with the same labelset");
    }
  }
}

Evaluator::Evaluator(const Queryable& storage, const EvalOptions& options, int64_t query_start_ms,
                     int64_t query_end_ms)
    : storage_(storage),
      options_(options),
      query_start_(query_start_ms),
      query_end_(query_end_ms) {}

int64_t Evaluator::RefTime(const std::optional<int64_t>& at_ms, AtModifier at,
                           core::Duration offset, int64_t t) const {
  int64_t base = t;
  if (at_ms.has_value()) {
    base = *at_ms;
  } else if (at == AtModifier::kStart) {
    base = query_start_;
  } else if (at == AtModifier::kEnd) {
    base = query_end_;
  }
  return SatSub(base, DurationMs(offset));
}

void Evaluator::AddSamples(int64_t n) {
  samples_ += n;
  if (samples_ > options_.max_samples) {
    ThrowEvalError("query processing would load too many samples into memory in query execution");
  }
}

// ---- Planning: which samples does each selector need? ----

void Evaluator::Prepare(const Expr& expr) {
  Plan(expr, query_start_, query_end_);
  for (const auto& [vs, b] : bounds_) {
    series_[vs] = storage_.Select(vs->matchers, b.mint, b.maxt);
  }
}

void Evaluator::PlanSelector(const VectorSelector& vs, int64_t lo, int64_t hi, int64_t range) {
  const int64_t ref_lo = RefTime(vs.timestamp_ms, vs.at, vs.original_offset, lo);
  const int64_t ref_hi = RefTime(vs.timestamp_ms, vs.at, vs.original_offset, hi);
  const int64_t back = range > 0 ? range : DurationMs(options_.lookback_delta);
  Bounds b{SatSub(ref_lo, back), ref_hi};
  auto [it, inserted] = bounds_.emplace(&vs, b);
  if (!inserted) {
    it->second.mint = std::min(it->second.mint, b.mint);
    it->second.maxt = std::max(it->second.maxt, b.maxt);
  }
}

void Evaluator::Plan(const Expr& expr, int64_t lo, int64_t hi) {
  switch (expr.kind()) {
    case NodeKind::kNumberLiteral:
    case NodeKind::kStringLiteral:
      return;
    case NodeKind::kVectorSelector:
      PlanSelector(*expr.As<VectorSelector>(), lo, hi, 0);
      return;
    case NodeKind::kMatrixSelector: {
      const auto& ms = *expr.As<MatrixSelector>();
      PlanSelector(*ms.vector_selector, lo, hi, std::max<int64_t>(1, DurationMs(ms.range)));
      return;
    }
    case NodeKind::kSubquery: {
      const auto& sq = *expr.As<SubqueryExpr>();
      const int64_t end_lo = RefTime(sq.timestamp_ms, sq.at, sq.original_offset, lo);
      const int64_t end_hi = RefTime(sq.timestamp_ms, sq.at, sq.original_offset, hi);
      Plan(*sq.expr, SatSub(end_lo, DurationMs(sq.range)), end_hi);
      return;
    }
    case NodeKind::kParen:
      Plan(*expr.As<ParenExpr>()->expr, lo, hi);
      return;
    case NodeKind::kUnary:
      Plan(*expr.As<UnaryExpr>()->expr, lo, hi);
      return;
    case NodeKind::kBinary: {
      const auto& b = *expr.As<BinaryExpr>();
      Plan(*b.lhs, lo, hi);
      Plan(*b.rhs, lo, hi);
      return;
    }
    case NodeKind::kAggregate: {
      const auto& a = *expr.As<AggregateExpr>();
      if (a.param) Plan(*a.param, lo, hi);
      Plan(*a.expr, lo, hi);
      return;
    }
    case NodeKind::kCall:
      for (const ExprPtr& arg : expr.As<Call>()->args) Plan(*arg, lo, hi);
      return;
  }
}

const std::vector<SeriesView>& Evaluator::SeriesOf(const VectorSelector& vs) {
  auto it = series_.find(&vs);
  if (it != series_.end()) return it->second;
  // Not planned (cannot happen for a tree given to Prepare): select everything.
  return series_[&vs] = storage_.Select(vs.matchers, std::numeric_limits<int64_t>::min(),
                                        std::numeric_limits<int64_t>::max());
}

// ---- Evaluation ----

Value Evaluator::Eval(const Expr& expr, int64_t t) {
  switch (expr.kind()) {
    case NodeKind::kNumberLiteral:
      return Scalar{t, expr.As<NumberLiteral>()->value};
    case NodeKind::kStringLiteral:
      return String{t, expr.As<StringLiteral>()->value};
    case NodeKind::kVectorSelector:
      return EvalVectorSelector(*expr.As<VectorSelector>(), t);
    case NodeKind::kMatrixSelector:
      return EvalMatrixSelector(*expr.As<MatrixSelector>(), t);
    case NodeKind::kSubquery:
      return EvalSubquery(*expr.As<SubqueryExpr>(), t);
    case NodeKind::kParen:
      return Eval(*expr.As<ParenExpr>()->expr, t);
    case NodeKind::kUnary:
      return EvalUnary(*expr.As<UnaryExpr>(), t);
    case NodeKind::kBinary:
      return EvalBinary(*expr.As<BinaryExpr>(), t);
    case NodeKind::kAggregate:
      return EvalAggregate(*expr.As<AggregateExpr>(), t);
    case NodeKind::kCall:
      return EvalCall(*expr.As<Call>(), t);
  }
  ThrowEvalError("unhandled expression");
}

Vector Evaluator::EvalVector(const Expr& expr, int64_t t) {
  Value v = Eval(expr, t);
  if (auto* vec = std::get_if<Vector>(&v)) return std::move(*vec);
  ThrowEvalError("expected instant vector, got " + std::string(DocumentedType(TypeOf(v))));
}

double Evaluator::EvalScalar(const Expr& expr, int64_t t) {
  Value v = Eval(expr, t);
  if (const auto* s = std::get_if<Scalar>(&v)) return s->v;
  ThrowEvalError("expected scalar, got " + std::string(DocumentedType(TypeOf(v))));
}

Vector Evaluator::EvalVectorSelector(const VectorSelector& vs, int64_t t) {
  const int64_t ref = RefTime(vs.timestamp_ms, vs.at, vs.original_offset, t);
  const int64_t oldest = SatSub(ref, DurationMs(options_.lookback_delta));
  const bool closed = prometheus2();
  Vector out;
  for (const SeriesView& sv : SeriesOf(vs)) {
    auto it = std::upper_bound(sv.points.begin(), sv.points.end(), ref,
                               [](int64_t ts, const Point& p) { return ts < p.t; });
    if (it == sv.points.begin()) continue;
    --it;
    if (closed ? it->t < oldest : it->t <= oldest) continue;
    if (IsStaleNaN(it->v)) continue;
    out.push_back(Sample{sv.labels, it->t, it->v});
  }
  AddSamples(static_cast<int64_t>(out.size()));
  return out;
}

Matrix Evaluator::EvalMatrixSelector(const MatrixSelector& ms, int64_t t) {
  const VectorSelector& vs = *ms.vector_selector;
  const int64_t maxt = RefTime(vs.timestamp_ms, vs.at, vs.original_offset, t);
  const int64_t mint = SatSub(maxt, DurationMs(ms.range));
  const bool closed = prometheus2();
  Matrix out;
  for (const SeriesView& sv : SeriesOf(vs)) {
    auto cmp_lo = [](const Point& p, int64_t ts) { return p.t < ts; };
    auto lo = closed ? std::lower_bound(sv.points.begin(), sv.points.end(), mint, cmp_lo)
                     : std::upper_bound(sv.points.begin(), sv.points.end(), mint,
                                        [](int64_t ts, const Point& p) { return ts < p.t; });
    auto hi = std::upper_bound(lo, sv.points.end(), maxt,
                               [](int64_t ts, const Point& p) { return ts < p.t; });
    Series s{sv.labels, {}};
    for (auto it = lo; it != hi; ++it) {
      if (!IsStaleNaN(it->v)) s.points.push_back(*it);
    }
    if (s.points.empty()) continue;
    AddSamples(static_cast<int64_t>(s.points.size()));
    out.push_back(std::move(s));
  }
  return out;
}

Matrix Evaluator::EvalSubquery(const SubqueryExpr& sq, int64_t t) {
  const int64_t step = DurationMs(sq.step.count() != 0 ? sq.step : options_.default_subquery_step);
  if (step <= 0) ThrowEvalError("subquery step must be positive");
  const int64_t end = RefTime(sq.timestamp_ms, sq.at, sq.original_offset, t);
  const int64_t lo = SatSub(end, DurationMs(sq.range));
  // The first step aligned to a multiple of the step at or after (Prometheus 3: after) lo.
  int64_t start = step * (lo / step);
  if ((prometheus2() ? start < lo : start <= lo) && __builtin_add_overflow(start, step, &start)) {
    return {};
  }

  Matrix out;
  std::unordered_map<std::string, size_t> index;
  for (int64_t ts = start; ts <= end; ts += step) {
    // Each step counts against the sample limit, so that `x[1y:1ms]` fails instead of hanging.
    AddSamples(1);
    Vector vec = EvalVector(*sq.expr, ts);
    for (Sample& s : vec) {
      auto [it, inserted] = index.emplace(s.labels.Key(), out.size());
      if (inserted) out.push_back(Series{std::move(s.labels), {}});
      out[it->second].points.push_back(Point{ts, s.v});
    }
    if (static_cast<uint64_t>(end) - static_cast<uint64_t>(ts) < static_cast<uint64_t>(step)) {
      break;  // no overflow past `end`
    }
  }
  return out;
}

Value Evaluator::EvalUnary(const UnaryExpr& e, int64_t t) {
  Value v = Eval(*e.expr, t);
  if (e.op != ItemType::kSub) return v;
  if (auto* s = std::get_if<Scalar>(&v)) {
    s->v = -s->v;
    return v;
  }
  Vector vec = std::get<Vector>(std::move(v));
  for (Sample& s : vec) {
    s.labels = s.labels.WithoutMetricName();
    s.v = -s.v;
    s.t = t;
  }
  CheckNoDuplicateLabelsets(vec);
  return vec;
}

Value Evaluator::EvalBinary(const BinaryExpr& e, int64_t t) {
  const ValueType lt = e.lhs->Type();
  const ValueType rt = e.rhs->Type();
  if (lt == ValueType::kScalar && rt == ValueType::kScalar) {
    const double l = EvalScalar(*e.lhs, t);
    const double r = EvalScalar(*e.rhs, t);
    return Scalar{t, ScalarBinop(e.op, l, r)};
  }
  Vector out;
  if (lt == ValueType::kVector && rt == ValueType::kVector) {
    Vector lhs = EvalVector(*e.lhs, t);
    Vector rhs = EvalVector(*e.rhs, t);
    const VectorMatching matching = e.matching.value_or(VectorMatching{});
    switch (e.op) {
      case ItemType::kLand:
        out = VectorAnd(std::move(lhs), rhs, matching);
        break;
      case ItemType::kLor:
        out = VectorOr(std::move(lhs), std::move(rhs), matching);
        break;
      case ItemType::kLunless:
        out = VectorUnless(std::move(lhs), rhs, matching);
        break;
      default:
        out = VectorBinop(e.op, lhs, rhs, matching, e.return_bool);
        break;
    }
  } else if (lt == ValueType::kVector) {
    Vector lhs = EvalVector(*e.lhs, t);
    const double r = EvalScalar(*e.rhs, t);
    out = VectorScalarBinop(e.op, std::move(lhs), r, /*scalar_on_left=*/false, e.return_bool);
  } else {
    const double l = EvalScalar(*e.lhs, t);
    Vector rhs = EvalVector(*e.rhs, t);
    out = VectorScalarBinop(e.op, std::move(rhs), l, /*scalar_on_left=*/true, e.return_bool);
  }
  for (Sample& s : out) s.t = t;
  CheckNoDuplicateLabelsets(out);
  return out;
}

Value Evaluator::EvalAggregate(const AggregateExpr& e, int64_t t) {
  double param = 0;
  std::string label_param;
  if (e.param) {
    const Expr& p = UnwrapParens(*e.param);
    if (const auto* s = p.As<StringLiteral>()) {
      label_param = s->value;
    } else {
      param = EvalScalar(*e.param, t);
    }
  }
  Vector input = EvalVector(*e.expr, t);
  Vector out = Aggregate(e, std::move(input), param, label_param, prometheus2());
  for (Sample& s : out) s.t = t;
  CheckNoDuplicateLabelsets(out);
  return out;
}

Value Evaluator::EvalCall(const Call& call, int64_t t) {
  const std::string_view name = call.func->name;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const Expr& a = UnwrapParens(*call.args[i]);
    if (a.kind() == NodeKind::kMatrixSelector || a.kind() == NodeKind::kSubquery) {
      return EvalRangeFunctionCall(call, i, t);
    }
  }
  const InstantFunction fn = FindInstantFunction(name);
  if (fn == nullptr) {
    ThrowEvalError("function \"" + std::string(name) + "\" is not supported by this engine");
  }
  std::vector<Value> args;
  args.reserve(call.args.size());
  for (const ExprPtr& arg : call.args) {
    Value v = Eval(*arg, t);
    if (auto* vec = std::get_if<Vector>(&v)) {
      // timestamp() reports the sample's own time only when given a selector directly.
      const bool keep_time = name == "timestamp" && UnwrapParens(*arg).As<VectorSelector>();
      if (!keep_time) {
        for (Sample& s : *vec) s.t = t;
      }
    }
    args.push_back(std::move(v));
  }
  FunctionContext ctx{call, t, name == "absent" ? AbsentLabels(*call.args[0]) : Labels(),
                      prometheus2()};
  Value result = fn(args, ctx);
  if (auto* vec = std::get_if<Vector>(&result)) {
    for (Sample& s : *vec) s.t = t;
    CheckNoDuplicateLabelsets(*vec);
  }
  return result;
}

Value Evaluator::EvalRangeFunctionCall(const Call& call, size_t matrix_arg, int64_t t) {
  const std::string_view name = call.func->name;
  const RangeFunctionInfo* info = FindRangeFunction(name);
  if (info == nullptr) {
    ThrowEvalError("function \"" + std::string(name) + "\" is not supported by this engine");
  }
  std::vector<double> scalars;
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (i != matrix_arg) scalars.push_back(EvalScalar(*call.args[i], t));
  }
  const Expr& arg = UnwrapParens(*call.args[matrix_arg]);
  Matrix input;
  int64_t range_end = 0;
  int64_t range_ms = 0;
  if (const auto* ms = arg.As<MatrixSelector>()) {
    const VectorSelector& vs = *ms->vector_selector;
    range_end = RefTime(vs.timestamp_ms, vs.at, vs.original_offset, t);
    range_ms = DurationMs(ms->range);
    input = EvalMatrixSelector(*ms, t);
  } else {
    const auto& sq = *arg.As<SubqueryExpr>();
    range_end = RefTime(sq.timestamp_ms, sq.at, sq.original_offset, t);
    range_ms = DurationMs(sq.range);
    input = EvalSubquery(sq, t);
    int64_t points = 0;
    for (const Series& s : input) points += static_cast<int64_t>(s.points.size());
    AddSamples(points);
  }

  Vector out;
  if (name == "absent_over_time") {
    if (input.empty()) out.push_back(Sample{AbsentLabels(arg), t, 1});
    return out;
  }
  RangeWindow window{nullptr, SatSub(range_end, range_ms), range_end, t, scalars, prometheus2()};
  for (Series& s : input) {
    window.points = &s.points;
    std::optional<double> v = info->fn(window);
    if (!v.has_value()) continue;
    out.push_back(Sample{
        info->keeps_metric_name ? std::move(s.labels) : s.labels.WithoutMetricName(), t, *v});
  }
  CheckNoDuplicateLabelsets(out);
  return out;
}

}  // namespace smoke::promql
