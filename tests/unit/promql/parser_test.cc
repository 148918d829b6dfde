// Behaviour of the parser that the tables do not show directly: tree shapes (precedence and
// associativity), the values it records, error positions in multi-line input, options, and the
// metric selector entry point.

#include "exporter/promql/parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "exporter/promql/functions.h"
#include "exporter/promql/printer.h"

namespace smoke::promql {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// The tree with every unary and binary operation parenthesised, to make its shape visible.
std::string Shape(const Expr& e) {
  if (const auto* b = e.As<BinaryExpr>()) {
    return "(" + Shape(*b->lhs) + " " + std::string(ItemTypeString(b->op)) + " " + Shape(*b->rhs) +
           ")";
  }
  if (const auto* u = e.As<UnaryExpr>()) {
    return "(" + std::string(ItemTypeString(u->op)) + Shape(*u->expr) + ")";
  }
  if (const auto* p = e.As<ParenExpr>()) return "(" + Shape(*p->expr) + ")";
  return ExprToString(e);
}

ExprPtr MustParse(std::string_view input) {
  auto r = ParseExpr(input);
  EXPECT_TRUE(r.ok()) << input << ": " << r.status().message();
  return r.ok() ? std::move(r).value() : nullptr;
}

std::string ErrorOf(std::string_view input) {
  auto r = ParseExpr(input);
  return r.ok() ? "<parsed: " + ExprToString(**r) + ">" : r.status().message();
}

TEST(ParserTest, AppliesPrometheusPrecedenceAndAssociativity) {
  struct Case {
    const char* input;
    const char* shape;
  } cases[] = {
      {"a - b - c", "((a - b) - c)"},
      {"a / b * c", "((a / b) * c)"},
      {"a + b * c", "(a + (b * c))"},
      {"a * b + c", "((a * b) + c)"},
      {"2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"},
      {"-2 ^ 2", "(-(2 ^ 2))"},
      {"-a ^ b", "(-(a ^ b))"},
      {"-a * b", "((-a) * b)"},
      {"a * -b", "(a * (-b))"},
      {"a + -b * c", "(a + ((-b) * c))"},
      {"2 ^ -3 ^ 2", "(2 ^ (-(3 ^ 2)))"},
      {"-1 + 2", "(-1 + 2)"},
      {"a or b and c", "(a or (b and c))"},
      {"a and b or c", "((a and b) or c)"},
      {"a unless b and c", "((a unless b) and c)"},
      {"a == bool b", "(a == b)"},
      {"a > b + c", "(a > (b + c))"},
      {"a == b or c", "((a == b) or c)"},
      {"a + b > c and d", "(((a + b) > c) and d)"},
      {"a % b atan2 c", "((a % b) atan2 c)"},
      {"1 < bool 2 - 1 * 2", "(1 < (2 - (1 * 2)))"},
      {"a - (b - c)", "(a - ((b - c)))"},
      {"-foo offset 5m", "(-foo offset 5m)"},
      {"a + b offset 5m", "(a + b offset 5m)"},
      {"3 <= round(x, 0.1) < 20", "((3 <= round(x, 0.1)) < 20)"},
  };
  for (const Case& c : cases) {
    ExprPtr e = MustParse(c.input);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(Shape(*e), c.shape) << c.input;
  }
}

TEST(ParserTest, RecordsBoolAndVectorMatching) {
  ExprPtr e = MustParse("a > bool on(x, y) group_left(z) b");
  const auto* b = e->As<BinaryExpr>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->op, ItemType::kGtr);
  EXPECT_TRUE(b->return_bool);
  ASSERT_TRUE(b->matching.has_value());
  EXPECT_TRUE(b->matching->on);
  EXPECT_EQ(b->matching->card, Cardinality::kManyToOne);
  EXPECT_EQ(b->matching->matching_labels, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(b->matching->include, (std::vector<std::string>{"z"}));
}

TEST(ParserTest, SetOperatorsBecomeManyToManyAndScalarOperandsDropMatching) {
  ExprPtr set = MustParse("a and ignoring(x) b");
  EXPECT_EQ(set->As<BinaryExpr>()->matching->card, Cardinality::kManyToMany);
  ExprPtr scalar = MustParse("a * 2");
  EXPECT_FALSE(scalar->As<BinaryExpr>()->matching.has_value());
  EXPECT_EQ(scalar->Type(), ValueType::kVector);
  EXPECT_EQ(MustParse("1 + 2")->Type(), ValueType::kScalar);
}

TEST(ParserTest, RecordsSelectorModifiers) {
  ExprPtr e = MustParse(R"(rate(http_requests_total{job="api", code=~"5.."}[5m] offset -1m))");
  const auto* call = e->As<Call>();
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->func, FindFunction("rate"));
  const auto* m = call->args[0]->As<MatrixSelector>();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->range, minutes(5));
  const VectorSelector& vs = *m->vector_selector;
  EXPECT_EQ(vs.name, "http_requests_total");
  EXPECT_EQ(vs.original_offset, -minutes(1));
  ASSERT_EQ(vs.matchers.size(), 3u);
  EXPECT_EQ(vs.matchers[2].name(), "__name__");  // the name outside the braces comes last
  EXPECT_TRUE(vs.matchers[1].Matches("503"));
  EXPECT_FALSE(vs.matchers[1].Matches("1503"));  // regexes are fully anchored

  ExprPtr at = MustParse("foo @ 1609746000.5");
  EXPECT_EQ(at->As<VectorSelector>()->timestamp_ms, 1609746000500);
  ExprPtr start = MustParse("foo[5m:] @ start()");
  const auto* sq = start->As<SubqueryExpr>();
  ASSERT_NE(sq, nullptr);
  EXPECT_EQ(sq->at, AtModifier::kStart);
  EXPECT_EQ(sq->range, minutes(5));
  EXPECT_EQ(sq->step, seconds(0));  // default step
}

