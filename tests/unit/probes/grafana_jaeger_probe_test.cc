// Grafana and Jaeger are not packaged here: these probes are tested against in-process servers
// replaying the responses both projects document, healthy and unhealthy.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/fake_http_server.h"
#include "tests/support/fake_tcp_server.h"
#include "tests/unit/probes/monitoring_test_util.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using smoke::testing::EverythingShown;
using smoke::testing::FakeHttpServer;
using namespace testutil;  // NOLINT: test builders
using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::pair<std::string, std::string>> kJson = {
    {"Content-Type", "application/json"}};

// Grafana's /api/health, as documented (docs/http_api/other: Health API).
constexpr char kGrafanaHealthy[] = R"({"commit":"03f502a94d","database":"ok","version":"10.4.2"})";
constexpr char kGrafanaDatabaseFailing[] =
    R"({"commit":"03f502a94d","database":"failing","version":"10.4.2"})";

TEST(GrafanaProbeTest, PassesWhenHealthAndDatabaseAreOk) {
  FakeHttpServer grafana;
  grafana.Respond("/api/health", 200, kGrafanaHealthy, kJson);
  const core::ProbeResult r = RunProbe(MonitoringSpec("grafana", grafana.base_url()));
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_TRUE(FindAssertion(r, "database")->passed);
  EXPECT_TRUE(FindAssertion(r, "healthy")->passed);
  EXPECT_EQ(Detail(r, "version"), "10.4.2");
  EXPECT_EQ(Detail(r, "commit"), "03f502a94d");
  EXPECT_EQ(Detail(r, "health_status"), "200");
  ASSERT_TRUE(PhaseSeconds(r, "health").has_value());
  EXPECT_EQ(Measured(r, "probe_ip_protocol"), 4);
}

TEST(GrafanaProbeTest, FailsWithDatabaseUnhealthyWhenItsDatabaseIsFailing) {
  FakeHttpServer grafana;
  grafana.Respond("/api/health", 503, kGrafanaDatabaseFailing, kJson);
  const core::ProbeResult r = RunProbe(MonitoringSpec("grafana", grafana.base_url()));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kDatabaseUnhealthy) << Describe(r);
  EXPECT_EQ(r.message,
            "assertion database failed: expected \"database\": \"ok\", got \"failing\"; also "
            "failed: healthy");
  EXPECT_EQ(r.evidence.status_code, 503);
  EXPECT_EQ(r.evidence.body_snippet, kGrafanaDatabaseFailing);
}

TEST(GrafanaProbeTest, FailsWithUnhealthyOnAProxyErrorPage) {
  FakeHttpServer grafana;
  grafana.Respond("/api/health", 502, "<html><body>Bad Gateway</body></html>",
                  {{"Content-Type", "text/html"}});
  const core::ProbeResult r = RunProbe(MonitoringSpec("grafana", grafana.base_url()));
  EXPECT_EQ(r.reason, Reason::kUnhealthy) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("got 502 \"<html><body>Bad Gateway</body></html>\""));
  EXPECT_FALSE(FindAssertion(r, "health_json")->passed);
  EXPECT_EQ(FindAssertion(r, "database"), nullptr);  // nothing to judge it by
}

TEST(GrafanaProbeTest, DatabaseCheckCanBeTurnedOff) {
  FakeHttpServer grafana;
  grafana.Respond("/api/health", 200, kGrafanaDatabaseFailing, kJson);
  config::ProbeSpec spec = MonitoringSpec("grafana", grafana.base_url());
  spec.grafana.check_database = false;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(Detail(r, "database"), "failing");  // still shown
}

TEST(GrafanaProbeTest, ConnectionRefusedEndsTheRunWithThatReason) {
  int port = 0;
  {
    FakeHttpServer gone;
    port = gone.port();
  }
  const core::ProbeResult r =
      RunProbe(MonitoringSpec("grafana", "http://127.0.0.1:" + std::to_string(port)));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kConnectionRefused) << Describe(r);
  EXPECT_THAT(r.message, ::testing::StartsWith("GET /api/health: "));
}

TEST(GrafanaProbeTest, SendsTheBearerTokenAndNeverShowsIt) {
  FakeHttpServer grafana;
  grafana.Route("/api/health", [](mg_connection* conn, const smoke::testing::FakeRequest& req) {
    // A misbehaving proxy that echoes the credential back.
    FakeHttpServer::WriteResponse(conn, 503, "denied for " + req.headers.at("authorization"),
                                  {{"X-Echo", req.headers.at("authorization")}});
  });
  config::ProbeSpec spec = MonitoringSpec("grafana", grafana.base_url());
  spec.http.bearer_token = core::Secret::Resolved("glsa_s3cr3t", "env:GRAFANA_TOKEN");
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(grafana.requests().at(0).headers.at("authorization"), "Bearer glsa_s3cr3t");
  EXPECT_EQ(r.reason, Reason::kUnhealthy);
  EXPECT_THAT(EverythingShown(r), Not(HasSubstr("glsa_s3cr3t")));
}

