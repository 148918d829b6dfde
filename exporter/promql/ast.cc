#include "exporter/promql/ast.h"

#include <algorithm>
#include <cmath>

#include "exporter/promql/functions.h"

namespace smoke::promql {
namespace {

ExprPtr CloneOrNull(const ExprPtr& e) { return e ? e->Clone() : nullptr; }

bool EqualOrBothNull(const ExprPtr& a, const ExprPtr& b) {
  if (!a || !b) return !a && !b;
  return Equal(*a, *b);
}

bool SameNumber(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

// Matchers are compared as a set: their order does not change what a selector selects, and the
// printer writes them sorted.
std::vector<std::string> SortedMatchers(const VectorSelector& vs) {
  std::vector<std::string> out;
  for (const LabelMatcher& m : vs.matchers) out.push_back(m.ToString());
  std::sort(out.begin(), out.end());
  return out;
}

bool SameSelector(const VectorSelector& a, const VectorSelector& b) {
  return a.name == b.name && SortedMatchers(a) == SortedMatchers(b) &&
         a.original_offset == b.original_offset && a.timestamp_ms == b.timestamp_ms && a.at == b.at;
}

bool SameMatching(const std::optional<VectorMatching>& a, const std::optional<VectorMatching>& b) {
  if (!a || !b) return !a && !b;
  return a->card == b->card && a->matching_labels == b->matching_labels && a->on == b->on &&
         a->include == b->include;
}

}  // namespace

std::string_view ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kNone:
      return "none";
    case ValueType::kVector:
      return "vector";
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kMatrix:
      return "matrix";
    case ValueType::kString:
      return "string";
  }
  return "none";
}

std::string_view DocumentedType(ValueType t) {
  switch (t) {
    case ValueType::kVector:
      return "instant vector";
    case ValueType::kMatrix:
      return "range vector";
    default:
      return ValueTypeName(t);
  }
}

ValueType BinaryExpr::Type() const {
  if (lhs->Type() == ValueType::kScalar && rhs->Type() == ValueType::kScalar) {
    return ValueType::kScalar;
  }
  return ValueType::kVector;
}

ValueType Call::Type() const { return func ? func->return_type : ValueType::kNone; }

ExprPtr NumberLiteral::Clone() const {
  auto n = std::make_unique<NumberLiteral>();
  n->value = value;
  n->pos = pos;
  return n;
}

ExprPtr StringLiteral::Clone() const {
  auto n = std::make_unique<StringLiteral>();
  n->value = value;
  n->pos = pos;
  return n;
}

ExprPtr VectorSelector::Clone() const {
  auto n = std::make_unique<VectorSelector>();
  n->name = name;
  n->matchers = matchers;
  n->original_offset = original_offset;
  n->timestamp_ms = timestamp_ms;
  n->at = at;
  n->pos = pos;
  return n;
}

ExprPtr MatrixSelector::Clone() const {
  auto n = std::make_unique<MatrixSelector>();
  n->vector_selector.reset(static_cast<VectorSelector*>(vector_selector->Clone().release()));
  n->range = range;
  n->end_pos = end_pos;
  return n;
}

ExprPtr SubqueryExpr::Clone() const {
  auto n = std::make_unique<SubqueryExpr>();
  n->expr = expr->Clone();
  n->range = range;
  n->step = step;
  n->original_offset = original_offset;
  n->timestamp_ms = timestamp_ms;
  n->at = at;
  n->end_pos = end_pos;
  return n;
}

ExprPtr ParenExpr::Clone() const {
  auto n = std::make_unique<ParenExpr>();
  n->expr = expr->Clone();
  n->pos = pos;
  return n;
}

ExprPtr UnaryExpr::Clone() const {
  auto n = std::make_unique<UnaryExpr>();
  n->op = op;
  n->expr = expr->Clone();
  n->start_pos = start_pos;
  return n;
}

ExprPtr BinaryExpr::Clone() const {
  auto n = std::make_unique<BinaryExpr>();
  n->op = op;
  n->lhs = lhs->Clone();
  n->rhs = rhs->Clone();
  n->return_bool = return_bool;
  n->matching = matching;
  return n;
}

ExprPtr AggregateExpr::Clone() const {
  auto n = std::make_unique<AggregateExpr>();
  n->op = op;
  n->expr = CloneOrNull(expr);
  n->param = CloneOrNull(param);
  n->grouping = grouping;
  n->without = without;
  n->pos = pos;
  return n;
}

ExprPtr Call::Clone() const {
  auto n = std::make_unique<Call>();
  n->func = func;
  for (const ExprPtr& a : args) n->args.push_back(a->Clone());
  n->pos = pos;
  return n;
}

bool Equal(const Expr& a, const Expr& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case NodeKind::kNumberLiteral:
      return SameNumber(a.As<NumberLiteral>()->value, b.As<NumberLiteral>()->value);
    case NodeKind::kStringLiteral:
      return a.As<StringLiteral>()->value == b.As<StringLiteral>()->value;
    case NodeKind::kVectorSelector:
      return SameSelector(*a.As<VectorSelector>(), *b.As<VectorSelector>());
    case NodeKind::kMatrixSelector: {
      const auto& x = *a.As<MatrixSelector>();
      const auto& y = *b.As<MatrixSelector>();
      return x.range == y.range && SameSelector(*x.vector_selector, *y.vector_selector);
    }
    case NodeKind::kSubquery: {
      const auto& x = *a.As<SubqueryExpr>();
      const auto& y = *b.As<SubqueryExpr>();
      return x.range == y.range && x.step == y.step && x.original_offset == y.original_offset &&
             x.timestamp_ms == y.timestamp_ms && x.at == y.at && Equal(*x.expr, *y.expr);
    }
    case NodeKind::kParen:
      return Equal(*a.As<ParenExpr>()->expr, *b.As<ParenExpr>()->expr);
    case NodeKind::kUnary:
      return a.As<UnaryExpr>()->op == b.As<UnaryExpr>()->op &&
             Equal(*a.As<UnaryExpr>()->expr, *b.As<UnaryExpr>()->expr);
    case NodeKind::kBinary: {
      const auto& x = *a.As<BinaryExpr>();
      const auto& y = *b.As<BinaryExpr>();
      return x.op == y.op && x.return_bool == y.return_bool &&
             SameMatching(x.matching, y.matching) && Equal(*x.lhs, *y.lhs) && Equal(*x.rhs, *y.rhs);
    }
    case NodeKind::kAggregate: {
      const auto& x = *a.As<AggregateExpr>();
      const auto& y = *b.As<AggregateExpr>();
      return x.op == y.op && x.grouping == y.grouping && x.without == y.without &&
             EqualOrBothNull(x.expr, y.expr) && EqualOrBothNull(x.param, y.param);
    }
    case NodeKind::kCall: {
      const auto& x = *a.As<Call>();
      const auto& y = *b.As<Call>();
      if (x.func != y.func || x.args.size() != y.args.size()) return false;
      for (size_t i = 0; i < x.args.size(); ++i) {
        if (!Equal(*x.args[i], *y.args[i])) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace smoke::promql
