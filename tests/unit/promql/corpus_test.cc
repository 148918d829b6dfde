// Every expression of the real-world rule corpus (awesome-prometheus-alerts, monitoring-mixins,
// Sloth; about 2,300 rules that promtool accepts) must parse, and must survive
// parse -> print -> parse unchanged. The expressions are extracted into
// tests/testdata/promql/corpus_exprs.txt by extract_corpus.cc in the same folder, so this test
// needs neither YAML nor the corpus itself.

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "exporter/promql/parser.h"
#include "exporter/promql/printer.h"
#include "tests/unit/promql/corpus_reader.h"

namespace smoke::promql {
namespace {

// Corpus expressions that Prometheus itself rejects, keyed by source, with the reason. Every
// expression in the corpus passed `promtool check rules` (Prometheus 2.42), so the list is empty;
// an entry may only be added for an expression promtool rejects too.
const std::map<std::string, std::string>& ExpectedInvalid() {
  static const auto* const kList = new std::map<std::string, std::string>{};
  return *kList;
}

TEST(CorpusTest, EveryRuleExpressionParses) {
  const std::vector<CorpusExpr> corpus = LoadCorpus();
  ASSERT_GT(corpus.size(), 2000u);
  int parsed = 0;
  int expected_invalid = 0;
  for (const CorpusExpr& c : corpus) {
    auto expr = ParseExpr(c.expr);
    auto listed = ExpectedInvalid().find(c.source);
    if (listed != ExpectedInvalid().end()) {
      EXPECT_FALSE(expr.ok()) << c.source << " is listed as invalid (" << listed->second
                              << ") but parses";
      ++expected_invalid;
      continue;
    }
    EXPECT_TRUE(expr.ok()) << c.source << "\n" << c.expr << "\n" << expr.status().message();
    if (expr.ok()) ++parsed;
  }
  EXPECT_EQ(expected_invalid, static_cast<int>(ExpectedInvalid().size()));
  RecordProperty("corpus_exprs", static_cast<int>(corpus.size()));
  RecordProperty("corpus_parsed", parsed);
  std::cout << "[ CORPUS   ] parsed " << parsed << " of " << corpus.size() << " rule expressions ("
            << expected_invalid << " expected invalid)" << std::endl;
}

TEST(CorpusTest, EveryRuleExpressionRoundTripsThroughThePrinter) {
  for (const CorpusExpr& c : LoadCorpus()) {
    auto first = ParseExpr(c.expr);
    if (!first.ok()) continue;  // reported by EveryRuleExpressionParses
    const std::string printed = ExprToString(**first);
    auto second = ParseExpr(printed);
    ASSERT_TRUE(second.ok()) << c.source << " printed as\n"
                             << printed << "\n"
                             << second.status().message();
    EXPECT_EQ(ExprToString(**second), printed) << c.source;
    EXPECT_TRUE(Equal(**first, **second)) << c.source << " printed as\n" << printed;
  }
}

TEST(CorpusTest, TruncatedExpressionsFailWithAPositionedErrorInsteadOfThrowing) {
  const std::vector<CorpusExpr> corpus = LoadCorpus();
  int checked = 0;
  for (size_t i = 0; i < corpus.size(); i += 7) {
    const std::string& expr = corpus[i].expr;
    for (size_t cut = 0; cut < expr.size(); cut += 5) {
      auto r = ParseExpr(std::string_view(expr).substr(0, cut));
      ++checked;
      if (r.ok()) continue;
      const std::string& msg = r.status().message();
      EXPECT_TRUE(msg.find(": parse error: ") != std::string::npos) << msg;
    }
  }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace smoke::promql
