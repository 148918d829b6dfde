#include "exporter/promql/printer.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "exporter/promql/duration.h"
#include "exporter/promql/functions.h"
#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string OffsetSuffix(core::Duration offset) {
  if (offset.count() > 0) return " offset " + FormatModelDuration(offset);
  if (offset.count() < 0) return " offset -" + FormatModelDuration(-offset);
  return "";
}

std::string AtSuffix(const std::optional<int64_t>& timestamp_ms, AtModifier at) {
  if (timestamp_ms) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " @ %.3f", static_cast<double>(*timestamp_ms) / 1000.0);
    return buf;
  }
  if (at == AtModifier::kStart) return " @ start()";
  if (at == AtModifier::kEnd) return " @ end()";
  return "";
}

// The selector without its @ and offset, which a range selector prints after the range.
std::string SelectorBody(const VectorSelector& vs) {
  std::vector<std::string> matchers;
  for (const LabelMatcher& m : vs.matchers) {
    // The name written outside the braces is printed there, not as a matcher; an explicit
    // __name__="" stays (Prometheus 3 fixed dropping it).
    if (m.name() == "__name__" && m.type() == MatchType::kEqual && m.value() == vs.name &&
        !vs.name.empty()) {
      continue;
    }
    matchers.push_back(m.ToString());
  }
  if (matchers.empty()) return vs.name;
  std::sort(matchers.begin(), matchers.end());
  return vs.name + "{" + Join(matchers, ",") + "}";
}

std::string MatchingString(const BinaryExpr& b) {
  if (!b.matching) return "";
  const VectorMatching& vm = *b.matching;
  const bool grouped = vm.card == Cardinality::kManyToOne || vm.card == Cardinality::kOneToMany;
  std::string out;
  if (!vm.matching_labels.empty() || vm.on || grouped) {
    out += vm.on ? " on (" : " ignoring (";
    out += Join(vm.matching_labels, ", ") + ")";
  }
  if (grouped) {
    out += vm.card == Cardinality::kManyToOne ? " group_left (" : " group_right (";
    out += Join(vm.include, ", ") + ")";
  }
  return out;
}

}  // namespace

std::string ExprToString(const Expr& expr) {
  switch (expr.kind()) {
    case NodeKind::kNumberLiteral:
      return FormatGoFloat(expr.As<NumberLiteral>()->value);
    case NodeKind::kStringLiteral:
      return GoQuote(expr.As<StringLiteral>()->value);
    case NodeKind::kVectorSelector: {
      const auto& vs = *expr.As<VectorSelector>();
      return SelectorBody(vs) + AtSuffix(vs.timestamp_ms, vs.at) + OffsetSuffix(vs.original_offset);
    }
    case NodeKind::kMatrixSelector: {
      const auto& m = *expr.As<MatrixSelector>();
      const VectorSelector& vs = *m.vector_selector;
      return SelectorBody(vs) + "[" + FormatModelDuration(m.range) + "]" +
             AtSuffix(vs.timestamp_ms, vs.at) + OffsetSuffix(vs.original_offset);
    }
    case NodeKind::kSubquery: {
      const auto& sq = *expr.As<SubqueryExpr>();
      const std::string step = sq.step.count() != 0 ? FormatModelDuration(sq.step) : "";
      return ExprToString(*sq.expr) + "[" + FormatModelDuration(sq.range) + ":" + step + "]" +
             AtSuffix(sq.timestamp_ms, sq.at) + OffsetSuffix(sq.original_offset);
    }
    case NodeKind::kParen:
      return "(" + ExprToString(*expr.As<ParenExpr>()->expr) + ")";
    case NodeKind::kUnary: {
      const auto& u = *expr.As<UnaryExpr>();
      return std::string(ItemTypeString(u.op)) + ExprToString(*u.expr);
    }
    case NodeKind::kBinary: {
      const auto& b = *expr.As<BinaryExpr>();
      return ExprToString(*b.lhs) + " " + std::string(ItemTypeString(b.op)) +
             (b.return_bool ? " bool" : "") + MatchingString(b) + " " + ExprToString(*b.rhs);
    }
    case NodeKind::kAggregate: {
      const auto& a = *expr.As<AggregateExpr>();
      std::string out(ItemTypeString(a.op));
      if (a.without) {
        out += " without (" + Join(a.grouping, ", ") + ") ";
      } else if (!a.grouping.empty()) {
        out += " by (" + Join(a.grouping, ", ") + ") ";
      }
      out += "(";
      if (a.param) out += ExprToString(*a.param) + ", ";
      return out + ExprToString(*a.expr) + ")";
    }
    case NodeKind::kCall: {
      const auto& c = *expr.As<Call>();
      std::vector<std::string> args;
      for (const ExprPtr& arg : c.args) args.push_back(ExprToString(*arg));
      return std::string(c.func->name) + "(" + Join(args, ", ") + ")";
    }
  }
  return "";
}

}  // namespace smoke::promql
