// How the query API reads its parameters: times, durations and form values, with the error
// wording Prometheus clients show their users.

#include "exporter/server/query_params.h"

#include <gtest/gtest.h>

#include <chrono>

namespace smoke::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(QueryParamsTest, TimesAreUnixSecondsOrRfc3339) {
  const struct {
    const char* in;
    int64_t want_ms;
  } cases[] = {
      {"1435781451.781", 1435781451781},
      {"1435781451", 1435781451000},
      {"1435781451.7814", 1435781451781},  // rounded to the millisecond
      {"1435781451.7816", 1435781451782},
      {"+1.5", 1500},
      {"-1.5", -1500},
      {"1.7e9", 1700000000000},
      {"0", 0},
      {"2015-07-01T20:10:51.781Z", 1435781451781},
      {"2015-07-01T20:10:51Z", 1435781451000},
      {"2015-07-01T20:10:51.7819Z", 1435781451781},  // truncated, as timestamp.FromTime
      {"2015-07-01T22:10:51.781+02:00", 1435781451781},
      {"2015-07-01T18:40:51.781-01:30", 1435781451781},
      {"2016-02-29T00:00:00Z", 1456704000000},
      {"1969-12-31T23:59:59Z", -1000},
      {"-292273086-05-16T16:47:06Z", kApiMinTimeMs},
      {"292277026596-12-04T15:30:07.999999999Z", kApiMaxTimeMs},
  };
  for (const auto& c : cases) {
    core::Result<int64_t> t = ParseApiTime(c.in);
    ASSERT_TRUE(t.ok()) << c.in << ": " << t.status().message();
    EXPECT_EQ(*t, c.want_ms) << c.in;
  }
}

TEST(QueryParamsTest, BadTimesAreRejectedWithPrometheusWording) {
  for (const char* in :
       {"", "abc", " 1", "1 ", "NaN", "Inf", "1e300", "2015-07-01", "2015-13-01T00:00:00Z",
        "2015-02-29T00:00:00Z", "2015-07-01T24:00:00Z", "2015-07-01T20:10:51",
        "2015-07-01T20:10:51.Z", "2015-07-01 20:10:51Z", "now"}) {
    core::Result<int64_t> t = ParseApiTime(in);
    ASSERT_FALSE(t.ok()) << in;
    EXPECT_EQ(t.status().message(),
              "cannot parse \"" + std::string(in) + "\" to a valid timestamp");
  }
  EXPECT_EQ(ParseApiTimeParam("start", "x", 0).status().message(),
            "Invalid time value for 'start': cannot parse \"x\" to a valid timestamp");
  EXPECT_EQ(*ParseApiTimeParam("start", "", 42), 42);
}

TEST(QueryParamsTest, DurationsAreSecondsOrPrometheusDurations) {
  const struct {
    const char* in;
    core::Duration want;
  } cases[] = {
      {"15", seconds(15)},
      {"0.5", milliseconds(500)},
      {"1m30s", seconds(90)},
      {"500ms", milliseconds(500)},
      {"1h", std::chrono::hours(1)},
      {"-1", seconds(-1)},
      {"0", seconds(0)},
  };
  for (const auto& c : cases) {
    core::Result<core::Duration> d = ParseApiDuration(c.in);
    ASSERT_TRUE(d.ok()) << c.in << ": " << d.status().message();
    EXPECT_EQ(*d, c.want) << c.in;
  }
  EXPECT_EQ(ParseApiDuration("abc").status().message(), "cannot parse \"abc\" to a valid duration");
  EXPECT_EQ(ParseApiDuration("").status().message(), "cannot parse \"\" to a valid duration");
  EXPECT_EQ(ParseApiDuration("1e300").status().message(),
            "cannot parse \"1e300\" to a valid duration. It overflows int64");
}

HttpRequest Request(std::string method, std::string query, std::string body = "",
                    std::string content_type = "application/x-www-form-urlencoded") {
  HttpRequest r;
  r.method = std::move(method);
  r.path = "/api/v1/query";
  r.query = std::move(query);
  r.body = std::move(body);
  if (!content_type.empty()) r.headers["content-type"] = std::move(content_type);
  return r;
}

TEST(QueryParamsTest, FormBodyValuesComeBeforeUrlValues) {
  const QueryForm form(
      Request("POST", "time=2&match%5B%5D=b", "time=1&match[]=a&query=up%7Bjob%3D%22x%22%7D"));
  EXPECT_EQ(form.Value("time"), "1");
  EXPECT_EQ(form.Value("query"), "up{job=\"x\"}");
  EXPECT_EQ(form.Values("match[]"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(form.Value("missing"), "");
}

TEST(QueryParamsTest, BodyIsReadOnlyForFormPosts) {
  EXPECT_EQ(
      QueryForm(Request("POST", "", "query=up", "application/x-www-form-urlencoded; charset=UTF-8"))
          .Value("query"),
      "up");
  EXPECT_EQ(QueryForm(Request("POST", "", "query=up", "application/json")).Value("query"), "");
  EXPECT_EQ(QueryForm(Request("POST", "", "query=up", "")).Value("query"), "");
  EXPECT_EQ(QueryForm(Request("GET", "", "query=up")).Value("query"), "");
}

TEST(QueryParamsTest, UrlEncodeRoundTripsThroughTheFormParser) {
  const std::string expr = "sum by (job) (rate(x{a=~\"b|c\", d!=\"e&f=g\"}[5m])) + 1 / 100%";
  EXPECT_EQ(UrlEncode("a b/c"), "a%20b%2Fc");
  const auto parsed = ParseUrlEncoded("query=" + UrlEncode(expr) + "&x=1");
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].second, expr);
}

}  // namespace
}  // namespace smoke::server
