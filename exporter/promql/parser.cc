#include "exporter/promql/parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "exporter/promql/duration.h"
#include "exporter/promql/functions.h"
#include "exporter/promql/lexer.h"
#include "exporter/promql/parse_internal.h"
#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

using internal::Fail;

// Binary operator precedence, lowest first, as in Prometheus's grammar. All are left-associative
// except ^. Unary minus binds like * (so tighter than every binary operator but ^).
constexpr int kPowPrecedence = 6;

int BinaryPrecedence(ItemType t) {
  switch (t) {
    case ItemType::kLor:
      return 1;
    case ItemType::kLand:
    case ItemType::kLunless:
      return 2;
    case ItemType::kEqlc:
    case ItemType::kNeq:
    case ItemType::kLte:
    case ItemType::kLss:
    case ItemType::kGte:
    case ItemType::kGtr:
      return 3;
    case ItemType::kAdd:
    case ItemType::kSub:
      return 4;
    case ItemType::kMul:
    case ItemType::kDiv:
    case ItemType::kMod:
    case ItemType::kAtan2:
      return 5;
    case ItemType::kPow:
      return kPowPrecedence;
    default:
      return 0;
  }
}

// Words that may name a metric although the lexer reserves them (the grammar's
// metric_identifier): `sum`, `by`, `offset` and friends are valid metric names.
bool IsMetricIdentifier(ItemType t) {
  switch (t) {
    case ItemType::kIdentifier:
    case ItemType::kMetricIdentifier:
    case ItemType::kBy:
    case ItemType::kWithout:
    case ItemType::kLand:
    case ItemType::kLor:
    case ItemType::kLunless:
    case ItemType::kOffset:
    case ItemType::kStart:
    case ItemType::kEnd:
      return true;
    default:
      return IsAggregator(t);
  }
}

// Words accepted as label names inside by (...), on (...), group_left (...) (maybe_label).
bool IsGroupingLabel(ItemType t) {
  return t == ItemType::kIdentifier || t == ItemType::kMetricIdentifier || IsAggregator(t) ||
         IsKeyword(t) || IsSetOperator(t) || t == ItemType::kAtan2 || t == ItemType::kStart ||
         t == ItemType::kEnd;
}

bool IsLegacyLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

PositionRange RangeOf(const Item& item) { return {item.pos, item.end()}; }

// Recursive descent over the lexer's items with precedence climbing for binary operators. One
// Parser parses one input; it is not thread-safe (use one per thread, as ParseExpr does).
class Parser {
 public:
  Parser(std::string_view input, const ParseOptions& options)
      : input_(input), lexer_(input), options_(options) {}

  ExprPtr ParseExpression() {
    if (Peek().type == ItemType::kEof) Fail({0, 0}, "no expression found in input");
    ExprPtr e = ParseBinary(1);
    if (Peek().type != ItemType::kEof) Unexpected("", "");
    return e;
  }

  std::unique_ptr<VectorSelector> ParseSelector() {
    std::unique_ptr<VectorSelector> vs;
    const ItemType t = Peek().type;
    if (IsMetricIdentifier(t)) {
      Item name = Consume();
      vs = ParseVectorSelector(name);
    } else if (t == ItemType::kLeftBrace) {
      vs = ParseVectorSelector(std::nullopt);
    } else {
      Unexpected("", "");
    }
    if (Peek().type != ItemType::kEof) Unexpected("", "");
    return vs;
  }

 private:
  // Counts the aggregations being parsed: Prometheus reports a syntax error anywhere inside one
  // as "... in aggregation" (its grammar's innermost error-recovery rule).
  class AggregationScope {
   public:
    explicit AggregationScope(Parser* p) : p_(p) { ++p_->aggregation_depth_; }
    ~AggregationScope() { --p_->aggregation_depth_; }
    AggregationScope(const AggregationScope&) = delete;
    AggregationScope& operator=(const AggregationScope&) = delete;

   private:
    Parser* p_;
  };

  // Bounds the parser's recursion (and that of every later walk over the tree), so that hostile
  // input such as 100,000 '(' is an error instead of a stack overflow. Prometheus has no such
  // limit; no real expression comes near it.
  class DepthScope {
   public:
    explicit DepthScope(Parser* p) : p_(p) {
      if (++p_->depth_ > kMaxNestingDepth) {
        Fail(RangeOf(p_->Peek()),
             "expression nested more than " + std::to_string(kMaxNestingDepth) + " levels deep");
      }
    }
    ~DepthScope() { --p_->depth_; }
    DepthScope(const DepthScope&) = delete;
    DepthScope& operator=(const DepthScope&) = delete;

