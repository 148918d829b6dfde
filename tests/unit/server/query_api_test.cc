// The Prometheus-compatible query API over a MemoryStorage filled directly: what Grafana, Argo
// Rollouts, Flagger and Keptn receive for each result type, each endpoint and each mistake.

#include "exporter/server/query_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "exporter/server/prom_json.h"
#include "exporter/server/query_params.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int64_t kT0 = 1'700'000'000'000;  // ms; the ManualClock's default start
constexpr int64_t kStep = 15'000;

HttpRequest Get(std::string path, std::string query) {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.query = std::move(query);
  return r;
}

std::string Enc(const std::string& s) { return UrlEncode(s); }

class QueryApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Ten minutes of 15 s scrapes up to kT0.
    for (int64_t t = kT0 - 600'000; t <= kT0; t += kStep) {
      const double i = static_cast<double>((t - (kT0 - 600'000)) / kStep);
      Add({{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}, t, 1);
      Add({{"__name__", "up"}, {"job", "db"}, {"instance", "b:2"}}, t, 0);
      Add({{"__name__", "requests_total"}, {"job", "api"}}, t, 10 * i);
    }
    const double inf = std::numeric_limits<double>::infinity();
    Add({{"__name__", "special"}, {"kind", "nan"}}, kT0, std::nan(""));
    Add({{"__name__", "special"}, {"kind", "inf"}}, kT0, inf);
    Add({{"__name__", "special"}, {"kind", "neg_inf"}}, kT0, -inf);
    Add({{"__name__", "special"}, {"kind", "tiny"}}, kT0, 1e-7);
    Add({{"__name__", "special"}, {"kind", "big"}}, kT0, 1e21);
    Add({{"__name__", "special"}, {"kind", "fraction"}}, kT0, 0.1 + 0.2);
    // A series that stopped two hours ago.
    Add({{"__name__", "gone"}, {"job", "old"}}, kT0 - 7'200'000, 5);
    ctx_.storage = &storage_;
    ctx_.clock = &clock_;
    ctx_.version = "1.2.3";
  }

  void Add(promql::Labels labels, int64_t t, double v) {
    ASSERT_TRUE(storage_.Append(labels, t, v).ok());
  }

  tsdb::MemoryStorage storage_;
  core::ManualClock clock_;
  QueryContext ctx_;
};

TEST_F(QueryApiTest, InstantVectorQueryAnswersAsPrometheus) {
  HttpResponse r = HandleQuery(ctx_, Get("/api/v1/query", "query=up&time=1700000000.781"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(
      r.body,
      R"({"status":"success","data":{"resultType":"vector","result":[)"
      R"({"metric":{"__name__":"up","instance":"a:1","job":"api"},"value":[1700000000.781,"1"]},)"
      R"({"metric":{"__name__":"up","instance":"b:2","job":"db"},"value":[1700000000.781,"0"]}]}})");
}

TEST_F(QueryApiTest, TimeDefaultsToTheClocksNow) {
  clock_.Advance(std::chrono::milliseconds(30'500));
  HttpResponse r = HandleQuery(ctx_, Get("/api/v1/query", "query=" + Enc("up{job=\"api\"}")));
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr(R"("value":[1700000030.500,"1"])"));
}

TEST_F(QueryApiTest, ScalarStringAndRangeVectorResults) {
  const std::string at = "&time=1700000000";
  EXPECT_EQ(HandleQuery(ctx_, Get("/api/v1/query", "query=" + Enc("1 + 1") + at)).body,
            R"({"status":"success","data":{"resultType":"scalar","result":[1700000000,"2"]}})");
  EXPECT_EQ(HandleQuery(ctx_, Get("/api/v1/query", "query=" + Enc("\"hello\"") + at)).body,
            R"({"status":"success","data":{"resultType":"string","result":[1700000000,"hello"]}})");
  EXPECT_EQ(
      HandleQuery(ctx_, Get("/api/v1/query", "query=" + Enc("up{job=\"api\"}[30s]") + at)).body,
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{"__name__":"up","instance":"a:1","job":"api"},)"
      R"("values":[[1699999985,"1"],[1700000000,"1"]]}]}})");
}

TEST_F(QueryApiTest, SpecialValuesAreStringsLikeGoFormatsThem) {
  HttpResponse r = HandleQuery(ctx_, Get("/api/v1/query", "query=special&time=1700000000"));
  ASSERT_EQ(r.status, 200);
  for (const char* want : {R"({"kind":"big"},"value":[1700000000,"1e+21"])",
                           R"({"kind":"fraction"},"value":[1700000000,"0.30000000000000004"])",
                           R"({"kind":"inf"},"value":[1700000000,"+Inf"])",
                           R"({"kind":"nan"},"value":[1700000000,"NaN"])",
                           R"({"kind":"neg_inf"},"value":[1700000000,"-Inf"])",
                           R"({"kind":"tiny"},"value":[1700000000,"1e-07"])"}) {
    EXPECT_THAT(r.body, HasSubstr(std::string(want).insert(1, R"("__name__":"special",)")));
  }
}

TEST_F(QueryApiTest, RangeQueryReturnsAMatrixWithOnePointPerStep) {
  const std::string range = "&start=1699999880&end=1700000000";
  const std::string want =
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{"job":"api"},"values":[[1699999880,"40"],[1699999940,"40"],[1700000000,"40"]]}]}})";
  EXPECT_EQ(HandleQuery(ctx_, Get("/api/v1/query_range", "")).status, 400);
  HttpResponse seconds = HandleQueryRange(
      ctx_,
      Get("/api/v1/query_range",
          "query=" + Enc("sum by (job) (increase(requests_total[1m]))") + range + "&step=60"));
  EXPECT_EQ(seconds.status, 200);
  EXPECT_EQ(seconds.body, want);
  // The step as a duration string and the times as RFC 3339 give the same answer.
  HttpResponse duration = HandleQueryRange(
      ctx_, Get("/api/v1/query_range",
                "query=" + Enc("sum by (job) (increase(requests_total[1m]))") +
                    "&start=2023-11-14T22:11:20Z&end=2023-11-14T22:13:20Z&step=1m"));
  EXPECT_EQ(duration.body, want);
  // A scalar expression becomes one series without labels.
  EXPECT_EQ(
      HandleQueryRange(ctx_, Get("/api/v1/query_range", "query=2" + range + "&step=120")).body,
      R"({"status":"success","data":{"resultType":"matrix","result":[)"
      R"({"metric":{},"values":[[1699999880,"2"],[1700000000,"2"]]}]}})");
}

