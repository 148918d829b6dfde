// Credentials for Alertmanager go into the Authorization header and nowhere else: not into log
// lines, metric labels, Status() or error messages, even when Alertmanager (or a proxy in front
// of it) echoes them back.

#include <civetweb.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <vector>

#include "exporter/notifier/notifier.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/fake_tcp_server.h"
#include "tests/unit/notifier/notifier_test_util.h"

namespace smoke::notifier {
namespace {

using smoke::testing::FakeHttpServer;
using smoke::testing::FakeRequest;
using testing::Exposition;
using testing::FastOptions;
using ::testing::HasSubstr;
using testing::kAlertsPath;
using testing::LogCapture;
using testing::MakeAlert;
using testing::MustCreate;
using ::testing::Not;
using testing::WaitForStatus;

constexpr char kPassword[] = "pw-Zq81-never-shown";
constexpr char kToken[] = "tok-Vx42-never-shown";

struct Case {
  std::string name;
  bool basic;                          // else bearer
  std::vector<std::string> forbidden;  // must appear nowhere
};

// Everything a person or a scraper could see of the notifier.
std::string Visible(const Notifier& notifier, prometheus::Registry& registry,
                    const LogCapture& logs) {
  std::string out = logs.Text() + Exposition(registry);
  for (const AlertmanagerStatus& s : notifier.Status()) {
    out += s.alertmanager + "\n" + s.last_error_message + "\n";
  }
  return out;
}

TEST(NotifierCredentialsTest, NeverShownEvenWhenTheServerEchoesThem) {
  const std::vector<Case> cases = {
      // "alerts:pw-..." in base64, as it travels in the header.
      {"basic", true, {kPassword, "YWxlcnRzOnB3LVpxODEtbmV2ZXItc2hvd24="}},
      {"bearer", false, {kToken}},
  };
  for (const Case& c : cases) {
    FakeHttpServer server;
    // A hostile or debugging proxy: rejects and echoes the Authorization header in its body.
    server.Route(kAlertsPath, [](mg_connection* conn, const FakeRequest& req) {
      auto it = req.headers.find("authorization");
      const std::string auth = it == req.headers.end() ? "" : it->second;
      FakeHttpServer::WriteResponse(conn, 401,
                                    "denied for '" + auth + "' (" + kPassword + kToken + ")");
    });
    prometheus::Registry registry;
    LogCapture logs;
    NotifierOptions options = FastOptions(server.base_url());
    if (c.basic) {
      options.alertmanagers[0].basic_auth_username = "alerts";
      options.alertmanagers[0].basic_auth_password =
          core::Secret::Resolved(kPassword, "env:AM_PASSWORD");
    } else {
      options.alertmanagers[0].bearer_token = core::Secret::Resolved(kToken, "file:/run/token");
    }
    auto notifier = MustCreate(options, &registry);
    ASSERT_NE(notifier, nullptr);
    notifier->Send({MakeAlert("A")});
    ASSERT_TRUE(WaitForStatus(
        *notifier, [](const AlertmanagerStatus& s) { return s.consecutive_failures >= 1; }));
    const std::string visible = Visible(*notifier, registry, logs);
    // The error is still useful ...
    EXPECT_THAT(notifier->Status().at(0).last_error_message, HasSubstr("HTTP 401: denied for"));
    EXPECT_THAT(visible, HasSubstr("<secret>"));
    // ... but what the server echoed is masked.
    for (const std::string& secret : c.forbidden) {
      EXPECT_THAT(visible, Not(HasSubstr(secret))) << c.name;
    }
  }
}

TEST(NotifierCredentialsTest, NotInTransportErrors) {
  prometheus::Registry registry;
  LogCapture logs;
  const int port = smoke::testing::FakeTcpServer::UnusedPort();
  NotifierOptions options = FastOptions("http://127.0.0.1:" + std::to_string(port));
  options.alertmanagers[0].basic_auth_username = "alerts";
  options.alertmanagers[0].basic_auth_password =
      core::Secret::Resolved(kPassword, "env:AM_PASSWORD");
  auto notifier = MustCreate(options, &registry);
  ASSERT_NE(notifier, nullptr);
  notifier->Send({MakeAlert("A")});
  ASSERT_TRUE(WaitForStatus(
      *notifier, [](const AlertmanagerStatus& s) { return s.consecutive_failures >= 2; }));
  EXPECT_THAT(notifier->Status().at(0).last_error_message, HasSubstr("connection_refused"));
  const std::string visible = Visible(*notifier, registry, logs);
  EXPECT_THAT(visible, Not(HasSubstr(kPassword)));
  EXPECT_THAT(visible, Not(HasSubstr("YWxlcnRzOnB3LVpxODEtbmV2ZXItc2hvd24=")));
}

}  // namespace
}  // namespace smoke::notifier