TEST(ParserTest, RecordsAggregationParameterAndGrouping) {
  ExprPtr e = MustParse("topk without (instance) (3, rate(x[1m]))");
  const auto* agg = e->As<AggregateExpr>();
  ASSERT_NE(agg, nullptr);
  EXPECT_EQ(agg->op, ItemType::kTopk);
  EXPECT_TRUE(agg->without);
  EXPECT_EQ(agg->grouping, std::vector<std::string>{"instance"});
  ASSERT_NE(agg->param, nullptr);
  EXPECT_EQ(ExprToString(*agg->param), "3");
  EXPECT_EQ(ExprToString(*agg->expr), "rate(x[1m])");
}

TEST(ParserTest, ParsesNumberAndStringLiterals) {
  EXPECT_EQ(MustParse("0x1F")->As<NumberLiteral>()->value, 31);
  EXPECT_EQ(MustParse("1e3")->As<NumberLiteral>()->value, 1000);
  EXPECT_TRUE(std::isinf(MustParse("-Inf")->As<NumberLiteral>()->value));
  EXPECT_TRUE(std::isnan(MustParse("NaN")->As<NumberLiteral>()->value));
  EXPECT_EQ(MustParse(R"("a\tb\u00e9")")->As<StringLiteral>()->value, "a\tb\xc3\xa9");
  EXPECT_EQ(MustParse(R"('it\'s')")->As<StringLiteral>()->value, "it's");
  EXPECT_EQ(MustParse(R"(`raw\n`)")->As<StringLiteral>()->value, "raw\\n");
}

TEST(ParserTest, RejectsRangeVectorInBinaryOp) {
  EXPECT_EQ(ErrorOf("rate(x[5m]) + x[5m]"),
            "1:15: parse error: binary expression must contain only scalar and instant vector "
            "types");
}

TEST(ParserTest, RejectsComparisonBetweenScalarsWithoutBool) {
  EXPECT_EQ(ErrorOf("1 > 2"),
            "1:3: parse error: comparisons between scalars must use BOOL modifier");
}

TEST(ParserTest, RejectsSetOperatorsOnScalars) {
  EXPECT_EQ(ErrorOf("foo or 1"),
            "1:1: parse error: set operator \"or\" not allowed in binary scalar expression");
}

TEST(ParserTest, RejectsWrongArgumentTypeInCall) {
  EXPECT_EQ(ErrorOf("rate(x)"),
            "1:6: parse error: expected type range vector in call to function \"rate\", got "
            "instant vector");
}

TEST(ParserTest, ReportsLineAndColumnInMultiLineInput) {
  EXPECT_EQ(ErrorOf("sum(rate(x[5m]))\n  /\n  sum(rate(y[5m])) +"),
            "3:21: parse error: unexpected end of input");
  EXPECT_EQ(ErrorOf("sum by (job) (\n  rate(x[5m]) > bool foo{a=~\"(\"}\n)"),
            "2:26: parse error: error parsing regexp: missing closing ): `^(?:()$`");
  EXPECT_EQ(ErrorOf("# heading comment\nfoo +\n# trailing"),
            "3:11: parse error: unexpected end of input");
}