struct ErrorCase {
  const char* name;
  HttpResponse (*handler)(const QueryContext&, const HttpRequest&);
  std::string query;
  int status;
  const char* type;
  std::string message;  // the whole error; "~text": contains text; "": not checked
};

TEST_F(QueryApiTest, BadRequestsGetPrometheusErrors) {
  const std::string range = "query=up&start=1700000000&end=1700000600";
  const ErrorCase cases[] = {
      {"parse error", HandleQuery, "query=" + Enc("foo bar"), 400, "bad_data",
       R"(invalid parameter "query": 1:5: parse error: unexpected identifier "bar")"},
      {"no query", HandleQuery, "", 400, "bad_data", "~parse error: no expression found in input"},
      {"bad time", HandleQuery, "query=up&time=yesterday", 400, "bad_data",
       R"(invalid parameter "time": Invalid time value for 'time': cannot parse "yesterday" to a valid timestamp)"},
      {"bad timeout", HandleQuery, "query=up&timeout=soon", 400, "bad_data",
       R"(invalid parameter "timeout": cannot parse "soon" to a valid duration)"},
      {"bad limit", HandleQuery, "query=up&limit=-1", 400, "bad_data",
       R"(invalid parameter "limit": limit must be non-negative)"},
      {"duplicate labelset", HandleQuery,
       "query=" +
           Enc(R"(label_replace(label_replace(up, "instance", "", "", ""), "job", "", "", ""))") +
           "&time=1700000000",
       422, "execution", "vector cannot contain metrics with the same labelset"},
      {"range: no start", HandleQueryRange, "query=up&end=1&step=1", 400, "bad_data",
       R"(invalid parameter "start": cannot parse "" to a valid timestamp)"},
      {"range: bad end", HandleQueryRange, "query=up&start=1&end=x&step=1", 400, "bad_data",
       R"(invalid parameter "end": cannot parse "x" to a valid timestamp)"},
      {"range: end before start", HandleQueryRange, "query=up&start=10&end=5&step=1", 400,
       "bad_data", R"(invalid parameter "end": end timestamp must not be before start time)"},
      {"range: negative duration", HandleQueryRange, range + "&step=-15s", 400, "bad_data",
       R"(invalid parameter "step": cannot parse "-15s" to a valid duration)"},
      {"range: no step", HandleQueryRange, range, 400, "bad_data",
       R"(invalid parameter "step": cannot parse "" to a valid duration)"},
      {"range: zero step", HandleQueryRange, range + "&step=0", 400, "bad_data",
       R"(invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer)"},
      {"range: negative step", HandleQueryRange, range + "&step=-15", 400, "bad_data",
       R"(invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer)"},
      {"range: too many points", HandleQueryRange, "query=up&start=0&end=11001&step=1", 400,
       "bad_data",
       "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query "
       "resolution (?step=XX)"},
      {"range: range vector", HandleQueryRange, "query=" + Enc("up[5m]") + "&start=1&end=2&step=1",
       400, "bad_data",
       R"(invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector)"},
      {"range: string", HandleQueryRange, "query=" + Enc("\"x\"") + "&start=1&end=2&step=1", 400,
       "bad_data",
       R"(invalid parameter "query": invalid expression type "string" for range query, must be Scalar or instant Vector)"},
      {"series: no match", HandleSeries, "", 400, "bad_data", "no match[] parameter provided"},
      {"series: bad match", HandleSeries, "match[]=" + Enc("up{"), 400, "bad_data",
       R"(invalid parameter "match[]": 1:4: parse error: unexpected end of input inside braces)"},
      {"series: empty matchers", HandleSeries, "match[]=" + Enc("{job=~\".*\"}"), 400, "bad_data",
       ""},
      {"labels: bad start", HandleLabels, "start=x", 400, "bad_data",
       R"(invalid parameter "start": Invalid time value for 'start': cannot parse "x" to a valid timestamp)"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    HttpResponse r = c.handler(ctx_, Get("/api/v1/x", c.query));
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_THAT(r.body,
                StartsWith(R"({"status":"error","errorType":")" + std::string(c.type) + "\""));
    if (c.message.rfind('~', 0) == 0) {
      EXPECT_THAT(r.body, HasSubstr(c.message.substr(1)));
    } else if (!c.message.empty()) {
      EXPECT_THAT(r.body, ::testing::EndsWith(",\"error\":" + JsonString(c.message) + "}"));
    }
  }
}