   private:
    Parser* p_;
  };

  // Records the height of `e`'s tree from its children's recorded heights, and fails when it
  // exceeds the limit. Every node the parser builds passes through here bottom-up (ParseBinary
  // checks what ParseUnary, ParsePostfix and each binary operator return), so a left-leaning
  // chain such as 1+1+1+..., which the loop builds without recursion, is bounded too.
  ExprPtr Checked(ExprPtr e) {
    auto h = [this](const Expr* child) {
      if (child == nullptr) return 0;
      auto it = heights_.find(child);
      return it == heights_.end() ? 1 : it->second;
    };
    int below = 0;
    if (const auto* m = e->As<MatrixSelector>()) below = h(m->vector_selector.get());
    if (const auto* q = e->As<SubqueryExpr>()) below = h(q->expr.get());
    if (const auto* p = e->As<ParenExpr>()) below = h(p->expr.get());
    if (const auto* u = e->As<UnaryExpr>()) below = h(u->expr.get());
    if (const auto* b = e->As<BinaryExpr>()) below = std::max(h(b->lhs.get()), h(b->rhs.get()));
    if (const auto* a = e->As<AggregateExpr>())
      below = std::max(h(a->expr.get()), h(a->param.get()));
    if (const auto* c = e->As<Call>()) {
      for (const ExprPtr& arg : c->args) below = std::max(below, h(arg.get()));
    }
    if (below + 1 > kMaxNestingDepth) {
      Fail(e->Range(),
           "expression nested more than " + std::to_string(kMaxNestingDepth) + " levels deep");
    }
    heights_[e.get()] = below + 1;
    return e;
  }

  const Item& Peek() {
    while (!peeked_) {
      Item item = lexer_.Next();
      if (item.type == ItemType::kComment) continue;
      if (item.type == ItemType::kError) {
        Fail({item.pos, static_cast<int>(input_.size())}, std::string(item.val));
      }
      peeked_ = item;
    }
    return *peeked_;
  }

  Item Consume() {
    Item item = Peek();
    peeked_.reset();
    last_end_ = item.end();
    return item;
  }

  // "unexpected <item>[ in <context>][, expected <expected>]" about the next item.
  [[noreturn]] void Unexpected(std::string_view context, std::string_view expected) {
    const Item& item = Peek();
    if (context.empty() && aggregation_depth_ > 0) context = "aggregation";
    std::string msg = "unexpected " + item.Describe();
    if (!context.empty()) msg += " in " + std::string(context);
    if (!expected.empty()) msg += ", expected " + std::string(expected);
    Fail(RangeOf(item), std::move(msg));
  }

  ExprPtr ParseBinary(int min_precedence) {
    DepthScope depth(this);
    ExprPtr lhs = Checked(ParseUnary());
    for (;;) {
      const ItemType t = Peek().type;
      if (t == ItemType::kOffset || t == ItemType::kAt || t == ItemType::kLeftBracket) {
        lhs = Checked(ParsePostfix(std::move(lhs)));
        continue;
      }
      const int precedence = BinaryPrecedence(t);
      if (precedence == 0 || precedence < min_precedence) return lhs;
      Consume();
      auto bin = std::make_unique<BinaryExpr>();
      bin->op = t;
      ParseBinaryModifiers(bin.get());
      bin->rhs = ParseBinary(t == ItemType::kPow ? precedence : precedence + 1);
      bin->lhs = std::move(lhs);
      lhs = Checked(std::move(bin));
    }
  }

  void ParseBinaryModifiers(BinaryExpr* bin) {
    if (Peek().type == ItemType::kBool) {
      Consume();
      bin->return_bool = true;
    }
    VectorMatching vm;
    const ItemType t = Peek().type;
    if (t == ItemType::kOn || t == ItemType::kIgnoring) {
      Consume();
      vm.on = t == ItemType::kOn;
      vm.matching_labels = ParseGroupingLabels();
      const ItemType g = Peek().type;
      if (g == ItemType::kGroupLeft || g == ItemType::kGroupRight) {
        Consume();
        vm.card = g == ItemType::kGroupLeft ? Cardinality::kManyToOne : Cardinality::kOneToMany;
        // A "(" right after group_x always opens its label list, as in Prometheus.
        if (Peek().type == ItemType::kLeftParen) vm.include = ParseGroupingLabels();
      }
    }
    bin->matching = std::move(vm);
  }

