// The text exposition parser: what Prometheus's scrape accepts it accepts with the same samples,
// what a scrape rejects it rejects with line and column, and prometheus-cpp's own output
// round-trips.

#include "exporter/tsdb/exposition_parser.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>
#include <prometheus/text_serializer.h>

#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "exporter/promql/quote.h"
#include "exporter/promql/storage.h"

namespace smoke::tsdb {
namespace {

// One line per sample: {labels} value[ @timestamp].
std::vector<std::string> Render(const ParsedExposition& p) {
  std::vector<std::string> out;
  for (const ExpositionSample& s : p.samples) {
    std::string line = s.labels.ToString() + " " + promql::FormatGoFloat(s.value);
    if (s.timestamp_ms) line += " @" + std::to_string(*s.timestamp_ms);
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> RenderFamilies(const ParsedExposition& p) {
  std::vector<std::string> out;
  for (const ExpositionFamily& f : p.families) {
    out.push_back(f.name + " " + f.type + " " + promql::GoQuote(f.help));
  }
  return out;
}

struct ValidCase {
  std::string name;
  std::string text;
  std::vector<std::string> samples;
};

class ValidExpositionTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidExpositionTest, ParsesLikePrometheus) {
  auto parsed = ParseTextExposition(GetParam().text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(Render(*parsed), GetParam().samples);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ValidExpositionTest,
    ::testing::Values(
        ValidCase{"Empty", "", {}},
        ValidCase{"OnlyBlankLinesAndComments", "\n\n  \t\n# just a comment\n#no space\n", {}},
        ValidCase{"Plain", "up 1\n", {"{__name__=\"up\"} 1"}},
        ValidCase{"NoTrailingNewline", "up 1", {"{__name__=\"up\"} 1"}},
        ValidCase{"Labels",
                  "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n",
                  {"{__name__=\"http_requests_total\", code=\"200\", method=\"post\"} 1027 "
                   "@1395066363000"}},
        ValidCase{"TrailingCommaAndBlanks",
                  "  m { a = \"1\" , b=\"2\", }\t3 \n",
                  {"{__name__=\"m\", a=\"1\", b=\"2\"} 3"}},
        ValidCase{"EmptyBracesAndNoBlankBeforeValue",
                  "m{} 1\nn{a=\"x\"}2\n",
                  {"{__name__=\"m\"} 1", "{__name__=\"n\", a=\"x\"} 2"}},
        ValidCase{"MissingCommaBetweenPairsAsPromparse",
                  "m{a=\"1\" b=\"2\"} 1\n",
                  {"{__name__=\"m\", a=\"1\", b=\"2\"} 1"}},
        ValidCase{"EmptyLabelValueIsAbsent", "m{a=\"\"} 1\n", {"{__name__=\"m\"} 1"}},
        ValidCase{
            "LabelValueEscapes",
            "m{path=\"C:\\\\dir\\\\\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",other=\"\\t\"} 1\n",
            {"{__name__=\"m\", nl=\"a\\nb\", other=\"\\\\t\", path=\"C:\\\\dir\\\\\", "
             "quote=\"say \\\"hi\\\"\"} 1"}},
        ValidCase{
            "Utf8LabelValue", "m{city=\"Zürich\"} 1\n", {"{__name__=\"m\", city=\"Zürich\"} 1"}},
        ValidCase{"ColonsAndUnderscoresInNames",
                  "job:rate5m:sum{_x=\"1\"} 2\n__m 3\n",
                  {"{__name__=\"job:rate5m:sum\", _x=\"1\"} 2", "{__name__=\"__m\"} 3"}},
        ValidCase{"SpecialValues",
                  "a NaN\nb +Inf\nc -Inf\nd nan\ne Nan\nf inf\ng -infinity\nh -0\n",
                  {"{__name__=\"a\"} NaN", "{__name__=\"b\"} +Inf", "{__name__=\"c\"} -Inf",
                   "{__name__=\"d\"} NaN", "{__name__=\"e\"} NaN", "{__name__=\"f\"} +Inf",
                   "{__name__=\"g\"} -Inf", "{__name__=\"h\"} -0"}},
        ValidCase{"NumberSpellings",
                  "a 1.5e3\nb -.25\nc 7.\nd +12\ne 1E-2\nf 1e-400\n",
                  {"{__name__=\"a\"} 1500", "{__name__=\"b\"} -0.25", "{__name__=\"c\"} 7",
                   "{__name__=\"d\"} 12", "{__name__=\"e\"} 0.01", "{__name__=\"f\"} 0"}},
        ValidCase{"TimestampWithBlanksAround", "m 1 \t 42 \n", {"{__name__=\"m\"} 1 @42"}},
        ValidCase{"HelpAndTypeWithoutSpaceAreComments",
                  "#HELP m x\n#TYPE m y\n# HELP\nm 1\n",
                  {"{__name__=\"m\"} 1"}},
        ValidCase{"DuplicateSeriesAreKeptForTheStorageToReject",
                  "m 1\nm 2\n",
                  {"{__name__=\"m\"} 1", "{__name__=\"m\"} 2"}}),
    [](const auto& info) { return info.param.name; });

struct InvalidCase {
  std::string name;
  std::string text;
  std::string error;  // the whole message
};

class InvalidExpositionTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidExpositionTest, FailsWithPosition) {
  auto parsed = ParseTextExposition(GetParam().text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, InvalidExpositionTest,
    ::testing::Values(
        InvalidCase{"MetricNameStartsWithDigit", "ok 1\n1up 1\n",
                    "line 2, column 1: expected metric name at start of line, got \"1up\""},
        InvalidCase{
            "BraceWithoutName", "{a=\"b\"} 1\n",
            "line 1, column 1: expected metric name at start of line, got \"{a=\\\"b\\\"}\""},
        InvalidCase{"InvalidCharInMetricName", "up-time 1\n",
                    "line 1, column 3: invalid value \"-time\": invalid syntax"},
        InvalidCase{"LabelNameWithColon", "m{a:b=\"1\"} 1\n",
                    "line 1, column 4: expected '=' after label name, got \":b=\\\"1\\\"}\""},
        InvalidCase{"LabelNameStartsWithDigit", "m{1a=\"1\"} 1\n",
                    "line 1, column 3: expected label name or '}', got \"1a=\\\"1\\\"}\""},
        InvalidCase{"MissingEquals", "m{a \"1\"} 1\n",
                    "line 1, column 5: expected '=' after label name, got \"\\\"1\\\"}\""},
        InvalidCase{"UnquotedLabelValue", "m{a=1} 1\n",
                    "line 1, column 5: expected '\"' to open the label value, got \"1}\""},
        InvalidCase{"UnterminatedLabelValue", "m{a=\"1} 1\n",
                    "line 1, column 5: label value is not terminated before end of line"},
        InvalidCase{"RawNewlineInLabelValue", "m{a=\"x\ny\"} 1\n",
                    "line 1, column 5: label value is not terminated before end of line"},
        InvalidCase{"DoubleComma", "m{a=\"1\",,} 1\n",
                    "line 1, column 9: expected label name or '}', got \",}\""},
        InvalidCase{"DuplicateLabelName", "m{a=\"1\",a=\"2\"} 1\n",
                    "line 1, column 9: duplicate label name \"a\""},
        InvalidCase{"ExplicitMetricNameLabel", "m{__name__=\"n\"} 1\n",
                    "line 1, column 3: duplicate label name \"__name__\""},
        InvalidCase{"InvalidUtf8LabelValue", "m{a=\"\xff\"} 1\n",
                    "line 1, column 5: label value of \"a\" is not valid UTF-8"},
        InvalidCase{"MissingValue", "m{a=\"1\"}\n",
                    "line 1, column 9: expected value after metric, got end of line"},
        InvalidCase{"MissingValueAtEndOfInput", "m",
                    "line 1, column 2: expected value after metric, got end of input"},
        InvalidCase{"BadValue", "m abc\n",
                    "line 1, column 3: invalid value \"abc\": invalid syntax"},
        InvalidCase{"HexValue", "m 0x1p3\n",
                    "line 1, column 3: invalid value \"0x1p3\": unsupported character in float"},
        InvalidCase{"UnderscoreValue", "m 1_000\n",
                    "line 1, column 3: invalid value \"1_000\": unsupported character in float"},
        InvalidCase{"SignedNaN", "m +NaN\n",
                    "line 1, column 3: invalid value \"+NaN\": invalid syntax"},
        InvalidCase{"ValueOutOfRange", "m 1e400\n",
                    "line 1, column 3: invalid value \"1e400\": value out of range"},
        InvalidCase{"NegativeTimestamp", "m 1 -5\n",
                    "line 1, column 5: expected timestamp or end of line, got \"-5\""},
        InvalidCase{"FractionalTimestamp", "m 1 5.5\n",
                    "line 1, column 6: expected end of line after timestamp, got \".5\""},
        InvalidCase{"TimestampOutOfRange", "m 1 99999999999999999999\n",
                    "line 1, column 5: timestamp 99999999999999999999 out of range"},
        InvalidCase{"TextAfterTimestamp", "m 1 2 3\n",
                    "line 1, column 7: expected end of line after timestamp, got \"3\""},
        InvalidCase{"CarriageReturn", "m 1\r\n",
                    "line 1, column 3: invalid value \"1\\r\": invalid syntax"},
        InvalidCase{"HelpWithoutName", "# HELP  \n",
                    "line 1, column 9: expected metric name after HELP, got end of line"},
        InvalidCase{"TypeWithBadName", "# TYPE 1m counter\n",
                    "line 1, column 8: expected metric name after TYPE, got \"1m\""},
        InvalidCase{"UnknownType", "# TYPE m countr\n",
                    "line 1, column 10: invalid metric type \"countr\" (want counter, gauge, "
                    "histogram, summary or untyped)"},
        InvalidCase{"TypeWithTrailingBlank", "# TYPE m gauge \n",
                    "line 1, column 10: invalid metric type \"gauge \" (want counter, gauge, "
                    "histogram, summary or untyped)"},
        InvalidCase{"DuplicateType", "# TYPE m gauge\nm 1\n# TYPE m gauge\n",
                    "line 3, column 8: second TYPE line for metric name \"m\""},
        InvalidCase{"DuplicateHelp", "# HELP m a\n# HELP m b\n",
                    "line 2, column 8: second HELP line for metric name \"m\""},
        InvalidCase{"TypeAfterSamples", "m 1\n# TYPE m gauge\n",
                    "line 2, column 8: TYPE line for metric name \"m\" after samples of its "
                    "family (m)"},
        InvalidCase{"HistogramTypeAfterBuckets", "h_bucket{le=\"1\"} 1\n# TYPE h histogram\n",
                    "line 2, column 8: TYPE line for metric name \"h\" after samples of its "
                    "family (h_bucket)"},
        InvalidCase{"InvalidUtf8Help", "# HELP m bad \xc3\n",
                    "line 1, column 10: HELP text is not valid UTF-8"},
        InvalidCase{"ErrorOnLaterLineStopsEverything", "a 1\nb 2\nc{ 3\n",
                    "line 3, column 4: expected label name or '}', got \"3\""}),
    [](const auto& info) { return info.param.name; });

TEST(ExpositionParserTest, ReadsHelpAndTypeWithEscapes) {
  auto parsed = ParseTextExposition(
      "# HELP a Help with \\\\ backslash,\\nnewline and \\t kept.\n"
      "# TYPE a counter\n"
      "a 1\n"
      "# HELP  b   two spaces kept\n"
      "# HELP c\n"
      "# TYPE c\tgauge\n"
      "c 3\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(
      RenderFamilies(*parsed),
      (std::vector<std::string>{"a counter \"Help with \\\\ backslash,\\nnewline and \\\\t kept.\"",
                                "b untyped \"  two spaces kept\"", "c gauge \"\""}));
}

TEST(ExpositionParserTest, GroupsHistogramAndSummarySeriesIntoTheirFamily) {
  auto parsed = ParseTextExposition(
      "# TYPE h histogram\n"
      "h_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2\n"
      "# TYPE s summary\n"
      "s{quantile=\"0.5\"} 1\ns_sum 4\ns_count 3\n"
      "undeclared 1\n"
      "# TYPE g gauge\n"
      "g 2\n"
      "h_created 5\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(
      RenderFamilies(*parsed),
      (std::vector<std::string>{"h histogram \"\"", "s summary \"\"", "undeclared untyped \"\"",
                                "g gauge \"\"", "h_created untyped \"\""}));
  EXPECT_EQ(parsed->samples.size(), 10u);
}

TEST(ExpositionParserTest, NaNBecomesTheNormalNaNNeverAStalenessMarker) {
  auto parsed = ParseTextExposition("m NaN\n");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->samples.size(), 1u);
  EXPECT_TRUE(std::isnan(parsed->samples[0].value));
  EXPECT_FALSE(promql::IsStaleNaN(parsed->samples[0].value));
  EXPECT_EQ(std::bit_cast<uint64_t>(parsed->samples[0].value), 0x7ff8000000000001ULL);
}

// What our own registries serve must parse back to the same values: the self-scrape depends on it.
TEST(ExpositionParserTest, RoundTripsPrometheusCppTextSerializerOutput) {
  prometheus::Registry registry;
  auto& counter = prometheus::BuildCounter()
                      .Name("smoke_probe_attempts_total")
                      .Help("Attempts, with a \\ backslash in help.")
                      .Register(registry);
  counter.Add({{"probe", "api"}, {"path", "C:\\tmp \"quoted\"\nline"}}).Increment(3);
  auto& gauge =
      prometheus::BuildGauge().Name("probe_success").Help("Whether it worked.").Register(registry);
  gauge.Add({{"probe", "api"}}).Set(1);
  gauge.Add({{"probe", "db"}}).Set(-0.125);
  gauge.Add({{"probe", "nan"}}).Set(std::nan(""));
  gauge.Add({{"probe", "inf"}}).Set(-HUGE_VAL);
  auto& histogram = prometheus::BuildHistogram()
                        .Name("smoke_probe_duration_seconds")
                        .Help("Latency.")
                        .Register(registry);
  auto& h = histogram.Add({{"probe", "api"}}, prometheus::Histogram::BucketBoundaries{0.1, 1});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(7);
  auto& summary = prometheus::BuildSummary().Name("rpc_seconds").Help("RPCs.").Register(registry);
  auto& s = summary.Add({}, prometheus::Summary::Quantiles{{0.5, 0.05}, {0.99, 0.001}});
  s.Observe(2);

  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  auto parsed = ParseTextExposition(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message() << "\n" << text;

  EXPECT_EQ(RenderFamilies(*parsed),
            (std::vector<std::string>{"smoke_probe_attempts_total counter "
                                      "\"Attempts, with a \\\\ backslash in help.\"",
                                      "probe_success gauge \"Whether it worked.\"",
                                      "smoke_probe_duration_seconds histogram \"Latency.\"",
                                      "rpc_seconds summary \"RPCs.\""}));
  std::vector<std::string> rendered = Render(*parsed);
  std::sort(rendered.begin(), rendered.end());
  EXPECT_EQ(
      rendered,
      (std::vector<std::string>{
          "{__name__=\"probe_success\", probe=\"api\"} 1",
          "{__name__=\"probe_success\", probe=\"db\"} -0.125",
          "{__name__=\"probe_success\", probe=\"inf\"} -Inf",
          "{__name__=\"probe_success\", probe=\"nan\"} NaN",
          "{__name__=\"rpc_seconds\", quantile=\"0.5\"} 2",
          "{__name__=\"rpc_seconds\", quantile=\"0.99\"} 2",
          "{__name__=\"rpc_seconds_count\"} 1",
          "{__name__=\"rpc_seconds_sum\"} 2",
          "{__name__=\"smoke_probe_attempts_total\", path=\"C:\\\\tmp \\\"quoted\\\"\\nline\", "
          "probe=\"api\"} 3",
          "{__name__=\"smoke_probe_duration_seconds_bucket\", le=\"+Inf\", probe=\"api\"} 3",
          "{__name__=\"smoke_probe_duration_seconds_bucket\", le=\"0.1\", probe=\"api\"} 1",
          "{__name__=\"smoke_probe_duration_seconds_bucket\", le=\"1\", probe=\"api\"} 2",
          "{__name__=\"smoke_probe_duration_seconds_count\", probe=\"api\"} 3",
          "{__name__=\"smoke_probe_duration_seconds_sum\", probe=\"api\"} 7.55",
      }));
}

// prometheus-cpp 1.0.1 writes HELP text unescaped, so a newline in a help string splits the line;
// a Prometheus scrape fails on that, and so must the self-scrape (help strings must be one line).
TEST(ExpositionParserTest, PrometheusCppHelpWithNewlineFailsLikeAScrape) {
  prometheus::Registry registry;
  prometheus::BuildGauge().Name("g").Help("first\nsecond").Register(registry).Add({}).Set(1);
  auto parsed = ParseTextExposition(prometheus::TextSerializer().Serialize(registry.Collect()));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "line 2, column 7: expected value after metric, got end of line");
}

}  // namespace
}  // namespace smoke::tsdb