TEST(GrafanaProbeTest, MissingSecretSkipsWithoutSendingAnything) {
  FakeHttpServer grafana;
  grafana.Respond("/api/health", 200, kGrafanaHealthy, kJson);
  config::ProbeSpec spec = MonitoringSpec("grafana", grafana.base_url());
  spec.http.bearer_token = core::Secret::Unresolved("env:GRAFANA_TOKEN", "is not set");
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kSkipped);
  EXPECT_EQ(r.reason, Reason::kCredentialsMissing);
  EXPECT_EQ(r.message,
            "not run: bearer_token <secret from env:GRAFANA_TOKEN> is unavailable: is not set");
  EXPECT_TRUE(grafana.requests().empty());
}

// Jaeger query's /api/services, as its HTTP JSON API answers (the UI's own API).
constexpr char kJaegerServices[] =
    R"({"data":["frontend","api","redis"],"total":3,"limit":0,"offset":0,"errors":null})";
constexpr char kJaegerStorageDown[] =
    R"({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":500,"msg":"no elasticsearch node available"}]})";

TEST(JaegerProbeTest, PassesWhenTheUiAnswersAndRequiredServicesAreListed) {
  FakeHttpServer jaeger;
  jaeger.Respond("/", 200, "<!doctype html><title>Jaeger UI</title>",
                 {{"Content-Type", "text/html"}});
  jaeger.Respond("/api/services", 200, kJaegerServices, kJson);
  config::ProbeSpec spec = MonitoringSpec("jaeger", jaeger.base_url());
  spec.jaeger.required_services = {"api", "frontend"};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_TRUE(FindAssertion(r, "ui")->passed);
  EXPECT_TRUE(FindAssertion(r, "service_api")->passed);
  EXPECT_TRUE(FindAssertion(r, "service_frontend")->passed);
  EXPECT_EQ(Measured(r, "smoke_jaeger_services"), 3);
  EXPECT_EQ(Detail(r, "services"), "api; frontend; redis");
  EXPECT_TRUE(PhaseSeconds(r, "ui").has_value());
  EXPECT_TRUE(PhaseSeconds(r, "services").has_value());
}

TEST(JaegerProbeTest, FailsWithServiceMissingNamingTheService) {
  FakeHttpServer jaeger;
  jaeger.Respond("/", 200, "<!doctype html>");
  jaeger.Respond("/api/services", 200, kJaegerServices, kJson);
  config::ProbeSpec spec = MonitoringSpec("jaeger", jaeger.base_url());
  spec.jaeger.required_services = {"api", "worker"};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kServiceMissing);
  EXPECT_EQ(r.message,
            "assertion service_worker failed: expected service worker in /api/services, got not "
            "listed among 3 services");
}

TEST(JaegerProbeTest, MissingServiceOnlyDegradesWithWarnSeverity) {
  FakeHttpServer jaeger;
  jaeger.Respond("/", 200, "<!doctype html>");
  jaeger.Respond("/api/services", 200, kJaegerServices, kJson);
  config::ProbeSpec spec = MonitoringSpec("jaeger", jaeger.base_url());
  spec.jaeger.required_services = {"worker"};
  spec.jaeger.services_severity = core::Severity::kWarn;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kDegraded);
  EXPECT_EQ(r.reason, Reason::kServiceMissing);
}

TEST(JaegerProbeTest, StorageErrorFailsWithUnhealthyAndQuotesJaegersMessage) {
  FakeHttpServer jaeger;
  jaeger.Respond("/", 200, "<!doctype html>");
  jaeger.Respond("/api/services", 500, kJaegerStorageDown, kJson);
  config::ProbeSpec spec = MonitoringSpec("jaeger", jaeger.base_url());
  spec.jaeger.required_services = {"api"};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.reason, Reason::kUnhealthy) << Describe(r);
  EXPECT_EQ(r.message,
            "assertion services failed: expected GET /api/services answers 200 with a \"data\" "
            "list, got 500: no elasticsearch node available");
  // Required services cannot be judged without the list; they are not reported as present.
  EXPECT_EQ(FindAssertion(r, "service_api"), nullptr);
}

TEST(JaegerProbeTest, UiDownFailsWithUnhealthy) {
  FakeHttpServer jaeger;
  jaeger.Respond("/", 502, "Bad Gateway");
  jaeger.Respond("/api/services", 200, kJaegerServices, kJson);
  const core::ProbeResult r = RunProbe(MonitoringSpec("jaeger", jaeger.base_url()));
  EXPECT_EQ(r.reason, Reason::kUnhealthy);
  EXPECT_EQ(r.message, "assertion ui failed: expected GET / answers 200, got 502 \"Bad Gateway\"");
  EXPECT_TRUE(FindAssertion(r, "services")->passed);
}

}  // namespace
}  // namespace smoke::probes
