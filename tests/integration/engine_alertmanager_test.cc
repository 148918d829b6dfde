// The embedded rule engine end to end: the smoke_exporter binary probes an HTTP target this test
// controls (an in-process server that answers 200 or 503 on demand), evaluates a rule file over
// its own metrics every second, and sends the alert to a real Alertmanager 0.25 (Debian's
// prometheus-alertmanager, started on loopback by scripts/alertmanager.sh). What an on-call
// person sees in Alertmanager: the alert with its labels, its rendered annotations and the time
// it started firing; the alert gone once the target recovers; and an alert that started firing
// while Alertmanager was down, delivered (with its original startsAt) when it is back.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "exporter/server/query_params.h"
#include "tests/integration/monitoring_service_script.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/http_client.h"
#include "tests/support/shell.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kAlertmanagerScript = std::string(SMOKE_SOURCE_DIR) + "/scripts/alertmanager.sh";
constexpr int64_t kForMs = 2'000;  // the rule's `for`

// `for` and the templates are what Prometheus users write: a label and annotations rendered
// from the alert's labels, its value and the external labels.
constexpr char kRules[] = R"(groups:
  - name: engine_integration
    rules:
      - alert: ApiHealthDown
        expr: probe_success{probe="api_health"} == 0
        for: 2s
        labels:
          severity: critical
          team: '{{ $labels.component }}-oncall'
        annotations:
          summary: '{{ $labels.probe }} is down in {{ $externalLabels.env }}'
          description: 'probe_success is {{ $value }} for {{ $labels.target }}'
)";

int64_t NowMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t ParseTime(const json& value) {
  auto parsed = server::ParseApiTime(value.get<std::string>());
  EXPECT_TRUE(parsed.ok()) << value.dump();
  return parsed.ok() ? *parsed : 0;
}

// GET /api/v2/alerts: the alerts Alertmanager holds as active (resolved ones are left out).
std::optional<json> FindInAlertmanager(const std::string& am_url, const std::string& alertname) {
  const HttpReply reply = HttpGet(am_url + "/api/v2/alerts");
  if (reply.status != 200) return std::nullopt;
  const json alerts = json::parse(reply.body, nullptr, false);
  if (!alerts.is_array()) return std::nullopt;
  for (const json& a : alerts) {
    if (a["labels"].value("alertname", "") == alertname) return a;
  }
  return std::nullopt;
}

class EngineAlertmanagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.Route("/health", [this](mg_connection* conn, const FakeRequest&) {
      const int status = api_status_.load();
      FakeHttpServer::WriteResponse(conn, status,
                                    status == 200 ? R"({"status":"healthy"})" : "unavailable",
                                    {{"Content-Type", "application/json"}});
    });
    dir_.Write("engine.rules.yml", kRules);
    alertmanager_ = std::make_unique<ScriptService>(kAlertmanagerScript);
  }

  void TearDown() override {
    if (exporter_) {
      exporter_->Signal(SIGTERM);
      EXPECT_EQ(exporter_->Wait(seconds(15)), std::optional<int>(0)) << exporter_->Stderr();
    }
  }

  // Probes and evaluates every second; alerts go to the test's Alertmanager.
  void StartExporter() {
    const std::string config = dir_.Write("smoke.yml",
                                          "global: {interval: 1s, timeout: 1s, jitter: 0}\n"
                                          "probes:\n"
                                          "  - name: api_health\n"
                                          "    kind: http\n"
                                          "    component: api\n"
                                          "    target: " +
                                              target() +
                                              "\n"
                                              "rules:\n"
                                              "  files: [engine.rules.yml]\n"
                                              "  evaluation_interval: 1s\n"
                                              "  external_labels: {env: integration}\n"
                                              "  external_url: http://smoke.test:9117\n"
                                              "alerting:\n"
                                              "  alertmanagers:\n"
                                              "    - url: " +
                                              alertmanager_->url() +
                                              "\n"
                                              "      timeout: 2s\n");
    exporter_ = std::make_unique<Subprocess>(
        std::vector<std::string>{SMOKE_EXPORTER_BINARY, "--config.file=" + config,
                                 "--web.listen-address=127.0.0.1:0"},
        dir_.path().string());
    const std::regex listening("msg=listening .*port=(\\d+)");
    std::smatch m;
    ASSERT_TRUE(WaitFor(
        [&] {
          const std::string err = exporter_->Stderr();
          if (!std::regex_search(err, m, listening)) return false;
          base_ = "http://127.0.0.1:" + m[1].str();
          return true;
        },
        seconds(20)))
        << exporter_->Stderr();
  }

  std::string target() const { return api_.base_url() + "/health"; }

  // The exporter's own view (GET /api/v1/alerts): the alert in `state`, if it has one.
  std::optional<json> ExporterAlert(const std::string& state) const {
    const HttpReply reply = HttpGet(base_ + "/api/v1/alerts");
    if (reply.status != 200) return std::nullopt;
    const json body = json::parse(reply.body, nullptr, false);
    if (body.is_discarded()) return std::nullopt;
    for (const json& a : body["data"]["alerts"]) {
      if (a["labels"].value("alertname", "") == "ApiHealthDown" && a["state"] == state) return a;
    }
    return std::nullopt;
  }

  // smoke_notifications_errors_total of the one Alertmanager (0 before the first error).
  int NotificationErrors() const {
    const std::string body = HttpGet(base_ + "/metrics").body;
    const std::regex line("\\nsmoke_notifications_errors_total\\{[^}]*\\} ([0-9.e+]+)\\n");
    std::smatch m;
    return std::regex_search(body, m, line) ? static_cast<int>(std::stod(m[1].str())) : 0;
  }

  // The labels and annotations the rule gives the alert, plus the external label.
  void ExpectAlertAsWritten(const json& alert) {
    EXPECT_EQ(alert["labels"], json({{"alertname", "ApiHealthDown"},
                                     {"component", "api"},
                                     {"probe", "api_health"},
                                     {"target", target()},
                                     {"severity", "critical"},
                                     {"team", "api-oncall"},
                                     {"env", "integration"}}))
        << alert.dump();
    EXPECT_EQ(alert["annotations"], json({{"summary", "api_health is down in integration"},
                                          {"description", "probe_success is 0 for " + target()}}))
        << alert.dump();
    EXPECT_EQ(alert["status"]["state"], "active");
    EXPECT_EQ(
        alert["generatorURL"].get<std::string>().rfind("http://smoke.test:9117/graph?g0.expr=", 0),
        0u)
        << alert.dump();
  }

  TempDir dir_;
  FakeHttpServer api_;
  std::atomic<int> api_status_{200};
  std::unique_ptr<ScriptService> alertmanager_;
  std::unique_ptr<Subprocess> exporter_;
  std::string base_;
};

