// Decoding Prometheus's /api/v1/targets and /api/v1/rules (the shapes of Prometheus 2.42), and
// the prometheus probe against in-process servers for the API failures a real Prometheus does
// not produce on demand. The healthy and broken servers are real in
// tests/integration/monitoring_prometheus_test.cc.

#include "exporter/probes/prometheus_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

constexpr char kTargets[] = R"({"status":"success","data":{"activeTargets":[
 {"discoveredLabels":{"__address__":"127.0.0.1:8000"},"labels":{"instance":"127.0.0.1:8000","job":"api"},
  "scrapePool":"api","scrapeUrl":"http://127.0.0.1:8000/metrics","globalUrl":"http://h:8000/metrics",
  "lastError":"","lastScrape":"2025-10-17T18:48:30Z","lastScrapeDuration":0.003,"health":"up",
  "scrapeInterval":"15s","scrapeTimeout":"10s"},
 {"labels":{"instance":"127.0.0.1:1","job":"worker"},"scrapePool":"worker",
  "lastError":"Get \"http://127.0.0.1:1/metrics\": dial tcp 127.0.0.1:1: connect: connection refused",
  "health":"down"},
 {"labels":{"instance":"127.0.0.1:2","job":"node"},"scrapePool":"node","lastError":"","health":"unknown"}
],"droppedTargets":[]}})";

constexpr char kRules[] = R"({"status":"success","data":{"groups":[
 {"name":"api","file":"/etc/prometheus/api.rules.yml","interval":15,"rules":[
   {"state":"inactive","name":"ApiDown","query":"up{job=\"api\"} == 0","health":"ok","type":"alerting","lastError":""},
   {"name":"job:errors:rate5m","query":"x","health":"err","type":"recording",
    "lastError":"vector contains metrics with the same labelset after applying rule labels"}]},
 {"name":"slo","file":"/etc/prometheus/slo.rules.yml","rules":[
   {"name":"SloBurn","query":"y","health":"unknown","type":"alerting","lastError":""}]}
]}})";

TEST(PrometheusApiTest, DecodesActiveTargets) {
  core::Result<std::vector<PrometheusTarget>> got = ParsePrometheusTargets(kTargets);
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].job, "api");
  EXPECT_EQ((*got)[0].instance, "127.0.0.1:8000");
  EXPECT_EQ((*got)[0].health, "up");
  EXPECT_EQ((*got)[1].health, "down");
  EXPECT_THAT((*got)[1].last_error, HasSubstr("connection refused"));
  EXPECT_EQ((*got)[2].health, "unknown");
}

TEST(PrometheusApiTest, DecodesRulesOfEveryGroup) {
  core::Result<std::vector<PrometheusRule>> got = ParsePrometheusRules(kRules);
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[1].group, "api");
  EXPECT_EQ((*got)[1].name, "job:errors:rate5m");
  EXPECT_EQ((*got)[1].health, "err");
  EXPECT_EQ((*got)[1].type, "recording");
  EXPECT_EQ((*got)[2].group, "slo");
}

TEST(PrometheusApiTest, ErrorsAreValuesWithTheirCause) {
  struct Case {
    const char* body;
    const char* error;
  };
  const Case cases[] = {
      {"<html>502</html>", "response is not a JSON object"},
      {R"({"status":"error","errorType":"unavailable","error":"TSDB not ready"})",
       "API error unavailable: TSDB not ready"},
      {R"({"status":"success"})", "response has no \"data\" object"},
      {R"({"status":"success","data":{}})", "response has no \"data.activeTargets\" list"},
  };
  for (const Case& c : cases) {
    core::Result<std::vector<PrometheusTarget>> got = ParsePrometheusTargets(c.body);
    ASSERT_FALSE(got.ok()) << c.body;
    EXPECT_EQ(got.status().message(), c.error) << c.body;
  }
}

