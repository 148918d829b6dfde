#include "exporter/promql/quote.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "exporter/promql/duration.h"

namespace smoke::promql {
namespace {

TEST(QuoteTest, QuotesLikeGoStrconv) {
  EXPECT_EQ(GoQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(GoQuote("tab\tnl\n\x01\x7f"), R"("tab\tnl\n\x01\x7f")");
  EXPECT_EQ(GoQuote("\xc3\xa9\xff"), "\"\xc3\xa9\\xff\"");
  EXPECT_EQ(GoQuoteRune('\''), R"('\'')");
  EXPECT_EQ(GoQuoteTruncated("abcdefghijkl", 10), R"("abcdefghij")");
}

TEST(QuoteTest, UnquotesGoEscapes) {
  EXPECT_EQ(*Unquote(R"("\x41\101\u00e9\U0001F600\n")"), "AA\xc3\xa9\xf0\x9f\x98\x80\n");
  EXPECT_EQ(*Unquote(R"('say "hi"')"), "say \"hi\"");
  EXPECT_EQ(*Unquote(R"(`\n`)"), "\\n");
  EXPECT_FALSE(Unquote(R"("\'")").ok());
  EXPECT_FALSE(Unquote(R"("\400")").ok());
}

TEST(QuoteTest, FormatsFloatsLikeGoPercentV) {
  EXPECT_EQ(FormatGoFloat(1), "1");
  EXPECT_EQ(FormatGoFloat(0.1), "0.1");
  EXPECT_EQ(FormatGoFloat(100000), "100000");
  EXPECT_EQ(FormatGoFloat(1e6), "1e+06");
  EXPECT_EQ(FormatGoFloat(21 * 24 * 3600), "1.8144e+06");
  EXPECT_EQ(FormatGoFloat(0.0001), "0.0001");
  EXPECT_EQ(FormatGoFloat(0.00001), "1e-05");
  EXPECT_EQ(FormatGoFloat(-2.5), "-2.5");
  EXPECT_EQ(FormatGoFloat(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatGoFloat(std::nan("")), "NaN");
}

TEST(QuoteTest, ParsesNumbersLikePrometheus) {
  EXPECT_EQ(*ParseGoNumber("0x1f"), 31);
  EXPECT_EQ(*ParseGoNumber("0755"), 493);
  EXPECT_EQ(*ParseGoNumber("089"), 89);
  EXPECT_EQ(*ParseGoNumber("1.5e3"), 1500);
  EXPECT_TRUE(std::isinf(*ParseGoNumber("Inf")));
  EXPECT_EQ(ParseGoNumber("1e").status().message(),
            R"(strconv.ParseFloat: parsing "1e": invalid syntax)");
}

TEST(DurationTest, ParsesAndPrintsPromqlDurations) {
  EXPECT_EQ(*ParseModelDuration("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(*ParseModelDuration("1500ms"), std::chrono::milliseconds(1500));
  EXPECT_EQ(ParseModelDuration("5m1h").status().message(),
            R"(not a valid duration string: "5m1h")");
  EXPECT_EQ(ParseModelDuration("99999999999y").status().message(), "duration out of range");
  EXPECT_EQ(FormatModelDuration(std::chrono::hours(24 * 90)), "90d");
  EXPECT_EQ(FormatModelDuration(std::chrono::hours(24 * 14)), "2w");
  EXPECT_EQ(FormatModelDuration(std::chrono::hours(24 * 365)), "1y");
  EXPECT_EQ(FormatModelDuration(std::chrono::milliseconds(90'500)), "1m30s500ms");
  EXPECT_EQ(FormatModelDuration(std::chrono::seconds(0)), "0s");
}

}  // namespace
}  // namespace smoke::promql
