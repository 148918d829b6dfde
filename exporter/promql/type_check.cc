// The parser's second phase, Prometheus's checkAST: operand and argument types, vector matching
// and aggregation parameters. It runs only on a syntactically valid tree and stops at the first
// error, in the same traversal order as Prometheus so that the reported error is the same one.

#include <set>
#include <string>

#include "exporter/promql/functions.h"
#include "exporter/promql/parse_internal.h"
#include "exporter/promql/quote.h"

namespace smoke::promql::internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string Quoted(ItemType op) { return GoQuote(ItemTypeString(op)); }

// Walks one tree once; not thread-safe (CheckAst makes a Checker per call).
class Checker {
 public:
  explicit Checker(std::string_view input) : input_(input) {}

  ValueType Check(Expr& node) {
    const ValueType type = node.Type();
    switch (node.kind()) {
      case NodeKind::kAggregate:
        CheckAggregate(*node.As<AggregateExpr>());
        break;
      case NodeKind::kBinary:
        CheckBinary(*node.As<BinaryExpr>());
        break;
      case NodeKind::kCall:
        CheckCall(*node.As<Call>());
        break;
      case NodeKind::kParen:
        Check(*node.As<ParenExpr>()->expr);
        break;
      case NodeKind::kUnary: {
        auto& u = *node.As<UnaryExpr>();
        const ValueType t = Check(*u.expr);
        if (t != ValueType::kScalar && t != ValueType::kVector) {
          Fail(u.Range(),
               "unary expression only allowed on expressions of type scalar or instant vector, "
               "got " +
                   GoQuote(DocumentedType(t)));
        }
        break;
      }
      case NodeKind::kSubquery: {
        auto& sq = *node.As<SubqueryExpr>();
        const ValueType t = Check(*sq.expr);
        if (t != ValueType::kVector) {
          Fail(sq.Range(), "subquery is only allowed on instant vector, got " +
                               std::string(ValueTypeName(t)) + " instead");
        }
        break;
      }
      case NodeKind::kMatrixSelector:
        Check(*node.As<MatrixSelector>()->vector_selector);
        break;
      case NodeKind::kVectorSelector:
        CheckSelector(*node.As<VectorSelector>());
        break;
      case NodeKind::kNumberLiteral:
      case NodeKind::kStringLiteral:
        break;
    }
    return type;
  }

 private:
  void ExpectType(Expr& e, ValueType want, std::string_view context) {
    const ValueType t = Check(e);
    if (t != want) {
      Fail(e.Range(), "expected type " + std::string(DocumentedType(want)) + " in " +
                          std::string(context) + ", got " + std::string(DocumentedType(t)));
    }
  }

  void CheckAggregate(AggregateExpr& agg) {
    ExpectType(*agg.expr, ValueType::kVector, "aggregation expression");
    switch (agg.op) {
      case ItemType::kTopk:
      case ItemType::kBottomk:
      case ItemType::kQuantile:
      case ItemType::kLimitk:
      case ItemType::kLimitRatio:
        ExpectType(*agg.param, ValueType::kScalar, "aggregation parameter");
        break;
      case ItemType::kCountValues:
        ExpectType(*agg.param, ValueType::kString, "aggregation parameter");
        break;
      default:
        break;
    }
  }

  // The operator's position: from the end of the left operand to the start of the right one,
  // trimmed of whitespace.
  PositionRange OperatorRange(const BinaryExpr& b) const {
    PositionRange r{b.lhs->Range().end, b.rhs->Range().start - 1};
    while (r.start < static_cast<int>(input_.size()) && IsSpace(input_[r.start])) ++r.start;
    while (r.end > r.start && IsSpace(input_[r.end])) --r.end;
    return r;
  }