TEST(PrometheusProbeFakeTest, NamesEachDownTargetAndFailingRule) {
  FakeHttpServer prom;
  prom.Respond("/-/healthy", 200, "Prometheus Server is Healthy.\n");
  prom.Respond("/-/ready", 200, "Prometheus Server is Ready.\n");
  prom.Respond("/api/v1/targets", 200, kTargets);
  prom.Respond("/api/v1/rules", 200, kRules);
  config::ProbeSpec spec = MonitoringSpec("prometheus", prom.base_url());
  spec.prometheus.required_jobs = {"api", "celery"};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kTargetsDown) << Describe(r);
  EXPECT_EQ(FindAssertion(r, "targets_up")->actual,
            "1 of 3 down: worker/127.0.0.1:1 (Get \"http://127.0.0.1:1/metrics\": dial tcp "
            "127.0.0.1:1: connect: connection refused)");
  EXPECT_TRUE(FindAssertion(r, "job_api")->passed);
  EXPECT_EQ(FindAssertion(r, "job_celery")->actual, "no active target");
  EXPECT_EQ(FindAssertion(r, "rules_healthy")->actual,
            "1 failing in 1 group(s): group api rule job:errors:rate5m (vector contains metrics "
            "with the same labelset after applying rule labels)");
  EXPECT_EQ(FindAssertion(r, "rules_healthy")->reason, Reason::kRulesFailing);
  EXPECT_EQ(Measured(r, "smoke_prometheus_targets", {{"health", "down"}}), 1);
  EXPECT_EQ(Measured(r, "smoke_prometheus_targets", {{"health", "unknown"}}), 1);
  EXPECT_EQ(Measured(r, "smoke_prometheus_rules", {{"health", "err"}}), 1);
  EXPECT_EQ(Detail(r, "targets"), "1 up, 1 down, 1 unknown");
  // The active-only listing is asked for: dropped targets can be thousands.
  bool asked_active = false;
  for (const auto& req : prom.requests()) {
    asked_active = asked_active || (req.path == "/api/v1/targets" && req.query == "state=active");
  }
  EXPECT_TRUE(asked_active);
}

TEST(PrometheusProbeFakeTest, IgnoredJobsAndWarnSeverity) {
  FakeHttpServer prom;
  prom.Respond("/-/healthy", 200, "ok");
  prom.Respond("/-/ready", 200, "ok");
  prom.Respond("/api/v1/targets", 200, kTargets);
  prom.Respond("/api/v1/rules", 200, kRules);
  config::ProbeSpec spec = MonitoringSpec("prometheus", prom.base_url());
  spec.prometheus.ignore_jobs = {"worker"};
  spec.prometheus.rules_severity = core::Severity::kWarn;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kDegraded) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kRulesFailing);
  EXPECT_TRUE(FindAssertion(r, "targets_up")->passed);
  EXPECT_THAT(Detail(r, "target_down_ignored"), HasSubstr("worker/127.0.0.1:1"));
}

TEST(PrometheusProbeFakeTest, StartingServerIsNotReadyAndItsApiErrorIsQuoted) {
  FakeHttpServer prom;
  prom.Respond("/-/healthy", 200, "ok");
  prom.Respond("/-/ready", 503, "Service Unavailable");
  prom.Respond("/api/v1/targets", 503,
               R"({"status":"error","errorType":"unavailable","error":"TSDB not ready"})");
  prom.Respond("/api/v1/rules", 200, R"({"status":"success","data":{"groups":[]}})");
  const core::ProbeResult r = RunProbe(MonitoringSpec("prometheus", prom.base_url()));
  EXPECT_EQ(r.reason, Reason::kNotReady) << Describe(r);
  EXPECT_EQ(FindAssertion(r, "targets_up")->reason, Reason::kStatus);
  EXPECT_THAT(FindAssertion(r, "targets_up")->actual, HasSubstr("TSDB not ready"));
  EXPECT_TRUE(FindAssertion(r, "rules_healthy")->passed);
}

}  // namespace
}  // namespace smoke::probes