TEST_F(QueryApiTest, ExceedingMaxSamplesIsAnExecutionError) {
  ctx_.options.max_samples = 1;
  HttpResponse r = HandleQuery(ctx_, Get("/api/v1/query", "query=up&time=1700000000"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(
      r.body,
      R"({"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"})");
}

// Storage whose reads take `delay` on the manual clock, as a slow evaluation would.
class SlowStorage : public promql::Queryable {
 public:
  SlowStorage(const promql::Queryable& inner, core::ManualClock& clock, core::Duration delay)
      : inner_(inner), clock_(clock), delay_(delay) {}
  std::vector<promql::SeriesView> Select(const std::vector<promql::LabelMatcher>& matchers,
                                         int64_t mint, int64_t maxt) const override {
    clock_.Advance(delay_);
    return inner_.Select(matchers, mint, maxt);
  }

 private:
  const promql::Queryable& inner_;
  core::ManualClock& clock_;
  core::Duration delay_;
};

TEST_F(QueryApiTest, SlowEvaluationsAnswerTimeout) {
  SlowStorage slow(storage_, clock_, std::chrono::seconds(3));
  ctx_.storage = &slow;
  const std::string query = "query=up&time=1700000000";
  HttpResponse r = HandleQuery(ctx_, Get("/api/v1/query", query + "&timeout=2s"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(
      r.body,
      R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})");
  EXPECT_EQ(HandleQuery(ctx_, Get("/api/v1/query", query + "&timeout=5")).status, 200);
  // The server-wide timeout (--query.timeout) caps what a request may ask for.
  ctx_.timeout = std::chrono::seconds(1);
  EXPECT_EQ(HandleQuery(ctx_, Get("/api/v1/query", query + "&timeout=1h")).status, 503);
  EXPECT_EQ(HandleQueryRange(ctx_, Get("/api/v1/query_range",
                                       "query=up&start=1700000000&end=1700000060&step=15"))
                .status,
            503);
}

TEST_F(QueryApiTest, NoStorageYetIsUnavailable) {
  ctx_.storage = nullptr;
  HttpResponse r = HandleQuery(ctx_, Get("/api/v1/query", "query=up"));
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.body, StartsWith(R"({"status":"error","errorType":"unavailable")"));
  EXPECT_EQ(HandleLabels(ctx_, Get("/api/v1/labels", "")).status, 503);
}

TEST_F(QueryApiTest, FormPostsAreReadLikeGets) {
  HttpRequest post;
  post.method = "POST";
  post.path = "/api/v1/query";
  post.headers["content-type"] = "application/x-www-form-urlencoded";
  post.body = "query=" + Enc("up{job=\"db\"}") + "&time=1700000000";
  post.query = "time=1";  // the body wins, as in Go's FormValue
  HttpResponse r = HandleQuery(ctx_, post);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, HandleQuery(ctx_, Get("/api/v1/query",
                                          "query=" + Enc("up{job=\"db\"}") + "&time=1700000000"))
                        .body);
  EXPECT_THAT(r.body, HasSubstr(R"("value":[1700000000,"0"])"));

  post.path = "/api/v1/query_range";
  post.body = "query=up&start=1700000000&end=1700000000&step=15";
  EXPECT_EQ(HandleQueryRange(ctx_, post).status, 200);
}

TEST_F(QueryApiTest, LookbackDeltaAndLimitParameters) {
  // Five minutes after the last sample the default lookback still sees it; 1m does not.
  const std::string at = "&time=1700000290";
  EXPECT_THAT(HandleQuery(ctx_, Get("/api/v1/query", "query=up" + at)).body, HasSubstr("a:1"));
  EXPECT_THAT(HandleQuery(ctx_, Get("/api/v1/query", "query=up&lookback_delta=1m" + at)).body,
              HasSubstr(R"("result":[])"));
  HttpResponse limited = HandleQuery(ctx_, Get("/api/v1/query", "query=up&limit=1" + at));
  EXPECT_THAT(limited.body, HasSubstr("a:1"));
  EXPECT_THAT(limited.body, Not(HasSubstr("b:2")));
  EXPECT_THAT(limited.body, HasSubstr(R"("warnings":["results truncated due to limit"])"));
}

TEST_F(QueryApiTest, SeriesEndpointListsMatchingLabelSets) {
  HttpResponse r = HandleSeries(
      ctx_,
      Get("/api/v1/series", "match[]=up&match[]=" + Enc("{job=\"api\"}") + "&start=1699999000"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"success","data":[{"__name__":"requests_total","job":"api"},)"
                    R"({"__name__":"up","instance":"a:1","job":"api"},)"
                    R"({"__name__":"up","instance":"b:2","job":"db"}]})");
  // Without start, all of time: the series that stopped two hours ago is there too.
  EXPECT_EQ(HandleSeries(ctx_, Get("/api/v1/series", "match[]=gone")).body,
            R"({"status":"success","data":[{"__name__":"gone","job":"old"}]})");
  EXPECT_EQ(HandleSeries(ctx_, Get("/api/v1/series", "match[]=gone&start=1699999000")).body,
            R"({"status":"success","data":[]})");
  EXPECT_EQ(HandleSeries(ctx_, Get("/api/v1/series", "match[]=up&limit=1")).body,
            R"({"status":"success","data":[{"__name__":"up","instance":"a:1","job":"api"}],)"
            R"("warnings":["results truncated due to limit"]})");
}

TEST_F(QueryApiTest, LabelNamesAndValues) {
  EXPECT_EQ(HandleLabels(ctx_, Get("/api/v1/labels", "")).body,
            R"({"status":"success","data":["__name__","instance","job","kind"]})");
  EXPECT_EQ(HandleLabels(ctx_, Get("/api/v1/labels", "match[]=requests_total")).body,
            R"({"status":"success","data":["__name__","job"]})");
  EXPECT_EQ(HandleLabelValues(ctx_, Get("/api/v1/label/job/values", "")).body,
            R"({"status":"success","data":["api","db","old"]})");
  EXPECT_EQ(HandleLabelValues(ctx_, Get("/api/v1/label/job/values", "start=1699999000")).body,
            R"({"status":"success","data":["api","db"]})");
  EXPECT_EQ(HandleLabelValues(
                ctx_, Get("/api/v1/label/__name__/values", "match[]=" + Enc("{job=\"api\"}")))
                .body,
            R"({"status":"success","data":["requests_total","up"]})");
  EXPECT_EQ(HandleLabelValues(ctx_, Get("/api/v1/label/nope/values", "")).body,
            R"({"status":"success","data":[]})");
  HttpResponse bad = HandleLabelValues(ctx_, Get("/api/v1/label/1x/values", ""));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body,
            R"({"status":"error","errorType":"bad_data","error":"invalid label name: \"1x\""})");
  EXPECT_EQ(HandleLabelValues(ctx_, Get("/api/v1/label/job", "")).status, 404);
}

