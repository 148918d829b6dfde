#include "exporter/ruler/rule.h"

#include <variant>

namespace smoke::ruler {

std::string_view RuleHealthName(RuleHealth health) {
  switch (health) {
    case RuleHealth::kOk:
      return "ok";
    case RuleHealth::kErr:
      return "err";
    case RuleHealth::kUnknown:
      break;
  }
  return "unknown";
}

void Rule::RecordEvaluation(int64_t ts_ms, double duration_seconds, const core::Status& status) {
  last_eval_ms_ = ts_ms;
  last_duration_seconds_ = duration_seconds;
  health_ = status.ok() ? RuleHealth::kOk : RuleHealth::kErr;
  last_error_ = status.ok() ? std::string() : status.message();
}

core::Result<promql::Vector> Rule::Query(const RuleEvalContext& ctx) const {
  if (!spec_.parsed) return core::Status::Error("rule has no parsed expression");
  core::Result<promql::Value> value =
      promql::EvalInstant(*spec_.parsed, *ctx.storage, ctx.query_ts_ms(), ctx.eval_options);
  if (!value.ok()) return value.status();
  if (auto* vec = std::get_if<promql::Vector>(&value.value())) return std::move(*vec);
  if (auto* scalar = std::get_if<promql::Scalar>(&value.value())) {
    return promql::Vector{promql::Sample{promql::Labels(), scalar->t, scalar->v}};
  }
  return core::Status::Error("rule result is not a vector or scalar");
}

}  // namespace smoke::ruler
