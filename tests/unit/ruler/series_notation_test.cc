// The expanding series notation of promtool unit-test files. Expected expansions and error
// messages were taken from Prometheus 2.42 (`promtool test rules` on the same strings); the
// promtool differential test in series_notation_promtool_test.cc re-checks the verdicts.

#include "exporter/ruler/series_notation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "exporter/promql/storage.h"

namespace smoke::ruler {
namespace {

struct ValuesCase {
  std::string input;
  std::string expanded;  // FormatSeriesValues of the result
};

TEST(SeriesNotationTest, ExpandsAsPrometheusDoes) {
  const std::vector<ValuesCase> cases = {
      {"", ""},
      {"   ", ""},
      {"1", "1"},
      {"1 2 3", "1 2 3"},
      {"  1\t2\n3  ", "1 2 3"},
      // a+bxn: n+1 samples.
      {"0+10x3", "0 10 20 30"},
      {"-2+4x3", "-2 2 6 10"},
      {"1-2x4", "1 -1 -3 -5 -7"},
      // axn: n+1 copies.
      {"1x4", "1 1 1 1 1"},
      {"5x0", "5"},
      // _ is one missing sample, _xn is n of them (not n+1).
      {"1 _x3 stale", "1 _ _ _ stale"},
      {"_", "_"},
      {"_x0", ""},
      {"_ _ 2", "_ _ 2"},
      // Numbers: signs, decimals, exponents, Inf/NaN in any case, leading-0 octal as Go reads it.
      {"+3 -3 .5 1.5e3 1e-3", "3 -3 0.5 1500 0.001"},
      {"Inf -inf +INF", "+Inf -Inf +Inf"},
      {"nan", "NaN"},
      {"010 08 0.10", "8 8 0.1"},
      // "0x10" is 0 repeated 10 more times: hexadecimal does not exist in series values.
      {"0x2", "0 0 0"},
      {"1e3x1", "1000 1000"},
      {"1.5+0.5x2", "1.5 2 2.5"},
      {"stale", "stale"},
      {"1 stale 2", "1 stale 2"},
      {"inf+1x1", "+Inf +Inf"},
      {"1x2 _x1 3-1x1", "1 1 1 _ 3 2"},
  };
  for (const ValuesCase& c : cases) {
    core::Result<std::vector<SequenceValue>> v = ParseSeriesValues(c.input);
    ASSERT_TRUE(v.ok()) << "\"" << c.input << "\": " << v.status().message();
    EXPECT_EQ(FormatSeriesValues(*v), c.expanded) << "\"" << c.input << "\"";
  }
}

TEST(SeriesNotationTest, StaleAndMissingAreDistinct) {
  core::Result<std::vector<SequenceValue>> v = ParseSeriesValues("stale _ NaN");
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 3u);
  EXPECT_TRUE((*v)[0].stale());
  EXPECT_FALSE((*v)[0].omitted);
  EXPECT_TRUE(promql::IsStaleNaN((*v)[0].value));
  EXPECT_TRUE((*v)[1].omitted);
  EXPECT_FALSE((*v)[1].stale());
  // A plain NaN is a value, not a staleness marker.
  EXPECT_TRUE(std::isnan((*v)[2].value));
  EXPECT_FALSE((*v)[2].stale());
}

TEST(SeriesNotationTest, StepsAccumulateLikePrometheus) {
  // Prometheus adds the step to a running value, so rounding errors accumulate; 0.1 added ten
  // times is not exactly 1.
  core::Result<std::vector<SequenceValue>> v = ParseSeriesValues("0+0.1x10");
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 11u);
  double expected = 0;
  for (int i = 0; i < 10; ++i) expected += 0.1;
  EXPECT_EQ(v->back().value, expected);
  EXPECT_NE(v->back().value, 1.0);
}

struct ErrorCase {
  std::string input;
  std::string error;
};