TEST_F(QueryApiTest, BuildInfoAndMetadata) {
  EXPECT_EQ(HandleBuildInfo(ctx_, Get("/api/v1/status/buildinfo", "")).body,
            R"({"status":"success","data":{"version":"1.2.3","revision":"","branch":"",)"
            R"("buildUser":"","buildDate":"","goVersion":""}})");
  EXPECT_EQ(HandleMetadata(ctx_, Get("/api/v1/metadata", "")).body,
            R"({"status":"success","data":{}})");
  EXPECT_EQ(HandleMetadata(ctx_, Get("/api/v1/metadata", "limit=x")).status, 400);
}

TEST_F(QueryApiTest, RoutesDispatchWithPrometheusMethods) {
  HttpServer server({.listen_address = "127.0.0.1:0"});
  int contexts = 0;
  InstallQueryRoutes(server, [&] {
    ++contexts;
    return ctx_;
  });
  const struct {
    const char* method;
    const char* path;
    int status;
  } cases[] = {
      {"GET", "/api/v1/query", 200},
      {"POST", "/api/v1/query", 200},
      {"DELETE", "/api/v1/query", 405},
      {"GET", "/api/v1/query_range", 200},
      {"POST", "/api/v1/series", 200},
      {"GET", "/api/v1/labels", 200},
      {"GET", "/api/v1/label/job/values", 200},
      {"POST", "/api/v1/label/job/values", 405},
      {"GET", "/api/v1/label/job/other", 404},
      {"GET", "/api/v1/status/buildinfo", 200},
      {"GET", "/api/v1/metadata", 200},
      {"PUT", "/api/v1/metadata", 405},
  };
  for (const auto& c : cases) {
    HttpRequest r = Get(c.path, "query=1&match[]=up&start=1&end=2&step=1");
    r.method = c.method;
    EXPECT_EQ(server.Handle(r).status, c.status) << c.method << " " << c.path;
  }
  EXPECT_GT(contexts, 0);
  HttpRequest del = Get("/api/v1/query", "");
  del.method = "DELETE";
  EXPECT_EQ(server.Handle(del).headers,
            (std::vector<std::pair<std::string, std::string>>{{"Allow", "GET, POST"}}));
}

}  // namespace
}  // namespace smoke::server