  std::vector<std::string> ParseGroupingLabels() {
    if (Peek().type != ItemType::kLeftParen) Unexpected("grouping opts", "\"(\"");
    Consume();
    std::vector<std::string> labels;
    if (Peek().type == ItemType::kRightParen) {
      Consume();
      return labels;
    }
    for (;;) {
      const Item& label = Peek();
      if (!IsGroupingLabel(label.type) || !IsLegacyLabelName(label.val)) {
        Unexpected("grouping opts", "label");
      }
      labels.emplace_back(Consume().val);
      const ItemType t = Peek().type;
      if (t == ItemType::kComma) {
        Consume();
        if (Peek().type == ItemType::kRightParen) {
          Consume();
          return labels;
        }
      } else if (t == ItemType::kRightParen) {
        Consume();
        return labels;
      } else {
        Unexpected("grouping opts", "\",\" or \")\"");
      }
    }
  }

  ExprPtr ParseUnary() {
    const ItemType t = Peek().type;
    if (t != ItemType::kAdd && t != ItemType::kSub) return ParsePrimary();
    const Item op = Consume();
    ExprPtr operand = ParseBinary(kPowPrecedence);
    // A signed number literal is folded into the literal, as Prometheus does.
    if (auto* n = operand->As<NumberLiteral>()) {
      if (t == ItemType::kSub) n->value = -n->value;
      n->pos.start = op.pos;
      return operand;
    }
    auto u = std::make_unique<UnaryExpr>();
    u->op = t;
    u->expr = std::move(operand);
    u->start_pos = op.pos;
    return u;
  }

  ExprPtr ParsePrimary() {
    const Item tok = Peek();
    switch (tok.type) {
      case ItemType::kNumber: {
        Consume();
        auto n = std::make_unique<NumberLiteral>();
        n->value = NumberValue(tok);
        n->pos = RangeOf(tok);
        return n;
      }
      case ItemType::kString: {
        Consume();
        auto s = std::make_unique<StringLiteral>();
        s->value = StringValue(tok);
        s->pos = RangeOf(tok);
        return s;
      }
      case ItemType::kLeftParen: {
        Consume();
        auto p = std::make_unique<ParenExpr>();
        p->expr = ParseBinary(1);
        if (Peek().type != ItemType::kRightParen) Unexpected("", "");
        p->pos = {tok.pos, Consume().end()};
        return p;
      }
      case ItemType::kLeftBrace:
        return ParseVectorSelector(std::nullopt);
      case ItemType::kIdentifier:
        Consume();
        if (Peek().type == ItemType::kLeftParen) return ParseCall(tok);
        return ParseVectorSelector(tok);
      default:
        break;
    }
    if (IsAggregator(tok.type)) {
      Consume();
      const ItemType next = Peek().type;
      if (next == ItemType::kLeftParen || next == ItemType::kBy || next == ItemType::kWithout) {
        return ParseAggregate(tok);
      }
      return ParseVectorSelector(tok);
    }
    if (IsMetricIdentifier(tok.type)) {
      Consume();
      return ParseVectorSelector(tok);
    }
    Unexpected("", "");
  }

  // `name` is the metric name item, if any; the label matchers follow if the next item is "{".
  std::unique_ptr<VectorSelector> ParseVectorSelector(const std::optional<Item>& name) {
    auto vs = std::make_unique<VectorSelector>();
    if (name) {
      vs->name = std::string(name->val);
      vs->pos = RangeOf(*name);
    }
    if (!name || Peek().type == ItemType::kLeftBrace) {
      const Item lbrace = Consume();
      if (!name) vs->pos.start = lbrace.pos;
      ParseLabelMatchers(vs.get());
      vs->pos.end = last_end_;
    }
    if (!vs->name.empty()) {
      auto m = LabelMatcher::Create(MatchType::kEqual, "__name__", vs->name);
      vs->matchers.push_back(std::move(m).value());
    }
    return vs;
  }

