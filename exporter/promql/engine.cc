#include "exporter/promql/engine.h"

#include <exception>
#include <string>
#include <unordered_map>

#include "exporter/promql/eval_error.h"
#include "exporter/promql/evaluator.h"

namespace smoke::promql {

core::Result<Value> EvalInstant(const Expr& expr, const Queryable& storage, int64_t t_ms,
                                const EvalOptions& options) {
  try {
    Evaluator ev(storage, options, t_ms, t_ms);
    ev.Prepare(expr);
    Value v = ev.Eval(expr, t_ms);
    if (auto* vec = std::get_if<Vector>(&v)) {
      for (Sample& s : *vec) s.t = t_ms;
    }
    return v;
  } catch (const EvalError& e) {
    return core::Status::Error(e.what());
  } catch (const std::exception& e) {
    return core::Status::Error(std::string("unexpected error: ") + e.what());
  }
}

core::Result<Matrix> EvalRange(const Expr& expr, const Queryable& storage, int64_t start_ms,
                               int64_t end_ms, int64_t step_ms, const EvalOptions& options) {
  const ValueType type = expr.Type();
  if (type != ValueType::kVector && type != ValueType::kScalar) {
    return core::Status::Error("invalid expression type \"" + std::string(DocumentedType(type)) +
                               "\" for range query, must be Scalar or instant Vector");
  }
  if (step_ms <= 0) {
    return core::Status::Error(
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
  }
  if (end_ms < start_ms) {
    return core::Status::Error("end timestamp must not be before start time");
  }
  const uint64_t span = static_cast<uint64_t>(end_ms) - static_cast<uint64_t>(start_ms);
  if (span / static_cast<uint64_t>(step_ms) >= static_cast<uint64_t>(options.max_samples)) {
    return core::Status::Error(
        "query processing would load too many samples into memory in query execution");
  }
  try {
    Evaluator ev(storage, options, start_ms, end_ms);
    ev.Prepare(expr);
    Matrix out;
    std::unordered_map<std::string, size_t> index;
    auto add = [&](const Labels& labels, int64_t t, double v) {
      auto [it, inserted] = index.emplace(labels.Key(), out.size());
      if (inserted) out.push_back(Series{labels, {}});
      out[it->second].points.push_back(Point{t, v});
    };
    for (int64_t t = start_ms; t <= end_ms; t += step_ms) {
      ev.ResetSampleCount();
      Value v = ev.Eval(expr, t);
      if (const auto* s = std::get_if<Scalar>(&v)) {
        add(Labels(), t, s->v);
      } else {
        for (const Sample& s : std::get<Vector>(v)) add(s.labels, t, s.v);
      }
      if (static_cast<uint64_t>(end_ms) - static_cast<uint64_t>(t) <
          static_cast<uint64_t>(step_ms)) {
        break;  // no overflow past end_ms
      }
    }
    SortByLabels(&out);
    return out;
  } catch (const EvalError& e) {
    return core::Status::Error(e.what());
  } catch (const std::exception& e) {
    return core::Status::Error(std::string("unexpected error: ") + e.what());
  }
}

}  // namespace smoke::promql
