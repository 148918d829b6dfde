// Golden tests for the Go runtime pieces that alert templates print through: fmt's Sprintf/Sprint
// (verbs, flags, width, precision, argument indexes and Go's in-band error notes), float
// formatting, time.Duration.String and time.Time formatting. Every expected string was produced
// by Go 1.19 (the Go of the promtool 2.42 CI runs) from the same inputs.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "exporter/ruler/go_format.h"
#include "exporter/ruler/go_strconv.h"
#include "exporter/ruler/go_time.h"
#include "exporter/ruler/humanize.h"

namespace smoke::ruler::go {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Value F(double v) { return Value::Float(v); }
Value I(int64_t v) { return Value::Int(v); }
Value S(std::string v) { return Value::String(std::move(v)); }
Value B(bool v) { return Value::Bool(v); }
Value Nil() { return Value(); }
Value C(double re, double im) { return Value::Complex({re, im}); }
Value SM(std::map<std::string, std::string> m) { return Value::StringMap(m); }

struct SprintfCase {
  std::string format;
  std::vector<Value> args;
  std::string want;
};

TEST(GoFormatTest, SprintfMatchesGo) {
  const std::vector<SprintfCase> cases = {
      {"%v", {F(1e6)}, "1e+06"},
      {"%v", {F(123456)}, "123456"},
      {"%v", {F(1e21)}, "1e+21"},
      {"%v", {F(1e20)}, "1e+20"},
      {"%v", {F(1e-7)}, "1e-07"},
      {"%v", {F(0.0001)}, "0.0001"},
      {"%v", {F(0.00001)}, "1e-05"},
      {"%v", {F(kNaN)}, "NaN"},
      {"%v", {F(kInf)}, "+Inf"},
      {"%v", {F(-kInf)}, "-Inf"},
      {"%v", {F(-0.0)}, "-0"},
      {"%v", {F(0.30000000000000004)}, "0.30000000000000004"},
      {"%v", {F(5e-324)}, "5e-324"},
      {"%v", {F(1.7976931348623157e308)}, "1.7976931348623157e+308"},
      {"%.2f", {F(3.14159)}, "3.14"},
      {"%.2f", {F(1.005)}, "1.00"},
      {"%.0f", {F(2.5)}, "2"},
      {"%.0f", {F(3.5)}, "4"},
      {"%.3g", {F(1234.5678)}, "1.23e+03"},
      {"%.4g", {F(100000)}, "1e+05"},
      {"%g", {F(1e-5)}, "1e-05"},
      {"%G", {F(1e-5)}, "1E-05"},
      {"%e", {F(123456.789)}, "1.234568e+05"},
      {"%E", {F(0)}, "0.000000E+00"},
      {"%8.3e|%-12.2e|", {F(1e21), F(-5.5)}, "1.000e+21|-5.50e+00   |"},
      {"%+.1f|% .1f|%+.1f", {F(1), F(1), F(-1)}, "+1.0| 1.0|-1.0"},
      {"%010.3f|%-10.3f|%+010.2f", {F(-3.5), F(3.5), F(2.25)}, "-00003.500|3.500     |+000002.25"},
      {"%#g|%#.3g|%#e|%#.0f", {F(1), F(2), F(3), F(4)}, "1.00000|2.00|3.000000e+00|4."},
      {"%x|%X|%.2x|%b",
       {F(1.5), F(-0.1), F(3), F(1)},
       "0x1.8p+00|-0X1.999999999999AP-04|0x1.80p+01|4503599627370496p-52"},
      {"%6.2f%%|%5.1f|%-8v|", {F(kNaN), F(kInf), F(-kInf)}, "   NaN%| +Inf|-Inf    |"},
      {"%+v|% v|%010v", {F(kNaN), F(kNaN), F(kInf)}, "NaN| NaN|      +Inf"},
      {"%d|%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b",
       {I(42), I(42), I(42), I(-42), I(42), I(42), I(255), I(255), I(255), I(8), I(8), I(8), I(5),
        I(5)},
       "42|   42|42   |-0042|+42| 42|ff|FF|0xff|10|010|0o10|101|0b101"},
      {"%.3d|%8.3d|%.0d|%c|%q|%U|%#U",
       {I(7), I(-7), I(0), I(0x1F600), I('x'), I(0x1F600), I(0x41)},
       "007|    -007||😀|'x'|U+1F600|U+0041 'A'"},
      {"%s|%10s|%-10s|%.2s|%q|%#q|%+q|%x|% X|%#x",
       {S("héllo"), S("ab"), S("ab"), S("héllo"), S("a\"b\n"), S("a`b"), S("é"), S("hi"), S("hi"),
        S("hi")},
       "héllo|        ab|ab        |hé|\"a\\\"b\\n\"|\"a`b\"|\"\\u00e9\"|6869|68 69|0x6869"},
      {"%t|%v|%5t|%d", {B(true), B(false), B(true), B(true)}, "true|false| true|%!d(bool=true)"},
      {"%d", {F(1.5)}, "%!d(float64=1.5)"},
      {"%s", {F(1.5)}, "%!s(float64=1.5)"},
      {"%f", {S("x")}, "%!f(string=x)"},
      {"%d %d", {I(1)}, "1 %!d(MISSING)"},
      {"%d", {I(1), S("x"), F(2.5)}, "1%!(EXTRA string=x, float64=2.5)"},
      {"%!|%z|%", {I(1)}, "%!!(int=1)|%!z(MISSING)|%!(NOVERB)"},
      {"%s %d", {Nil(), Nil()}, "%!s(<nil>) %!d(<nil>)"},
      {"%[2]d %[1]s|%[3]d|%[0]d", {S("a"), I(2)}, "2 a|%!d(BADINDEX)|%!d(BADINDEX)"},
      {"%*d|%-*d|%.*f|%*d",
       {I(5), I(1), I(4), I(2), I(2), F(3.14159), S("x"), I(3)},
       "    1|2   |3.14|%!(BADWIDTH)3"},
      {"%.*d", {I(-1), I(5)}, "%!(BADPREC)5"},
      {"%v|%d|%s",
       {SM({{"b", "2"}, {"a", "1"}}), SM({{"a", "x"}}), SM({{"k", "v"}})},
       "map[a:1 b:2]|map[%!d(string=a):%!d(string=x)]|map[k:v]"},
      {"%#v|%+v", {SM({{"a", "1"}}), SM({})}, "map[string]string{\"a\":\"1\"}|map[]"},
      {"%v|%v|%T", {C(1, -2), C(0, 0.5), C(1, 2)}, "(1-2i)|(0+0.5i)|complex128"},
      {"%T|%T|%T|%T|%T", {I(1), F(1), S("s"), B(true), Nil()}, "int|float64|string|bool|<nil>"},
  };
  for (const SprintfCase& c : cases) {
    EXPECT_EQ(Sprintf(c.format, c.args), c.want) << "format " << c.format;
  }
}

TEST(GoFormatTest, SprintAddsSpacesOnlyBetweenNonStringOperands) {
  EXPECT_EQ(Sprint({I(1), I(2), S("a"), S("b"), I(3), Nil(), F(4.5), B(true)}),
            "1 2ab3 <nil> 4.5 true");
  EXPECT_EQ(Sprintln({I(1), S("x"), F(2.5)}), "1 x 2.5\n");
}

TEST(GoFormatTest, FormatFloatShortestAndFixed) {
  struct Case {
    double v;
    char fmt;
    int prec;
    std::string want;
  };
  const std::vector<Case> cases = {
      {1e6, 'g', -1, "1e+06"},  {123456, 'g', -1, "123456"},
      {0.1, 'e', -1, "1e-01"},  {1234.5, 'f', -1, "1234.5"},
      {0, 'e', 2, "0.00e+00"},  {9.995, 'f', 2, "9.99"},
      {0.5, 'f', 0, "0"},       {1.5, 'f', 0, "2"},
      {1e23, 'g', -1, "1e+23"}, {123456789, 'e', 3, "1.235e+08"},
      {-0.0, 'g', 4, "-0"},     {1e-320, 'g', -1, "1e-320"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatFloat(c.v, c.fmt, c.prec), c.want) << c.v << " " << c.fmt << c.prec;
  }
}

TEST(GoFormatTest, DurationStringMatchesGo) {
  const std::vector<std::pair<int64_t, std::string>> cases = {
      {0, "0s"},
      {1, "1ns"},
      {999, "999ns"},
      {1000, "1µs"},
      {1500, "1.5µs"},
      {1500000, "1.5ms"},
      {1000000000, "1s"},
      {1500000000, "1.5s"},
      {5400000000000, "1h30m0s"},
      {-90000000000, "-1m30s"},
      {360000000000000, "100h0m0s"},
      {3723004005006, "1h2m3.004005006s"},
      {std::numeric_limits<int64_t>::max(), "2562047h47m16.854775807s"},
      {std::numeric_limits<int64_t>::min(), "-2562047h47m16.854775808s"},
  };
  for (const auto& [nanos, want] : cases) EXPECT_EQ(DurationString(nanos), want) << nanos;
}

TEST(GoFormatTest, TimeStringAndFormatMatchGo) {
  struct Case {
    double unix_seconds;
    std::string string;
    std::string formatted;
  };
  const std::vector<Case> cases = {
      {0, "1970-01-01 00:00:00 +0000 UTC",
       "Thu Thursday Jan January 1 01 1 01  1   1 001 70 1970 12 12 00 0 00 0 00 AM am .000   "
       "+0000 +00:00 +00 Z Z UTC"},
      {1.5, "1970-01-01 00:00:01.5 +0000 UTC",
       "Thu Thursday Jan January 1 01 1 01  1   1 001 70 1970 12 12 00 0 00 1 01 AM am .500 .5 ,5 "
       "+0000 +00:00 +00 Z Z UTC"},
      {-1.5, "1969-12-31 23:59:58.5 +0000 UTC",
       "Wed Wednesday Dec December 12 12 31 31 31 365 365 69 1969 11 11 23 59 59 58 58 PM pm .500 "
       ".5 ,5 +0000 +00:00 +00 Z Z UTC"},
      {1700000000.123, "2023-11-14 22:13:20.122 +0000 UTC",
       "Tue Tuesday Nov November 11 11 14 14 14 318 318 23 2023 10 10 22 13 13 20 20 PM pm .122 "
       ".122 ,1 +0000 +00:00 +00 Z Z UTC"},
      {951782400, "2000-02-29 00:00:00 +0000 UTC",
       "Tue Tuesday Feb February 2 02 29 29 29  60 060 00 2000 12 12 00 0 00 0 00 AM am .000   "
       "+0000 +00:00 +00 Z Z UTC"},
      {4102444799.999, "2099-12-31 23:59:59.999 +0000 UTC",
       "Thu Thursday Dec December 12 12 31 31 31 365 365 99 2099 11 11 23 59 59 59 59 PM pm .999 "
       ".999 ,9 +0000 +00:00 +00 Z Z UTC"},
      {-2208988800, "1900-01-01 00:00:00 +0000 UTC",
       "Mon Monday Jan January 1 01 1 01  1   1 001 00 1900 12 12 00 0 00 0 00 AM am .000   +0000 "
       "+00:00 +00 Z Z UTC"},
  };
  const std::string layout =
      "Mon Monday Jan January 1 01 2 02 _2 __2 002 06 2006 3 03 15 4 04 5 05 PM pm .000 .999 ,9 "
      "-0700 -07:00 -07 Z07:00 Z0700 MST";
  for (const Case& c : cases) {
    core::Result<Time> t = FloatToTime(c.unix_seconds);
    ASSERT_TRUE(t.ok()) << t.status().message();
    EXPECT_EQ(TimeString(*t), c.string) << c.unix_seconds;
    EXPECT_EQ(FormatTime(*t, layout), c.formatted) << c.unix_seconds;
  }
}

TEST(GoStrconvTest, ParseFloatAcceptsGoSyntaxAndReportsGoErrors) {
  EXPECT_EQ(ParseFloat("1_000.5").value, 1000.5);
  EXPECT_EQ(ParseFloat("0x1p-2").value, 0.25);
  EXPECT_EQ(ParseFloat("+Inf").value, kInf);
  EXPECT_EQ(ParseFloat("-infinity").value, -kInf);
  EXPECT_TRUE(std::isnan(ParseFloat("nan").value));
  EXPECT_EQ(ParseFloat("abc").error, "strconv.ParseFloat: parsing \"abc\": invalid syntax");
  EXPECT_EQ(ParseFloat("").error, "strconv.ParseFloat: parsing \"\": invalid syntax");
  EXPECT_EQ(ParseFloat("1e999").error, "strconv.ParseFloat: parsing \"1e999\": value out of range");
  EXPECT_EQ(ParseFloat("1e999").value, kInf);
  EXPECT_EQ(ParseFloat("1__0").error, "strconv.ParseFloat: parsing \"1__0\": invalid syntax");
  EXPECT_EQ(ParseFloat("+nan").error, "strconv.ParseFloat: parsing \"+nan\": invalid syntax");
  EXPECT_EQ(ParseFloat(" 1").error, "strconv.ParseFloat: parsing \" 1\": invalid syntax");
}

TEST(GoStrconvTest, QuoteAndUnquoteFollowGo) {
  EXPECT_EQ(Quote("a\"b\\c\n\t\x01\x7f\xff é"), "\"a\\\"b\\\\c\\n\\t\\x01\\x7f\\xff é\"");
  EXPECT_EQ(Quote("é", true), "\"\\u00e9\"");
  EXPECT_EQ(Unquote("\"a\\tb\\u00e9\\x41\\101\""), std::optional<std::string>("a\tbéAA"));
  EXPECT_EQ(Unquote("`raw\\n`"), std::optional<std::string>("raw\\n"));
  EXPECT_EQ(Unquote("\"\\q\""), std::nullopt);
  EXPECT_EQ(Unquote("\"a"), std::nullopt);
  EXPECT_EQ(ParseInt("0x1F"), std::optional<int64_t>(31));
  EXPECT_EQ(ParseInt("0o17"), std::optional<int64_t>(15));
  EXPECT_EQ(ParseInt("017"), std::optional<int64_t>(15));
  EXPECT_EQ(ParseInt("1_000"), std::optional<int64_t>(1000));
  EXPECT_EQ(ParseInt("9223372036854775808"), std::nullopt);
  EXPECT_EQ(ParseUint("18446744073709551615"), std::optional<uint64_t>(UINT64_MAX));
}

}  // namespace
}  // namespace smoke::ruler::go