  // After "{": matchers up to and including "}".
  void ParseLabelMatchers(VectorSelector* vs) {
    if (Peek().type == ItemType::kRightBrace) {
      Consume();
      return;
    }
    for (;;) {
      if (Peek().type != ItemType::kIdentifier) {
        Unexpected("label matching", "identifier or \"}\"");
      }
      const Item label = Consume();
      MatchType type;
      switch (Peek().type) {
        case ItemType::kEql:
          type = MatchType::kEqual;
          break;
        case ItemType::kNeq:
          type = MatchType::kNotEqual;
          break;
        case ItemType::kEqlRegex:
          type = MatchType::kRegexMatch;
          break;
        case ItemType::kNeqRegex:
          type = MatchType::kRegexNoMatch;
          break;
        default:
          Unexpected("label matching", "label matching operator");
      }
      Consume();
      if (Peek().type != ItemType::kString) Unexpected("label matching", "string");
      const Item value = Consume();
      auto m = LabelMatcher::Create(type, std::string(label.val), StringValue(value));
      if (!m.ok()) Fail({label.pos, value.end()}, m.status().message());
      vs->matchers.push_back(std::move(m).value());
      const ItemType t = Peek().type;
      if (t == ItemType::kComma) {
        Consume();
        if (Peek().type == ItemType::kRightBrace) {
          Consume();
          return;
        }
      } else if (t == ItemType::kRightBrace) {
        Consume();
        return;
      } else {
        Unexpected("label matching", "\",\" or \"}\"");
      }
    }
  }

  ExprPtr ParseCall(const Item& name) {
    auto call = std::make_unique<Call>();
    call->args = ParseCallBody();
    call->pos = {name.pos, last_end_};
    call->func = FindFunction(name.val);
    if (call->func == nullptr) {
      Fail(RangeOf(name), "unknown function with name " + GoQuote(name.val));
    }
    if (call->func->experimental && !options_.enable_experimental_functions) {
      Fail(RangeOf(name), "function " + GoQuote(name.val) + " is not enabled");
    }
    return call;
  }

  // "(" [expr {"," expr}] ")"; the next item is known to be "(" unless it is an error.
  std::vector<ExprPtr> ParseCallBody() {
    if (Peek().type != ItemType::kLeftParen) Unexpected("", "");
    Consume();
    std::vector<ExprPtr> args;
    if (Peek().type == ItemType::kRightParen) {
      Consume();
      return args;
    }
    for (;;) {
      args.push_back(ParseBinary(1));
      const ItemType t = Peek().type;
      if (t == ItemType::kComma) {
        const Item comma = Consume();
        if (Peek().type == ItemType::kRightParen) {
          Fail(RangeOf(comma), "trailing commas not allowed in function call args");
        }
      } else if (t == ItemType::kRightParen) {
        Consume();
        return args;
      } else {
        Unexpected("", "");
      }
    }
  }

  ExprPtr ParseAggregate(const Item& op) {
    AggregationScope scope(this);
    auto agg = std::make_unique<AggregateExpr>();
    agg->op = op.type;
    const bool modifier_first = IsGroupingModifier(Peek().type);
    if (modifier_first) ParseAggregateModifier(agg.get());
    std::vector<ExprPtr> args = ParseCallBody();
    if (!modifier_first && IsGroupingModifier(Peek().type)) ParseAggregateModifier(agg.get());
    agg->pos = {op.pos, last_end_};

    if (args.empty()) Fail(agg->pos, "no arguments for aggregate expression provided");
    size_t desired = 1;
    if (IsAggregatorWithParam(op.type)) {
      if (IsExperimentalAggregator(op.type) && !options_.enable_experimental_functions) {
        Fail(agg->pos, std::string(ItemTypeString(op.type)) +
                           "() is experimental and must be enabled with "
                           "--enable-feature=promql-experimental-functions");
      }
      desired = 2;
    }
    if (args.size() != desired) {
      Fail(agg->pos, "wrong number of arguments for aggregate expression provided, expected " +
                         std::to_string(desired) + ", got " + std::to_string(args.size()));
    }
    if (desired == 2) agg->param = std::move(args[0]);
    agg->expr = std::move(args[desired - 1]);
    return agg;
  }

  static bool IsGroupingModifier(ItemType t) {
    return t == ItemType::kBy || t == ItemType::kWithout;
  }

  void ParseAggregateModifier(AggregateExpr* agg) {
    agg->without = Consume().type == ItemType::kWithout;
    agg->grouping = ParseGroupingLabels();
  }

  // One of: offset <duration>, @ <timestamp>, [<range>], [<range>:<step>].
  ExprPtr ParsePostfix(ExprPtr lhs) {
    const Item tok = Consume();
    if (tok.type == ItemType::kOffset) {
      bool negative = false;
      if (Peek().type == ItemType::kSub) {
        Consume();
        negative = true;
      }
      if (Peek().type != ItemType::kDuration) Unexpected("offset", "duration");
      const core::Duration d = DurationValue(Consume());
      internal::SetOffset(lhs.get(), negative ? -d : d, last_end_);
      return lhs;
    }
    if (tok.type == ItemType::kAt) {
      ParseAtModifier(lhs.get());
      return lhs;
    }
    return ParseRangeOrSubquery(std::move(lhs), tok);
  }

