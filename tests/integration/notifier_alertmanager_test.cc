// The notifier against a real Alertmanager 0.25 (Debian's prometheus-alertmanager, started on
// loopback by scripts/alertmanager.sh): alerts arrive with their labels, annotations and
// startsAt, a resolved alert leaves Alertmanager's active alerts, and alerts sent while
// Alertmanager is down arrive once it is back on the same address.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <stdlib.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "exporter/notifier/alert.h"
#include "exporter/notifier/notifier.h"
#include "tests/support/http_client.h"
#include "tests/support/shell.h"
#include "tests/support/subprocess.h"

namespace smoke::notifier {
namespace {

using ::smoke::testing::HttpGet;
using ::smoke::testing::Shell;
using ::smoke::testing::ShellQuote;
using ::smoke::testing::WaitFor;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const std::string kScript = std::string(SMOKE_SOURCE_DIR) + "/scripts/alertmanager.sh";

// One Alertmanager started by scripts/alertmanager.sh in a fresh directory; Halt() and
// Start(port()) bring it down and back on the same address; stopped (directory removed) on
// destruction.
class AlertmanagerServer {
 public:
  AlertmanagerServer() {
    char dir[] = "/tmp/smoke-am-XXXXXX";
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    Start(0);
  }
  ~AlertmanagerServer() { Shell(kScript + " stop " + ShellQuote(dir_)); }
  AlertmanagerServer(const AlertmanagerServer&) = delete;
  AlertmanagerServer& operator=(const AlertmanagerServer&) = delete;

  void Start(int port) {
    std::string command = kScript + " start " + ShellQuote(dir_);
    if (port != 0) command += " " + std::to_string(port);
    int status = 0;
    const std::string out = Shell(command + " 2>&1", &status);
    for (size_t pos = 0; pos < out.size();) {
      const size_t nl = out.find('\n', pos);
      const std::string line = out.substr(pos, nl - pos);
      if (line.rfind("URL=", 0) == 0) url_ = line.substr(4);
      if (line.rfind("PORT=", 0) == 0) port_ = std::stoi(line.substr(5));
      pos = nl == std::string::npos ? out.size() : nl + 1;
    }
    if (status != 0 || url_.empty()) throw std::runtime_error("alertmanager.sh start: " + out);
  }
  void Halt() { Shell(kScript + " halt " + ShellQuote(dir_)); }

  const std::string& url() const { return url_; }
  int port() const { return port_; }

  // GET /api/v2/alerts: the alerts Alertmanager holds as active (resolved ones are left out).
  nlohmann::json Alerts() const {
    const auto reply = HttpGet(url_ + "/api/v2/alerts");
    if (reply.status != 200) return nlohmann::json::array();
    return nlohmann::json::parse(reply.body, nullptr, false);
  }
  // The active alert with this alertname, if Alertmanager has it.
  std::optional<nlohmann::json> Find(const std::string& alertname) const {
    const nlohmann::json alerts = Alerts();
    if (!alerts.is_array()) return std::nullopt;
    for (const nlohmann::json& a : alerts) {
      if (a["labels"].value("alertname", "") == alertname) return a;
    }
    return std::nullopt;
  }