TEST(SeriesNotationTest, RejectsWithPrometheusMessageAndPosition) {
  const std::vector<ErrorCase> cases = {
      {"1+2", "1:4: parse error: unexpected end of input in series values"},
      {"1 x3", "1:3: parse error: unexpected \"x\""},
      {"foo",
       "1:1: parse error: unexpected identifier \"foo\" in series values, expected number "
       "or \"stale\""},
      {"1x", "1:3: parse error: unexpected end of input in series values"},
      {"1x1.5",
       "1:3: parse error: invalid repetition in series values: strconv.ParseUint: "
       "parsing \"1.5\": invalid syntax"},
      {"1x99999999999999999999",
       "1:3: parse error: invalid repetition in series values: "
       "strconv.ParseUint: parsing \"99999999999999999999\": value out "
       "of range"},
      {"{{schema:1 sum:2}}", "1:1: parse error: unexpected character in series sequence: '{'"},
      {"1a", "1:1: parse error: bad number syntax: \"1\""},
      {"stalex2",
       "1:1: parse error: unexpected identifier \"stalex2\" in series values, "
       "expected number or \"stale\""},
      {"STALE",
       "1:1: parse error: unexpected identifier \"STALE\" in series values, expected "
       "number or \"stale\""},
      {"_ x3", "1:3: parse error: unexpected \"x\""},
      {"1 2 + 3", "1:6: parse error: unexpected \" \" in series values"},
      {"sum", "1:1: parse error: unexpected <aggr:sum>"},
      {"1x2x3", "1:4: parse error: unexpected \"x\""},
      {"-", "1:2: parse error: unexpected end of input in series values"},
      {"1,2", "1:2: parse error: unexpected character in series sequence: ','"},
      {"10+-1x2", "1:4: parse error: unexpected <op:-> in series values"},
      {"1_", "1:1: parse error: bad number syntax: \"1\""},
      {"__", "1:2: parse error: unexpected \"_\""},
      {"_+1x2", "1:2: parse error: unexpected <op:+>"},
      {"1e",
       "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e\": "
       "invalid syntax"},
      {"1\n2 ?", "2:3: parse error: unexpected character in series sequence: '?'"},
      {"1 \xc3\xa9", "1:3: parse error: unexpected character in series sequence: '\xc3\xa9'"},
      {"1x100000000", "1:12: parse error: series expands to more than 5000000 values"},
  };
  for (const ErrorCase& c : cases) {
    core::Result<std::vector<SequenceValue>> v = ParseSeriesValues(c.input);
    ASSERT_FALSE(v.ok()) << "\"" << c.input << "\" was accepted";
    EXPECT_EQ(v.status().message(), c.error) << "\"" << c.input << "\"";
  }
}

struct LabelsCase {
  std::string input;
  std::string labels;  // Labels::ToString()
};

TEST(SeriesNotationTest, ParsesSeriesLabels) {
  const std::vector<LabelsCase> cases = {
      {"", "{}"},
      {"{}", "{}"},
      {"up", "{__name__=\"up\"}"},
      {"up{job=\"api\", instance='a:80'}", "{__name__=\"up\", instance=\"a:80\", job=\"api\"}"},
      {"{__name__=\"up\",job=\"api\",}", "{__name__=\"up\", job=\"api\"}"},
      {"job:up:sum{team=\"a\"}", "{__name__=\"job:up:sum\", team=\"a\"}"},
      // Keywords are metric names too.
      {"sum{by=\"x\"}", "{__name__=\"sum\", by=\"x\"}"},
      // The name outside the braces wins.
      {"a{__name__=\"b\"}", "{__name__=\"a\"}"},
      {"m{path=\"/a\\\"b\\n\"}", "{__name__=\"m\", path=\"/a\\\"b\\n\"}"},
  };
  for (const LabelsCase& c : cases) {
    core::Result<promql::Labels> l = ParseSeriesLabels(c.input);
    ASSERT_TRUE(l.ok()) << "\"" << c.input << "\": " << l.status().message();
    EXPECT_EQ(l->ToString(), c.labels) << "\"" << c.input << "\"";
  }
}

TEST(SeriesNotationTest, RejectsSelectorsAndTrailingText) {
  const std::vector<ErrorCase> cases = {
      {"m{a=~\"b\"}", "1:4: parse error: unexpected <op:=~> in label set, expected \"=\""},
      {"m{a=\"b\"} 1", "1:10: parse error: unexpected number \"1\""},
      {"m{a}", "1:4: parse error: unexpected \"}\" in label set, expected \"=\""},
      {"m{a=b}", "1:5: parse error: unexpected identifier \"b\" in label set, expected string"},
      {"m{a=\"b\" c=\"d\"}",
       "1:9: parse error: unexpected identifier \"c\" in label set, expected \",\" or \"}\""},
      {"m{\"a\"=\"b\"}",
       "1:3: parse error: unexpected string \"\\\"a\\\"\" in label set, expected identifier or "
       "\"}\""},
      {"1", "1:1: parse error: unexpected number \"1\""},
  };
  for (const ErrorCase& c : cases) {
    core::Result<promql::Labels> l = ParseSeriesLabels(c.input);
    ASSERT_FALSE(l.ok()) << "\"" << c.input << "\" was accepted";
    EXPECT_EQ(l.status().message(), c.error) << "\"" << c.input << "\"";
  }
}

}  // namespace
}  // namespace smoke::ruler