  void ParseAtModifier(Expr* e) {
    const ItemType t = Peek().type;
    if (t == ItemType::kStart || t == ItemType::kEnd) {
      Consume();
      if (Peek().type != ItemType::kLeftParen) Unexpected("@", "timestamp");
      Consume();
      if (Peek().type != ItemType::kRightParen) Unexpected("@", "timestamp");
      Consume();
      internal::SetAtModifier(e, t == ItemType::kStart ? AtModifier::kStart : AtModifier::kEnd,
                              last_end_);
      return;
    }
    bool negative = false;
    if (t == ItemType::kAdd || t == ItemType::kSub) {
      Consume();
      negative = t == ItemType::kSub;
    } else if (t != ItemType::kNumber) {
      Unexpected("@", "timestamp");
    }
    if (Peek().type != ItemType::kNumber) Unexpected("@", "timestamp");
    double ts = NumberValue(Consume());
    if (negative) ts = -ts;
    internal::SetTimestamp(e, ts, last_end_);
  }

  ExprPtr ParseRangeOrSubquery(ExprPtr lhs, const Item& lbracket) {
    if (Peek().type != ItemType::kDuration) Unexpected("subquery selector", "duration");
    const core::Duration range = DurationValue(Consume());
    const ItemType t = Peek().type;
    if (t == ItemType::kRightBracket) {
      const Item rbracket = Consume();
      return internal::MakeRangeSelector(std::move(lhs), range, {lbracket.pos, rbracket.end()});
    }
    if (t != ItemType::kColon) Unexpected("subquery or range", "\":\" or \"]\"");
    Consume();
    core::Duration step{0};
    if (Peek().type == ItemType::kDuration) {
      step = DurationValue(Consume());
      if (Peek().type != ItemType::kRightBracket) Unexpected("subquery selector", "\"]\"");
    } else if (Peek().type != ItemType::kRightBracket) {
      Unexpected("subquery selector", "duration or \"]\"");
    }
    auto sq = std::make_unique<SubqueryExpr>();
    sq->expr = std::move(lhs);
    sq->range = range;
    sq->step = step;
    sq->end_pos = Consume().end();
    return sq;
  }

  double NumberValue(const Item& tok) {
    auto v = ParseGoNumber(tok.val);
    if (!v.ok()) Fail(RangeOf(tok), "error parsing number: " + v.status().message());
    return *v;
  }

  std::string StringValue(const Item& tok) {
    auto v = Unquote(tok.val);
    if (!v.ok()) {
      Fail(RangeOf(tok),
           "error unquoting string " + GoQuote(tok.val) + ": " + v.status().message());
    }
    return std::move(v).value();
  }

  core::Duration DurationValue(const Item& tok) {
    auto d = ParseModelDuration(tok.val);
    if (!d.ok()) Fail(RangeOf(tok), d.status().message());
    if (d->count() == 0) Fail(RangeOf(tok), "duration must be greater than 0");
    return *d;
  }

  std::string_view input_;
  Lexer lexer_;
  ParseOptions options_;
  std::optional<Item> peeked_;
  int last_end_ = 0;
  int aggregation_depth_ = 0;
  int depth_ = 0;                                 // ParseBinary recursion
  std::unordered_map<const Expr*, int> heights_;  // see Checked()
};

core::Status ToStatus(std::string_view input, const internal::ParseFailure& f) {
  return core::Status::Error(internal::StartPosInput(input, f.pos.start) +
                             ": parse error: " + f.message);
}

}  // namespace

core::Result<ExprPtr> ParseExpr(std::string_view input, const ParseOptions& options) {
  try {
    Parser parser(input, options);
    ExprPtr expr = parser.ParseExpression();
    internal::CheckAst(*expr, input);
    return expr;
  } catch (const internal::ParseFailure& f) {
    return ToStatus(input, f);
  } catch (const std::exception& e) {
    return core::Status::Error(std::string("unexpected error: ") + e.what());
  }
}

core::Result<std::vector<LabelMatcher>> ParseMetricSelector(std::string_view input) {
  try {
    Parser parser(input, ParseOptions{});
    return std::move(parser.ParseSelector()->matchers);
  } catch (const internal::ParseFailure& f) {
    return ToStatus(input, f);
  } catch (const std::exception& e) {
    return core::Status::Error(std::string("unexpected error: ") + e.what());
  }
}

}  // namespace smoke::promql