TEST_F(EngineAlertmanagerTest, FailingProbeFiresAnAlertInAlertmanagerThatResolvesOnRecovery) {
  StartExporter();
  // Healthy first: evaluated, nothing pending, nothing sent.
  ASSERT_TRUE(WaitFor(
      [&] {
        return HttpGet(base_ + "/api/v1/rules").body.find("\"health\":\"ok\"") != std::string::npos;
      },
      seconds(20)));
  EXPECT_FALSE(ExporterAlert("pending").has_value());

  api_status_ = 503;
  std::optional<json> am_alert;
  ASSERT_TRUE(WaitFor(
      [&] {
        return (am_alert = FindInAlertmanager(alertmanager_->url(), "ApiHealthDown")).has_value();
      },
      seconds(30)))
      << exporter_->Stderr();
  const int64_t seen_ms = NowMs();
  ExpectAlertAsWritten(*am_alert);

  // startsAt is when the alert started firing: `for` after it became active, not before, and
  // not at some later resend.
  const std::optional<json> firing = ExporterAlert("firing");
  ASSERT_TRUE(firing.has_value());
  const int64_t active_at = ParseTime((*firing)["activeAt"]);
  const int64_t starts_at = ParseTime((*am_alert)["startsAt"]);
  EXPECT_GE(starts_at, active_at + kForMs) << am_alert->dump() << firing->dump();
  EXPECT_LE(starts_at, seen_ms) << am_alert->dump();
  // A firing alert is valid for 4 x the resend delay (1m): it can only leave Alertmanager within
  // this test's deadlines by being resolved.
  EXPECT_GE(ParseTime((*am_alert)["endsAt"]), seen_ms + 180'000) << am_alert->dump();

  api_status_ = 200;
  ASSERT_TRUE(WaitFor(
      [&] { return !FindInAlertmanager(alertmanager_->url(), "ApiHealthDown").has_value(); },
      seconds(30)))
      << HttpGet(alertmanager_->url() + "/api/v2/alerts").body;
  EXPECT_FALSE(ExporterAlert("firing").has_value());
  EXPECT_EQ(NotificationErrors(), 0);
}

TEST_F(EngineAlertmanagerTest, AlertFiringWhileAlertmanagerIsDownIsDeliveredWhenItReturns) {
  const int am_port = alertmanager_->port();
  alertmanager_->Halt();
  api_status_ = 503;
  StartExporter();

  // The alert fires while nobody can receive it, and the exporter keeps trying: three failed
  // posts are about three seconds of backoff (1s, 2s, ...).
  ASSERT_TRUE(WaitFor([&] { return ExporterAlert("firing").has_value(); }, seconds(30)))
      << exporter_->Stderr();
  ASSERT_TRUE(WaitFor([&] { return NotificationErrors() >= 3; }, seconds(30)))
      << exporter_->Stderr();
  const std::optional<json> firing = ExporterAlert("firing");
  ASSERT_TRUE(firing.has_value());

  // The same Alertmanager (same address), back a few seconds later.
  int status = 0;
  const std::string out = Shell(kAlertmanagerScript + " start " + ShellQuote(alertmanager_->dir()) +
                                    " " + std::to_string(am_port) + " 2>&1",
                                &status);
  ASSERT_EQ(status, 0) << out;
  const int64_t back_ms = NowMs();

  std::optional<json> am_alert;
  ASSERT_TRUE(WaitFor(
      [&] {
        return (am_alert = FindInAlertmanager(alertmanager_->url(), "ApiHealthDown")).has_value();
      },
      seconds(30)))
      << exporter_->Stderr();
  ExpectAlertAsWritten(*am_alert);
  // It started firing before Alertmanager came back, and says so.
  const int64_t starts_at = ParseTime((*am_alert)["startsAt"]);
  EXPECT_GE(starts_at, ParseTime((*firing)["activeAt"]) + kForMs) << am_alert->dump();
  EXPECT_LT(starts_at, back_ms) << am_alert->dump();
}

}  // namespace
}  // namespace smoke::testing