  void CheckBinary(BinaryExpr& b) {
    const ValueType lt = Check(*b.lhs);
    const ValueType rt = Check(*b.rhs);
    if (b.return_bool && !IsComparisonOperator(b.op)) {
      Fail(OperatorRange(b), "bool modifier can only be used on comparison operators");
    }
    if (IsComparisonOperator(b.op) && !b.return_bool && b.rhs->Type() == ValueType::kScalar &&
        b.lhs->Type() == ValueType::kScalar) {
      Fail(OperatorRange(b), "comparisons between scalars must use BOOL modifier");
    }
    if (b.matching) {
      VectorMatching& vm = *b.matching;
      if (IsSetOperator(b.op) && vm.card == Cardinality::kOneToOne) {
        vm.card = Cardinality::kManyToMany;
      }
      for (const std::string& l1 : vm.matching_labels) {
        for (const std::string& l2 : vm.include) {
          if (l1 == l2 && vm.on) {
            Fail(OperatorRange(b),
                 "label " + GoQuote(l1) + " must not occur in ON and GROUP clause at once");
          }
        }
      }
    }
    if (lt != ValueType::kScalar && lt != ValueType::kVector) {
      Fail(b.lhs->Range(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType::kScalar && rt != ValueType::kVector) {
      Fail(b.rhs->Range(), "binary expression must contain only scalar and instant vector types");
    }
    if ((lt != ValueType::kVector || rt != ValueType::kVector) && b.matching) {
      if (!b.matching->matching_labels.empty()) {
        Fail(b.Range(), "vector matching only allowed between instant vectors");
      }
      b.matching.reset();
    } else if (IsSetOperator(b.op) && b.matching) {
      const Cardinality card = b.matching->card;
      if (card == Cardinality::kOneToMany || card == Cardinality::kManyToOne) {
        Fail(b.Range(), "no grouping allowed for " + Quoted(b.op) + " operation");
      }
      if (card != Cardinality::kManyToMany) {
        Fail(b.Range(), "set operations must always be many-to-many");
      }
    }
    if ((lt == ValueType::kScalar || rt == ValueType::kScalar) && IsSetOperator(b.op)) {
      Fail(b.Range(), "set operator " + Quoted(b.op) + " not allowed in binary scalar expression");
    }
  }

  void CheckCall(Call& call) {
    const Function& fn = *call.func;
    const int nargs = static_cast<int>(fn.arg_types.size());
    const int given = static_cast<int>(call.args.size());
    const std::string name = GoQuote(fn.name);
    if (fn.variadic == 0) {
      if (nargs != given) {
        Fail(call.pos, "expected " + std::to_string(nargs) + " argument(s) in call to " + name +
                           ", got " + std::to_string(given));
      }
    } else {
      const int required = nargs - 1;
      if (required > given) {
        Fail(call.pos, "expected at least " + std::to_string(required) +
                           " argument(s) in call to " + name + ", got " + std::to_string(given));
      }
      if (fn.variadic > 0 && required + fn.variadic < given) {
        Fail(call.pos, "expected at most " + std::to_string(required + fn.variadic) +
                           " argument(s) in call to " + name + ", got " + std::to_string(given));
      }
    }
    if (fn.name == "info" && given > 1) {
      // info()'s second argument selects the info series by labels only.
      Expr& selector = *call.args[1];
      if (selector.Type() != ValueType::kVector) {
        Fail(call.pos, "expected type instant vector in call to function \"info\", got " +
                           std::string(DocumentedType(selector.Type())));
      }
      const auto* vs = selector.As<VectorSelector>();
      if (vs == nullptr) Fail(selector.Range(), "expected label selectors only");
      if (!vs->name.empty()) {
        Fail(selector.Range(), "expected label selectors only, got vector selector instead");
      }
      may_be_empty_.insert(vs);
    }
    for (int i = 0; i < given; ++i) {
      int type_index = i;
      if (i >= nargs) {
        if (fn.variadic == 0) break;
        type_index = nargs - 1;
      }
      const ValueType want = fn.arg_types[type_index];
      const ValueType t = Check(*call.args[i]);
      if (t != want) {
        Fail(call.args[i]->Range(), "expected type " + std::string(DocumentedType(want)) +
                                        " in call to function " + name + ", got " +
                                        std::string(DocumentedType(t)));
      }
    }
  }

  void CheckSelector(const VectorSelector& vs) {
    if (!vs.name.empty()) {
      // The last matcher is the one for the name written outside the braces.
      for (size_t i = 0; i + 1 < vs.matchers.size(); ++i) {
        if (vs.matchers[i].name() == "__name__") {
          Fail(vs.pos, "metric name must not be set twice: " + GoQuote(vs.name) + " or " +
                           GoQuote(vs.matchers[i].value()));
        }
      }
      return;
    }
    if (may_be_empty_.count(&vs) != 0) return;
    // At least one matcher must not match the empty string, so that a typo cannot select every
    // series.
    for (const LabelMatcher& m : vs.matchers) {
      if (!m.Matches("")) return;
    }
    Fail(vs.pos, "vector selector must contain at least one non-empty matcher");
  }

  std::string_view input_;
  std::set<const VectorSelector*> may_be_empty_;
};

}  // namespace

void CheckAst(Expr& expr, std::string_view input) { Checker(input).Check(expr); }

}  // namespace smoke::promql::internal
