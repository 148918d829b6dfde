#include "exporter/promql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smoke::promql {
namespace {

// "type:val@pos" for every item up to and including EOF or an error.
std::vector<std::string> Lex(std::string_view input) {
  Lexer lexer(input);
  std::vector<std::string> out;
  for (;;) {
    Item item = lexer.Next();
    out.push_back(item.Describe() + "@" + std::to_string(item.pos));
    if (item.type == ItemType::kEof || item.type == ItemType::kError) return out;
  }
}

TEST(LexerTest, LexesSelectorsOperatorsAndDurations) {
  EXPECT_EQ(Lex(R"(rate(x{a=~"b"}[1h30m]) >= bool 1e3)"),
            (std::vector<std::string>{
                R"(identifier "rate"@0)", R"x("("@4)x", R"(identifier "x"@5)", R"("{"@6)",
                R"(identifier "a"@7)", "<op:=~>@8", R"(string "\"b\""@10)", R"("}"@13)",
                R"("["@14)", R"(duration "1h30m"@15)", R"("]"@20)", R"x(")"@21)x", "<op:>=>@23",
                "<bool>@26", R"(number "1e3"@31)", "end of input@34"}));
}

TEST(LexerTest, KeywordsAreCaseInsensitiveAndWordsInsideBracesAreLabels) {
  EXPECT_EQ(Lex("SUM BY{by=''} OFFSET 5m"),
            (std::vector<std::string>{"<aggr:SUM>@0", "<BY>@4", R"("{"@6)", R"(identifier "by"@7)",
                                      R"("="@9)", R"(string "''"@10)", R"("}"@12)", "<OFFSET>@14",
                                      R"(duration "5m"@21)", "end of input@23"}));
}

TEST(LexerTest, ReturnsCommentsAndInfNaNAsNumbers) {
  EXPECT_EQ(Lex("Inf # c\n nan:x"),
            (std::vector<std::string>{R"(number "Inf"@0)", R"(comment "# c"@4)",
                                      R"(metric identifier "nan:x"@9)", "end of input@14"}));
}

TEST(LexerTest, ReportsLexicalErrorsAtTheStartOfTheBadItem) {
  EXPECT_EQ(Lex("foo[5m").back(), "error unclosed left bracket@6");
  EXPECT_EQ(Lex("foo[5]").back(), "error missing unit character in duration@4");
  EXPECT_EQ(Lex("(1))").back(), "error unexpected right parenthesis ')'@4");
  EXPECT_EQ(Lex("1 $").back(), "error unexpected character: '$'@2");
  EXPECT_EQ(Lex(R"("\q")").back(), "error unknown escape sequence U+0071 'q'@0");
}

}  // namespace
}  // namespace smoke::promql
