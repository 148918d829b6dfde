#include "exporter/promql/parse_internal.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <utility>

namespace smoke::promql::internal {
namespace {

// Where an @ modifier is stored on a node that may carry one.
struct AtTarget {
  std::optional<int64_t>* timestamp;
  AtModifier* at;
  int* end;
};

AtTarget AtTargetOf(Expr* e) {
  AtTarget t{};
  if (auto* vs = e->As<VectorSelector>()) {
    t = {&vs->timestamp_ms, &vs->at, &vs->pos.end};
  } else if (auto* m = e->As<MatrixSelector>()) {
    t = {&m->vector_selector->timestamp_ms, &m->vector_selector->at, &m->end_pos};
  } else if (auto* sq = e->As<SubqueryExpr>()) {
    t = {&sq->timestamp_ms, &sq->at, &sq->end_pos};
  } else {
    Fail(e->Range(),
         "@ modifier must be preceded by an instant vector selector or range vector selector or "
         "a subquery");
  }
  if (t.timestamp->has_value() || *t.at != AtModifier::kNone) {
    Fail(e->Range(), "@ <timestamp> may not be set multiple times");
  }
  return t;
}

// Go's %f: six decimals, and "+Inf", "-Inf", "NaN".
std::string GoFixed(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[400];
  std::snprintf(buf, sizeof buf, "%f", v);
  return buf;
}

}  // namespace

void Fail(PositionRange pos, std::string message) { throw ParseFailure{pos, std::move(message)}; }

std::string StartPosInput(std::string_view input, int pos) {
  if (input.empty()) return "unknown position";
  if (pos < 0 || pos > static_cast<int>(input.size())) return "invalid position";
  int line = 1;
  int last_line_break = -1;
  for (int i = 0; i < pos; ++i) {
    if (input[i] == '\n') {
      last_line_break = i;
      ++line;
    }
  }
  return std::to_string(line) + ":" + std::to_string(pos - last_line_break);
}

void SetOffset(Expr* e, core::Duration d, int end) {
  core::Duration* offset = nullptr;
  int* end_pos = nullptr;
  if (auto* vs = e->As<VectorSelector>()) {
    offset = &vs->original_offset, end_pos = &vs->pos.end;
  } else if (auto* m = e->As<MatrixSelector>()) {
    offset = &m->vector_selector->original_offset, end_pos = &m->end_pos;
  } else if (auto* sq = e->As<SubqueryExpr>()) {
    offset = &sq->original_offset, end_pos = &sq->end_pos;
  } else {
    Fail(e->Range(),
         "offset modifier must be preceded by an instant vector selector or range vector "
         "selector or a subquery");
  }
  if (offset->count() != 0) Fail(e->Range(), "offset may not be set multiple times");
  *offset = d;
  *end_pos = end;
}

void SetTimestamp(Expr* e, double seconds, int end) {
  if (std::isinf(seconds) || std::isnan(seconds) || seconds >= 9.223372036854775807e18 ||
      seconds <= -9.223372036854775808e18) {
    Fail(e->Range(), "timestamp out of bounds for @ modifier: " + GoFixed(seconds));
  }
  AtTarget target = AtTargetOf(e);
  // Milliseconds, rounded as Prometheus's timestamp.FromFloatSeconds; clamped where the product
  // no longer fits an int64.
  const double ms = std::round(seconds * 1000.0);
  *target.timestamp = ms >= 9.2e18    ? INT64_MAX
                      : ms <= -9.2e18 ? INT64_MIN
                                      : static_cast<int64_t>(ms);
  *target.end = end;
}

void SetAtModifier(Expr* e, AtModifier at, int end) {
  AtTarget target = AtTargetOf(e);
  *target.at = at;
  *target.end = end;
}

ExprPtr MakeRangeSelector(ExprPtr lhs, core::Duration range, PositionRange brackets) {
  auto* vs = lhs->As<VectorSelector>();
  if (vs == nullptr) Fail(brackets, "ranges only allowed for vector selectors");
  if (vs->original_offset.count() != 0) Fail(brackets, "no offset modifiers allowed before range");
  // Prometheus 2.x checked only a numeric @ here; 3.x also rejects @ start()/end() before a range.
  if (vs->timestamp_ms || vs->at != AtModifier::kNone) {
    Fail(brackets, "no @ modifiers allowed before range");
  }
  auto m = std::make_unique<MatrixSelector>();
  m->vector_selector.reset(static_cast<VectorSelector*>(lhs.release()));
  m->range = range;
  m->end_pos = brackets.end;
  return m;
}

}  // namespace smoke::promql::internal