TEST(ParserTest, ReportsEmptyInputWithoutPosition) {
  EXPECT_EQ(ErrorOf(""), "unknown position: parse error: no expression found in input");
  EXPECT_EQ(ErrorOf("  # only a comment\n"), "1:1: parse error: no expression found in input");
}

TEST(ParserTest, RejectsInvalidUtf8AndOutOfRangeNumbers) {
  EXPECT_EQ(ErrorOf("foo{a=\"\xff\"}"), "1:7: parse error: invalid UTF-8 rune");
  EXPECT_EQ(ErrorOf("\"\xc3\""), "1:1: parse error: invalid UTF-8 rune");
  const std::string huge(400, '9');
  EXPECT_EQ(ErrorOf(huge),
            "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"" + huge +
                "\": value out of range");
}

TEST(ParserTest, GatesExperimentalFunctionsLikePrometheus) {
  EXPECT_EQ(ErrorOf(R"(sort_by_label(foo, "a"))"),
            "1:1: parse error: function \"sort_by_label\" is not enabled");
  EXPECT_EQ(ErrorOf("limitk(2, foo)"),
            "1:1: parse error: limitk() is experimental and must be enabled with "
            "--enable-feature=promql-experimental-functions");
  ParseOptions options;
  options.enable_experimental_functions = true;
  for (const char* input :
       {R"(sort_by_label(foo, "a", "b"))", "limitk(2, foo)", "limit_ratio(0.5, foo)",
        "mad_over_time(foo[5m])", "double_exponential_smoothing(foo[5m], 0.5, 0.5)",
        R"(info(foo, {k8s_cluster_name=~".+"}))", "info(foo)"}) {
    auto r = ParseExpr(input, options);
    EXPECT_TRUE(r.ok()) << input << ": " << r.status().message();
  }
  auto bad = ParseExpr(R"(info(foo, target_info{a="b"}))", options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "1:11: parse error: expected label selectors only, got vector selector instead");
}

TEST(ParserTest, AcceptsKeywordsInAnyCaseButFunctionsOnlyInLowerCase) {
  EXPECT_EQ(ExprToString(*MustParse("SUM BY (job) (x) OR Avg(y) Without (a)")),
            "sum by (job) (x) or avg without (a) (y)");
  EXPECT_EQ(ErrorOf("RATE(x[5m])"), "1:1: parse error: unknown function with name \"RATE\"");
}

TEST(ParserTest, ParsesMetricSelectors) {
  auto m = ParseMetricSelector(R"(probe_success{job="blackbox", target!~"internal.*"})");
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->size(), 3u);
  EXPECT_EQ((*m)[0].ToString(), R"(job="blackbox")");
  EXPECT_EQ((*m)[1].type(), MatchType::kRegexNoMatch);
  EXPECT_EQ((*m)[2].ToString(), R"(__name__="probe_success")");

  auto only_matchers = ParseMetricSelector(R"({__name__=~"probe_.+"})");
  ASSERT_TRUE(only_matchers.ok());
  EXPECT_EQ(only_matchers->size(), 1u);

  auto bad = ParseMetricSelector("rate(x[5m])");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "1:5: parse error: unexpected \"(\"");
}

TEST(ParserTest, EveryFunctionInTheTableParsesWithItsSignature) {
  ParseOptions options;
  options.enable_experimental_functions = true;
  for (const Function& f : AllFunctions()) {
    std::string args;
    for (size_t i = 0; i < f.arg_types.size(); ++i) {
      if (i > 0) args += ", ";
      switch (f.arg_types[i]) {
        case ValueType::kVector:
          args += "v";
          break;
        case ValueType::kMatrix:
          args += "v[1m]";
          break;
        case ValueType::kScalar:
          args += "1";
          break;
        case ValueType::kString:
          args += "\"s\"";
          break;
        case ValueType::kNone:
          break;
      }
    }
    // info()'s second argument selects by labels only.
    if (f.name == "info") args = R"(v, {a="b"})";
    const std::string input = std::string(f.name) + "(" + args + ")";
    auto r = ParseExpr(input, options);
    ASSERT_TRUE(r.ok()) << input << ": " << r.status().message();
    EXPECT_EQ((*r)->Type(), f.return_type) << input;
  }
}

}  // namespace
}  // namespace smoke::promql
