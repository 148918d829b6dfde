// The metrics probe against in-process servers serving /metrics pages: valid, broken at a known
// line and column, missing what dashboards need, and unreachable.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/fake_http_server.h"
#include "tests/unit/probes/monitoring_test_util.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using smoke::testing::FakeHttpServer;
using namespace testutil;  // NOLINT: test builders
using ::testing::HasSubstr;

const std::vector<std::pair<std::string, std::string>> kText = {
    {"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}};

// What a FastAPI service with prometheus_client exports (abridged): 3 families, 7 samples.
constexpr char kPage[] = R"(# HELP http_requests_total Total HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="GET",handler="/health",status="2xx"} 1027
http_requests_total{method="GET",handler="/api/v1/companies",status="5xx"} 3
# HELP http_request_duration_seconds Request latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} 1000
http_request_duration_seconds_bucket{le="+Inf"} 1030
http_request_duration_seconds_sum 20.5
http_request_duration_seconds_count 1030
# TYPE process_start_time_seconds gauge
process_start_time_seconds 1.7e+09
)";

config::RequiredMetric Required(std::string metric,
                                std::vector<std::pair<std::string, std::string>> labels,
                                std::string assertion) {
  config::RequiredMetric r;
  r.metric = std::move(metric);
  r.labels = std::move(labels);
  r.assertion = std::move(assertion);
  return r;
}

TEST(MetricsProbeTest, CountsFamiliesAndSeriesOfAValidPage) {
  FakeHttpServer api;
  api.Respond("/metrics", 200, kPage, kText);
  config::ProbeSpec spec = MonitoringSpec("metrics", api.base_url() + "/metrics");
  spec.metrics.required = {
      Required("http_requests_total", {}, "metric_http_requests_total"),
      // A histogram is required by its family name; its samples carry suffixes.
      Required("http_request_duration_seconds", {}, "metric_http_request_duration_seconds"),
      Required("http_requests_total", {{"status", "5xx"}}, "metric_http_requests_total_status_5xx"),
  };
  spec.metrics.min_families = 3;
  spec.metrics.max_series = 7;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(Measured(r, "smoke_metrics_families"), 3);
  EXPECT_EQ(Measured(r, "smoke_metrics_series"), 7);
  EXPECT_EQ(Measured(r, "probe_http_status_code"), 200);
  for (const char* name :
       {"status", "parse", "min_families", "max_series", "metric_http_requests_total",
        "metric_http_request_duration_seconds", "metric_http_requests_total_status_5xx"}) {
    ASSERT_NE(FindAssertion(r, name), nullptr) << name;
    EXPECT_TRUE(FindAssertion(r, name)->passed) << name;
  }
  EXPECT_EQ(Detail(r, "content_type"), "text/plain; version=0.0.4; charset=utf-8");
  // Asked for the text format, as a Prometheus scrape does.
  EXPECT_THAT(api.requests().at(0).headers.at("accept"), HasSubstr("text/plain;version=0.0.4"));
}

TEST(MetricsProbeTest, ParseErrorNamesLineAndColumnAndKeepsTheLine) {
  FakeHttpServer api;
  api.Respond("/metrics", 200, "# TYPE up gauge\nup 1\nhttp_requests_total{method=GET} 3\n", kText);
  const core::ProbeResult r = RunProbe(MonitoringSpec("metrics", api.base_url() + "/metrics"));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kMetricsParse) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("assertion parse failed: expected valid text exposition "
                                   "format 0.0.4, got line 3, column 28: "));
  EXPECT_THAT(Detail(r, "parse_error"), ::testing::StartsWith("line 3, column 28: "));
  EXPECT_EQ(Detail(r, "parse_error_line"), "http_requests_total{method=GET} 3");
  EXPECT_FALSE(Measured(r, "smoke_metrics_families").has_value());
}

TEST(MetricsProbeTest, MissingMetricAndLabelSetFailWithMetricMissing) {
  FakeHttpServer api;
  api.Respond("/metrics", 200, kPage, kText);
  config::ProbeSpec spec = MonitoringSpec("metrics", api.base_url() + "/metrics");
  spec.metrics.required = {
      Required("http_requests_total", {{"status", "4xx"}}, "metric_http_requests_total_status_4xx"),
      Required("db_pool_connections", {}, "metric_db_pool_connections"),
  };
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.reason, Reason::kMetricMissing) << Describe(r);
  EXPECT_EQ(r.message,
            "assertion metric_http_requests_total_status_4xx failed: expected a sample of "
            "http_requests_total{status=\"4xx\"}, got 2 samples of http_requests_total, none with "
            "these labels; also failed: metric_db_pool_connections");
  EXPECT_EQ(FindAssertion(r, "metric_db_pool_connections")->actual,
            "no sample of db_pool_connections");
}

TEST(MetricsProbeTest, TooFewFamiliesAndTooManySeries) {
  FakeHttpServer api;
  api.Respond("/metrics", 200, kPage, kText);
  config::ProbeSpec spec = MonitoringSpec("metrics", api.base_url() + "/metrics");
  spec.metrics.min_families = 14;
  spec.metrics.max_series = 5;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.reason, Reason::kMetricMissing);
  EXPECT_EQ(FindAssertion(r, "min_families")->actual, "3");
  EXPECT_FALSE(FindAssertion(r, "max_series")->passed);
  EXPECT_EQ(FindAssertion(r, "max_series")->reason, Reason::kAssertion);
}

TEST(MetricsProbeTest, NonSuccessStatusFailsBeforeParsing) {
  FakeHttpServer api;
  api.Respond("/metrics", 500, "Internal Server Error");
  const core::ProbeResult r = RunProbe(MonitoringSpec("metrics", api.base_url() + "/metrics"));
  EXPECT_EQ(r.reason, Reason::kStatus);
  EXPECT_EQ(FindAssertion(r, "parse"), nullptr);
  EXPECT_EQ(r.evidence.status_code, 500);
  EXPECT_EQ(r.evidence.body_snippet, "Internal Server Error");
}

TEST(MetricsProbeTest, FetchesTheTargetExactlyIncludingATrailingSlash) {
  FakeHttpServer api;
  api.Respond("/metrics/", 200, kPage, kText);
  const core::ProbeResult r = RunProbe(MonitoringSpec("metrics", api.base_url() + "/metrics/"));
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(api.requests().at(0).path, "/metrics/");
}

}  // namespace
}  // namespace smoke::probes
