// The prometheus probe against real Prometheus 2.42 servers started by scripts/prometheus.sh:
// a healthy one scraping itself with a rule group that evaluates, and a broken one whose "api"
// job points at ports nobody listens on and whose rule group fails on every evaluation. The
// probe must name the down targets (job/instance and Prometheus's lastError) and the failing
// rule, with their own reasons.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "exporter/config/config.h"
#include "exporter/probes/probe.h"
#include "tests/integration/monitoring_service_script.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/probe_result_inspect.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::probes {
namespace {

using ::smoke::testing::Describe;
using ::smoke::testing::FakeHttpServer;
using ::smoke::testing::FindAssertion;
using ::smoke::testing::Measured;
using ::smoke::testing::ScriptService;
using ::smoke::testing::TempDir;
using ::smoke::testing::WaitFor;
using ::testing::HasSubstr;

const std::string kScript = std::string(SMOKE_SOURCE_DIR) + "/scripts/prometheus.sh";

config::ProbeSpec Spec(const std::string& url) {
  config::ProbeSpec spec;
  spec.name = "prometheus";
  spec.kind = "prometheus";
  spec.component = "monitoring";
  spec.target = url;
  spec.timeout = std::chrono::seconds(5);
  return spec;
}

core::ProbeResult RunProbe(const Probe& probe) {
  RunContext ctx;
  ctx.deadline = ctx.clock->Now() + std::chrono::seconds(5);
  return probe.Run(ctx);
}

// Runs the probe until `done` holds for its result (Prometheus needs a scrape and an evaluation
// after start), at most 30 s; returns the last result.
core::ProbeResult RunUntil(const config::ProbeSpec& spec,
                           const std::function<bool(const core::ProbeResult&)>& done) {
  core::Result<ProbePtr> probe = MakeProbe(spec);
  EXPECT_TRUE(probe.ok()) << probe.status().message();
  if (!probe.ok()) return {};
  core::ProbeResult last;
  WaitFor(
      [&] {
        last = RunProbe(**probe);
        return done(last);
      },
      std::chrono::seconds(30));
  return last;
}

constexpr char kHealthyRules[] = R"(groups:
  - name: smoke
    interval: 1s
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
)";

// Two down targets in job "api"; the rule gives both series the same instance label, which
// Prometheus refuses on every evaluation ("vector contains metrics with the same labelset after
// applying rule labels").
constexpr char kBrokenRules[] = R"(groups:
  - name: api_slo
    interval: 1s
    rules:
      - record: api:up
        expr: up{job="api"}
        labels:
          instance: all
)";

// Job "api" scrapes `api_targets`; the rule file is loaded from `rules_file`.
std::string Config(const std::string& rules_file, const std::string& api_targets) {
  return "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
         "rule_files: ['" +
         rules_file +
         "']\n"
         "scrape_configs:\n"
         "  - job_name: api\n"
         "    static_configs: [{targets: [" +
         api_targets + "]}]\n";
}

TEST(MonitoringPrometheusTest, HealthyServerPassesEveryCheck) {
  // The scraped application is a stand-in in this process; Prometheus is real.
  FakeHttpServer api;
  api.Respond("/metrics", 200, "# TYPE app_ready gauge\napp_ready 1\n",
              {{"Content-Type", "text/plain; version=0.0.4"}});
  TempDir dir;
  const std::string rules = dir.Write("smoke.rules.yml", kHealthyRules);
  const std::string config =
      dir.Write("prometheus.yml", Config(rules, "'127.0.0.1:" + std::to_string(api.port()) + "'"));
  ScriptService prometheus(kScript, smoke::testing::ShellQuote(config));

  config::ProbeSpec spec = Spec(prometheus.url());
  spec.prometheus.required_jobs = {"api"};
  const core::ProbeResult r = RunUntil(spec, [](const core::ProbeResult& res) {
    return Measured(res, "smoke_prometheus_rules", {{"health", "ok"}}) == 1 &&
           Measured(res, "smoke_prometheus_targets", {{"health", "up"}}) == 1;
  });
  EXPECT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kNone);
  for (const char* check : {"healthy", "ready", "targets_up", "job_api", "rules_healthy"}) {
    ASSERT_NE(FindAssertion(r, check), nullptr) << check;
    EXPECT_TRUE(FindAssertion(r, check)->passed) << check;
  }
  EXPECT_EQ(Measured(r, "smoke_prometheus_rules", {{"health", "ok"}}), 1);
  EXPECT_EQ(Measured(r, "smoke_prometheus_targets", {{"health", "down"}}), 0);
  EXPECT_EQ(Measured(r, "probe_ip_protocol"), 4);
}

TEST(MonitoringPrometheusTest, BrokenServerNamesDownTargetsAndTheFailingRule) {
  TempDir dir;
  const std::string rules = dir.Write("api.rules.yml", kBrokenRules);
  const std::string config =
      dir.Write("prometheus.yml", Config(rules, "'127.0.0.1:1', '127.0.0.1:2'"));
  ScriptService prometheus(kScript, smoke::testing::ShellQuote(config));

  config::ProbeSpec spec = Spec(prometheus.url());
  spec.prometheus.required_jobs = {"api", "worker"};
  const core::ProbeResult r = RunUntil(spec, [](const core::ProbeResult& res) {
    return Measured(res, "smoke_prometheus_targets", {{"health", "down"}}) == 2 &&
           Measured(res, "smoke_prometheus_rules", {{"health", "err"}}) == 1;
  });
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kTargetsDown) << Describe(r);
  const core::AssertionResult* targets = FindAssertion(r, "targets_up");
  ASSERT_NE(targets, nullptr);
  EXPECT_THAT(targets->actual, HasSubstr("2 of 2 down: "));
  EXPECT_THAT(targets->actual, HasSubstr("api/127.0.0.1:1 ("));
  EXPECT_THAT(targets->actual, HasSubstr("api/127.0.0.1:2 ("));
  EXPECT_THAT(targets->actual, HasSubstr("connection refused"));  // Prometheus's lastError
  EXPECT_TRUE(FindAssertion(r, "job_api")->passed);  // it has targets, they are just down
  EXPECT_FALSE(FindAssertion(r, "job_worker")->passed);
  const core::AssertionResult* rules_check = FindAssertion(r, "rules_healthy");
  ASSERT_NE(rules_check, nullptr);
  EXPECT_EQ(rules_check->reason, core::Reason::kRulesFailing);
  EXPECT_THAT(rules_check->actual,
              HasSubstr("1 failing in 1 group(s): group api_slo rule api:up ("));
  EXPECT_THAT(rules_check->actual, HasSubstr("same labelset"));
  // Healthy and ready all the same: a process check would have passed.
  EXPECT_TRUE(FindAssertion(r, "healthy")->passed);
  EXPECT_TRUE(FindAssertion(r, "ready")->passed);
  EXPECT_THAT(r.message, HasSubstr("assertion targets_up failed"));
  EXPECT_THAT(r.message, HasSubstr("also failed: job_worker, rules_healthy"));
}

TEST(MonitoringPrometheusTest, StoppedServerFailsWithConnectionRefused) {
  ScriptService prometheus(kScript);
  const std::string url = prometheus.url();
  prometheus.Halt();
  core::Result<ProbePtr> probe = MakeProbe(Spec(url));
  ASSERT_TRUE(probe.ok());
  const core::ProbeResult r = RunProbe(**probe);
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kConnectionRefused) << Describe(r);
  EXPECT_THAT(r.message, ::testing::StartsWith("GET /-/healthy: "));
}

}  // namespace
}  // namespace smoke::probes
