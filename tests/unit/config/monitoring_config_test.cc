// The monitoring-stack kinds in the config (metrics, prometheus, alertmanager, grafana, jaeger,
// alert_pipeline, dns): what their blocks turn into, their defaults, their transport settings in
// the `http:` block, and their /config rendering. The exact messages for their mistakes are in
// invalid_config_test.cc with the other bad files.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exporter/config/loader.h"
#include "tests/unit/config/config_test_util.h"
namespace smoke::config {
namespace {

using ::smoke::config::test_util::Env;
using ::smoke::config::test_util::FindProbe;

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;

const std::string kGoodFile = std::string(SMOKE_TESTDATA_DIR) + "/config/monitoring-good.yml";

// The `probes:` section of a rendered config, up to the next top-level key.
std::string ProbesSection(const std::string& rendered) {
  size_t start = rendered.find("\nprobes:");
  if (start == std::string::npos) return "";
  ++start;
  size_t end = start;
  while ((end = rendered.find('\n', end)) != std::string::npos && end + 1 < rendered.size()) {
    const char next = rendered[end + 1];
    if (next != ' ' && next != '-') break;
    ++end;
  }
  return rendered.substr(start, end == std::string::npos ? std::string::npos : end + 1 - start);
}

ConfigPtr LoadGood() {
  core::Result<ConfigPtr> got = LoadConfigFile(
      kGoodFile, Env({{"PROM_PASSWORD", "pr0m-s3cret"}, {"GRAFANA_TOKEN", "glsa_t0k3n"}}));
  EXPECT_TRUE(got.ok()) << got.status().message();
  return got.ok() ? *got : nullptr;
}

TEST(MonitoringConfigTest, PrometheusBlockMergesOverItsModuleAndKeepsTheTransport) {
  ConfigPtr config = LoadGood();
  ASSERT_NE(config, nullptr);
  const ProbeSpec& p = FindProbe(*config, "prometheus");
  EXPECT_EQ(p.kind, "prometheus");
  EXPECT_EQ(p.component, "monitoring");
  EXPECT_EQ(p.target, "http://127.0.0.1:9090/");
  EXPECT_TRUE(p.prometheus.check_ready);
  EXPECT_TRUE(p.prometheus.check_targets);
  EXPECT_TRUE(p.prometheus.check_rules);
  EXPECT_THAT(p.prometheus.required_jobs, ElementsAre("api"));  // from the module
  EXPECT_THAT(p.prometheus.ignore_jobs, ElementsAre("blackbox"));
  EXPECT_EQ(p.prometheus.targets_severity, core::Severity::kFail);
  EXPECT_EQ(p.prometheus.rules_severity, core::Severity::kWarn);
  ASSERT_TRUE(p.http.basic_auth.has_value());
  EXPECT_EQ(p.http.basic_auth->username, "smoke");
  EXPECT_EQ(p.http.basic_auth->password.value(), "pr0m-s3cret");
  // The probe judges responses itself: no default status assertion rides along.
  EXPECT_THAT(p.http.assertions, IsEmpty());

  const ProbeSpec& plain = FindProbe(*config, "prometheus_plain");
  EXPECT_FALSE(plain.prometheus.check_ready);
  EXPECT_FALSE(plain.prometheus.check_targets);
  EXPECT_FALSE(plain.prometheus.check_rules);
  EXPECT_EQ(plain.component, "default");
}

TEST(MonitoringConfigTest, AlertmanagerGrafanaJaegerBlocks) {
  ConfigPtr config = LoadGood();
  ASSERT_NE(config, nullptr);
  const AlertmanagerSpec& am = FindProbe(*config, "alertmanager").alertmanager;
  EXPECT_TRUE(am.check_ready);
  EXPECT_TRUE(am.check_cluster);
  EXPECT_EQ(am.min_peers, 3);
  EXPECT_EQ(am.cluster_severity, core::Severity::kWarn);

  const ProbeSpec& grafana = FindProbe(*config, "grafana");
  EXPECT_TRUE(grafana.grafana.check_database);
  ASSERT_EQ(grafana.http.headers.size(), 1u);
  ASSERT_TRUE(grafana.http.headers[0].secret.has_value());
  EXPECT_EQ(grafana.http.headers[0].secret->value(), "glsa_t0k3n");

  const JaegerSpec& jaeger = FindProbe(*config, "jaeger").jaeger;
  EXPECT_TRUE(jaeger.check_ui);
  EXPECT_THAT(jaeger.required_services, ElementsAre("api", "worker"));
}

TEST(MonitoringConfigTest, AlertPipelineMetricsAndDnsBlocks) {
  ConfigPtr config = LoadGood();
  ASSERT_NE(config, nullptr);
  const AlertPipelineSpec& pipeline = FindProbe(*config, "alert_pipeline").alert_pipeline;
  EXPECT_EQ(pipeline.alertname, "SmokeExporterHeartbeat");
  EXPECT_THAT(pipeline.labels, ElementsAre(Pair("severity", "none"), Pair("team", "platform")));
  EXPECT_EQ(pipeline.ends_after, minutes(2));
  EXPECT_EQ(pipeline.expect_receiver, "heartbeat");

  const ProbeSpec& metrics = FindProbe(*config, "api_metrics");
  EXPECT_EQ(metrics.target, "http://127.0.0.1:8000/metrics/");  // kept exactly, trailing slash
  ASSERT_EQ(metrics.metrics.required.size(), 2u);
  EXPECT_EQ(metrics.metrics.required[0].metric, "http_requests_total");
  EXPECT_THAT(metrics.metrics.required[0].labels, IsEmpty());
  EXPECT_EQ(metrics.metrics.required[0].assertion, "metric_http_requests_total");
  EXPECT_EQ(metrics.metrics.required[1].metric, "up");
  EXPECT_THAT(metrics.metrics.required[1].labels,
              ElementsAre(Pair("instance", "127.0.0.1:8000"), Pair("job", "api")));
  EXPECT_EQ(metrics.metrics.required[1].assertion, "metric_up_instance_127_0_0_1_8000_job_api");
  EXPECT_EQ(metrics.metrics.min_families, 10);
  EXPECT_EQ(metrics.metrics.max_series, 5000);

  const ProbeSpec& dns = FindProbe(*config, "api_dns");
  EXPECT_EQ(dns.target, "api.staging.example.com.");
  EXPECT_EQ(dns.dns.ip_protocol, "any");
  // Kept in canonical form, so that it compares with the resolver's answers.
  EXPECT_THAT(dns.dns.expected_addresses, ElementsAre("10.0.0.5", "2001:db8::6"));
  EXPECT_EQ(dns.dns.max_resolve_time, milliseconds(200));
}

TEST(MonitoringConfigTest, KindsWithoutBlocksRunEveryCheck) {
  const std::string text = R"(global: {interval: 1h, timeout: 10m}
probes:
  - {name: p, kind: prometheus, target: "http://127.0.0.1:9090"}
  - {name: a, kind: alertmanager, target: "http://127.0.0.1:9093"}
  - {name: g, kind: grafana, target: "http://127.0.0.1:3000"}
  - {name: j, kind: jaeger, target: "http://127.0.0.1:16686"}
  - {name: h, kind: alert_pipeline, target: "http://127.0.0.1:9093"}
  - {name: m, kind: metrics, target: "http://127.0.0.1:8000/metrics"}
  - {name: d, kind: dns, target: localhost}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "m.yml", Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  const Config& c = **got;
  EXPECT_TRUE(FindProbe(c, "p").prometheus.check_rules);
  EXPECT_THAT(FindProbe(c, "p").prometheus.required_jobs, IsEmpty());
  EXPECT_TRUE(FindProbe(c, "a").alertmanager.check_cluster);
  EXPECT_EQ(FindProbe(c, "a").alertmanager.min_peers, 0);
  EXPECT_TRUE(FindProbe(c, "g").grafana.check_database);
  EXPECT_TRUE(FindProbe(c, "j").jaeger.check_ui);
  // The default endsAt outlives a long timeout: the alert is still active when read back.
  EXPECT_EQ(FindProbe(c, "h").alert_pipeline.ends_after, minutes(11));
  EXPECT_EQ(FindProbe(c, "h").alert_pipeline.alertname, "SmokeExporterHeartbeat");
  EXPECT_THAT(FindProbe(c, "m").metrics.required, IsEmpty());
  EXPECT_EQ(FindProbe(c, "d").dns.ip_protocol, "any");
}

TEST(MonitoringConfigTest, UnreadableSecretIsAWarningNotAnError) {
  core::Result<ConfigPtr> got = LoadConfigFile(kGoodFile, Env({{"PROM_PASSWORD", "x"}}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_THAT((*got)->warnings,
              ElementsAre(HasSubstr("secret env:GRAFANA_TOKEN is not set; probe \"grafana\" will "
                                    "be skipped")));
}

TEST(MonitoringConfigTest, RenderShowsBlocksAndRedactsSecrets) {
  ConfigPtr config = LoadGood();
  ASSERT_NE(config, nullptr);
  const std::string rendered = RenderConfigYaml(*config);
  EXPECT_THAT(rendered, Not(HasSubstr("pr0m-s3cret")));
  EXPECT_THAT(rendered, Not(HasSubstr("glsa_t0k3n")));
  EXPECT_THAT(rendered, HasSubstr("<secret from env:PROM_PASSWORD>"));
  EXPECT_THAT(rendered, HasSubstr("<secret from env:GRAFANA_TOKEN>"));
  EXPECT_THAT(rendered, HasSubstr("required_jobs: [\"api\"]"));
  EXPECT_THAT(rendered, HasSubstr("expect_receiver: \"heartbeat\""));
  EXPECT_THAT(rendered, HasSubstr("expected_addresses: [\"10.0.0.5\", \"2001:db8::6\"]"));
  // No request settings: these probes make their own requests.
  EXPECT_THAT(rendered, Not(HasSubstr("method:")));
}

TEST(MonitoringConfigTest, RenderedMonitoringProbesLoadBackToTheSameSettings) {
  const std::string text = R"(probes:
  - name: prometheus
    kind: prometheus
    target: http://127.0.0.1:9090
    http: {tls: {insecure_skip_verify: true}, headers: {X-Scope-OrgID: team-a}}
    prometheus: {required_jobs: [api], ignore_jobs: [node], targets_severity: warn}
  - name: heartbeat
    kind: alert_pipeline
    target: http://127.0.0.1:9093
    alert_pipeline: {labels: {severity: "none"}, alertname: "true"}
  - name: api_metrics
    kind: metrics
    target: http://127.0.0.1:8000/metrics
    metrics: {required: [up, {metric: http_requests_total, labels: {code: "200"}}], max_series: 10}
  - name: dns
    kind: dns
    target: localhost
    dns: {expected_addresses: ["::1"], max_resolve_time: 1s}
)";
  core::Result<ConfigPtr> first = LoadConfigText(text, "r.yml", Env({}));
  ASSERT_TRUE(first.ok()) << first.status().message();
  // Only the probes: the other sections have tests of their own.
  const std::string rendered = ProbesSection(RenderConfigYaml(**first));
  core::Result<ConfigPtr> second = LoadConfigText(rendered, "rendered.yml", Env({}));
  ASSERT_TRUE(second.ok()) << second.status().message() << "\n" << rendered;
  EXPECT_EQ(ProbesSection(RenderConfigYaml(**second)), rendered);
  const ProbeSpec& p = FindProbe(**second, "prometheus");
  EXPECT_TRUE(p.http.tls.insecure_skip_verify);
  EXPECT_THAT(p.prometheus.ignore_jobs, ElementsAre("node"));
  EXPECT_EQ(p.prometheus.targets_severity, core::Severity::kWarn);
  EXPECT_EQ(FindProbe(**second, "heartbeat").alert_pipeline.alertname, "true");
  EXPECT_THAT(FindProbe(**second, "api_metrics").metrics.required[1].labels,
              ElementsAre(Pair("code", "200")));
  EXPECT_THAT(FindProbe(**second, "dns").dns.expected_addresses, ElementsAre("::1"));
}

}  // namespace
}  // namespace smoke::config