 private:
  std::string dir_;
  std::string url_;
  int port_ = 0;
};

NotifierOptions OptionsFor(const std::string& url) {
  NotifierOptions options;
  AlertmanagerOptions am;
  am.url = url;
  am.timeout = seconds(5);
  options.alertmanagers.push_back(am);
  options.external_labels = {{"env", "integration"}};
  // Retry quickly, so that the test sees the return of Alertmanager within a second.
  options.backoff = {milliseconds(50), milliseconds(200), 2.0};
  return options;
}

std::unique_ptr<Notifier> MustCreate(const NotifierOptions& options,
                                     prometheus::Registry* registry) {
  auto created = Notifier::Create(options, registry);
  if (!created.ok()) throw std::runtime_error(created.status().message());
  return std::move(created).value();
}

// Millisecond precision, as on the wire, so that times compare equal after the round trip.
core::TimePoint NowMs() {
  return std::chrono::floor<milliseconds>(std::chrono::system_clock::now());
}

Alert Firing(const std::string& name, core::TimePoint starts_at, const std::string& summary) {
  Alert alert;
  alert.labels = {{"alertname", name}, {"severity", "page"}};
  alert.annotations = {{"summary", summary}};
  alert.starts_at = starts_at;
  alert.ends_at = NowMs() + minutes(4);  // what the rule engine sends: 4 x resend delay
  alert.generator_url = "http://smoke.example:9117/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1";
  return alert;
}

TEST(NotifierAlertmanagerTest, AlertArrivesWithLabelsAnnotationsAndStartsAt) {
  AlertmanagerServer am;
  auto notifier = MustCreate(OptionsFor(am.url()), nullptr);
  const core::TimePoint started = NowMs() - minutes(3);
  notifier->Send({Firing("ApiDown", started, "API is down")});

  ASSERT_TRUE(WaitFor([&] { return am.Find("ApiDown").has_value(); }, seconds(20)));
  const nlohmann::json alert = *am.Find("ApiDown");
  EXPECT_EQ(
      alert["labels"],
      nlohmann::json({{"alertname", "ApiDown"}, {"severity", "page"}, {"env", "integration"}}));
  EXPECT_EQ(alert["annotations"], nlohmann::json({{"summary", "API is down"}}));
  EXPECT_EQ(alert["startsAt"], FormatTimestamp(started));
  EXPECT_EQ(alert["generatorURL"],
            "http://smoke.example:9117/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1");
  EXPECT_EQ(alert["status"]["state"], "active");

  const AlertmanagerStatus status = notifier->Status().at(0);
  EXPECT_TRUE(status.last_success.has_value());
  EXPECT_EQ(status.consecutive_failures, 0);
  EXPECT_EQ(status.alertmanager, am.url() + "/api/v2/alerts");
}

TEST(NotifierAlertmanagerTest, ResolvedAlertLeavesTheActiveAlerts) {
  AlertmanagerServer am;
  auto notifier = MustCreate(OptionsFor(am.url()), nullptr);
  const core::TimePoint started = NowMs() - minutes(3);
  notifier->Send({Firing("DbDown", started, "database unreachable"),
                  Firing("CacheDown", started, "redis unreachable")});
  ASSERT_TRUE(WaitFor([&] { return am.Find("DbDown") && am.Find("CacheDown"); }, seconds(20)));

  Alert resolved = Firing("DbDown", started, "database unreachable");
  resolved.ends_at = NowMs() - seconds(1);  // resolved a second ago
  notifier->Send({resolved});
  ASSERT_TRUE(WaitFor([&] { return !am.Find("DbDown").has_value(); }, seconds(20)))
      << am.Alerts().dump();
  // Only that alert: the other one is still firing.
  EXPECT_TRUE(am.Find("CacheDown").has_value());
}

TEST(NotifierAlertmanagerTest, AlertsSentWhileAlertmanagerIsDownArriveWhenItReturns) {
  AlertmanagerServer am;
  prometheus::Registry registry;
  auto notifier = MustCreate(OptionsFor(am.url()), &registry);
  const int port = am.port();
  am.Halt();

  const core::TimePoint started = NowMs() - minutes(1);
  notifier->Send({Firing("ApiDown", started, "first"), Firing("DbDown", started, "db")});
  ASSERT_TRUE(
      WaitFor([&] { return notifier->Status().at(0).consecutive_failures >= 2; }, seconds(20)));
  // While it is down the API alert changes; only its latest state is kept.
  notifier->Send({Firing("ApiDown", started, "latest"), Firing("CacheDown", started, "cache")});
  EXPECT_EQ(notifier->Status().at(0).queue_length, 3u);

  am.Start(port);
  ASSERT_TRUE(WaitFor(
      [&] { return am.Find("ApiDown") && am.Find("DbDown") && am.Find("CacheDown"); }, seconds(20)))
      << am.Alerts().dump();
  EXPECT_EQ((*am.Find("ApiDown"))["annotations"]["summary"], "latest");
  EXPECT_EQ((*am.Find("DbDown"))["startsAt"], FormatTimestamp(started));
  ASSERT_TRUE(WaitFor([&] { return notifier->Status().at(0).queue_length == 0; }, seconds(20)));
  const AlertmanagerStatus status = notifier->Status().at(0);
  EXPECT_EQ(status.consecutive_failures, 0);
  EXPECT_EQ(status.dropped, 0u);
  EXPECT_THAT(status.last_error_message, ::testing::HasSubstr("connection_refused"));
}

}  // namespace
}  // namespace smoke::notifier
