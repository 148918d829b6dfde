// The notifier against an in-process HTTP server standing in for Alertmanager: what is posted,
// how it is batched, labelled and authenticated, and what happens when Alertmanager fails,
// hangs or is slow, as the metrics and Status() report it.

#include "exporter/notifier/notifier.h"

#include <civetweb.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/fake_http_server.h"
#include "tests/support/gate.h"
#include "tests/support/subprocess.h"
#include "tests/unit/notifier/notifier_test_util.h"

namespace smoke::notifier {
namespace {

using smoke::testing::FakeHttpServer;
using smoke::testing::FakeRequest;
using smoke::testing::Gate;
using smoke::testing::GateOpener;
using smoke::testing::WaitFor;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::AlertPosts;
using ::testing::ElementsAre;
using testing::FastOptions;
using ::testing::HasSubstr;
using testing::kAlertsPath;
using testing::LogCapture;
using testing::MakeAlert;
using testing::MetricValue;
using testing::MustCreate;
using ::testing::Not;
using testing::PostedAlertNames;
using testing::WaitForStatus;

using Strings = std::vector<std::string>;

std::string Endpoint(const FakeHttpServer& server) { return server.base_url() + kAlertsPath; }

bool Idle(const AlertmanagerStatus& s) { return s.queue_length == 0 && s.last_success; }

TEST(NotifierTest, PostsAlertsAsAlertmanagerApiV2Json) {
  FakeHttpServer server;
  server.Respond("/prefix/api/v2/alerts", 200, "");
  NotifierOptions options = FastOptions(server.base_url() + "/prefix/");
  auto notifier = MustCreate(options, nullptr);
  ASSERT_NE(notifier, nullptr);

  Alert alert = MakeAlert("ApiDown", {{"severity", "page"}}, {{"summary", "API is down"}});
  alert.starts_at = core::TimePoint(milliseconds(1'700'000'000'123));
  alert.ends_at = core::TimePoint(milliseconds(1'700'000'240'000));
  alert.generator_url = "http://smoke:9117/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1";
  notifier->Send({alert});
  ASSERT_TRUE(WaitForStatus(*notifier, Idle));

  const std::vector<FakeRequest> posts = AlertPosts(server);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].path, "/prefix/api/v2/alerts");
  EXPECT_EQ(posts[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(posts[0].headers.count("authorization"), 0u);
  EXPECT_EQ(nlohmann::json::parse(posts[0].body), nlohmann::json::parse(R"([{
    "labels": {"alertname": "ApiDown", "severity": "page"},
    "annotations": {"summary": "API is down"},
    "startsAt": "2023-11-14T22:13:20.123Z",
    "endsAt": "2023-11-14T22:17:20.000Z",
    "generatorURL": "http://smoke:9117/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1"
  }])"));
}

TEST(NotifierTest, SplitsLargeSendsIntoBatchesOfMaxBatch) {
  FakeHttpServer server;
  server.Respond(kAlertsPath, 200, "");
  prometheus::Registry registry;
  auto notifier = MustCreate(FastOptions(server.base_url()), &registry);
  ASSERT_NE(notifier, nullptr);

  std::vector<Alert> alerts;
  for (int i = 0; i < 600; ++i) alerts.push_back(MakeAlert("A" + std::to_string(i)));
  notifier->Send(alerts);
  ASSERT_TRUE(WaitForStatus(*notifier, Idle));

  std::vector<size_t> sizes;
  for (const FakeRequest& r : AlertPosts(server)) {
    sizes.push_back(nlohmann::json::parse(r.body).size());
  }
  EXPECT_THAT(sizes, ElementsAre(256u, 256u, 88u));
  const Strings names = PostedAlertNames(server);
  ASSERT_EQ(names.size(), 600u);
  EXPECT_EQ(names.front(), "A0");  // oldest first
  EXPECT_EQ(names.back(), "A599");
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_sent_total", Endpoint(server)), 600);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_latency_seconds", Endpoint(server)), 3);
}

TEST(NotifierTest, ExternalLabelsFillOnlyWhatTheAlertLacks) {
  FakeHttpServer server;
  server.Respond(kAlertsPath, 200, "");
  NotifierOptions options = FastOptions(server.base_url());
  options.external_labels = {{"env", "prod"}, {"region", "eu"}, {"unset", ""}};
  auto notifier = MustCreate(options, nullptr);
  ASSERT_NE(notifier, nullptr);

  notifier->Send({MakeAlert("Own", {{"env", "staging"}}),
                  MakeAlert("Empty", {{"env", ""}}),  // empty means absent, as in Prometheus
                  MakeAlert("Bare")});
  ASSERT_TRUE(WaitForStatus(*notifier, Idle));

  const std::vector<FakeRequest> posts = AlertPosts(server);
  ASSERT_EQ(posts.size(), 1u);
  const nlohmann::json body = nlohmann::json::parse(posts[0].body);
  ASSERT_EQ(body.size(), 3u);
  EXPECT_EQ(body[0]["labels"],
            nlohmann::json({{"alertname", "Own"}, {"env", "staging"}, {"region", "eu"}}));
  EXPECT_EQ(body[1]["labels"],
            nlohmann::json({{"alertname", "Empty"}, {"env", "prod"}, {"region", "eu"}}));
  EXPECT_EQ(body[2]["labels"],
            nlohmann::json({{"alertname", "Bare"}, {"env", "prod"}, {"region", "eu"}}));
}

TEST(NotifierTest, SendsTheConfiguredCredentials) {
  struct Case {
    std::string name;
    std::string username;
    core::Secret password;
    core::Secret token;
    std::string want_header;  // "" = no Authorization header
  };
  const std::vector<Case> cases = {
      {"basic",
       "alerts",
       core::Secret::Resolved("pa55", "env:AM_PASSWORD"),
       {},
       "Basic YWxlcnRzOnBhNTU="},
      {"bearer", "", {}, core::Secret::Resolved("tok-123", "file:/run/am_token"), "Bearer tok-123"},
      {"none", "", {}, {}, ""},
  };
  for (const Case& c : cases) {
    FakeHttpServer server;
    server.Respond(kAlertsPath, 200, "");
    NotifierOptions options = FastOptions(server.base_url());
    options.alertmanagers[0].basic_auth_username = c.username;
    options.alertmanagers[0].basic_auth_password = c.password;
    options.alertmanagers[0].bearer_token = c.token;
    auto notifier = MustCreate(options, nullptr);
    ASSERT_NE(notifier, nullptr) << c.name;
    notifier->Send({MakeAlert("A")});
    ASSERT_TRUE(WaitForStatus(*notifier, Idle)) << c.name;
    const std::vector<FakeRequest> posts = AlertPosts(server);
    ASSERT_EQ(posts.size(), 1u) << c.name;
    const auto it = posts[0].headers.find("authorization");
    if (c.want_header.empty()) {
      EXPECT_EQ(it, posts[0].headers.end()) << c.name;
    } else {
      ASSERT_NE(it, posts[0].headers.end()) << c.name;
      EXPECT_EQ(it->second, c.want_header) << c.name;
    }
  }
}

TEST(NotifierTest, RetriesAFailedBatchUntilItIsDelivered) {
  FakeHttpServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.Route(kAlertsPath, [calls](mg_connection* conn, const FakeRequest&) {
    const bool first = calls->fetch_add(1) == 0;
    FakeHttpServer::WriteResponse(conn, first ? 500 : 200, first ? "{\"error\":\"boom\"}" : "");
  });
  prometheus::Registry registry;
  LogCapture logs;
  auto notifier = MustCreate(FastOptions(server.base_url()), &registry);
  ASSERT_NE(notifier, nullptr);

  notifier->Send({MakeAlert("ApiDown")});
  ASSERT_TRUE(WaitForStatus(*notifier, Idle));

  // Prometheus would have dropped the alert after the 500; here the retry delivered it.
  EXPECT_THAT(PostedAlertNames(server), ElementsAre("ApiDown", "ApiDown"));
  const std::string am = Endpoint(server);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_sent_total", am), 2);  // attempts
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_errors_total", am), 1);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_dropped_total", am), 0);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_queue_length", am), 0);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_queue_capacity", am), 10000);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_latency_seconds", am), 2);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_alertmanagers", ""), 1);

  const AlertmanagerStatus status = notifier->Status().at(0);
  EXPECT_EQ(status.alertmanager, am);
  EXPECT_EQ(status.consecutive_failures, 0);
  ASSERT_TRUE(status.last_error.has_value());
  ASSERT_TRUE(status.last_success.has_value());
  EXPECT_LE(*status.last_error, *status.last_success);
  EXPECT_EQ(status.last_error_message, "HTTP 500: {\"error\":\"boom\"}");
  EXPECT_THAT(logs.Text(), HasSubstr("will retry"));
  EXPECT_THAT(logs.Text(), HasSubstr("accepts alerts again"));
}

TEST(NotifierTest, ReportsAnAlertmanagerThatKeepsFailing) {
  FakeHttpServer server;
  server.Respond(kAlertsPath, 503, "maintenance");
  auto notifier = MustCreate(FastOptions(server.base_url()), nullptr);
  ASSERT_NE(notifier, nullptr);
  notifier->Send({MakeAlert("A")});
  ASSERT_TRUE(WaitForStatus(
      *notifier, [](const AlertmanagerStatus& s) { return s.consecutive_failures >= 3; }));
  const AlertmanagerStatus status = notifier->Status().at(0);
  EXPECT_FALSE(status.last_success.has_value());
  EXPECT_EQ(status.queue_length, 1u);  // kept for the next retry, not dropped
  EXPECT_EQ(status.last_error_message, "HTTP 503: maintenance");
}

TEST(NotifierTest, KeepsOrDropsABatchByTheAnswer) {
  struct Case {
    int status;
    bool delivered;
    bool kept;  // queued for a retry; otherwise gone (delivered or dropped)
  };
  const std::vector<Case> cases = {
      {200, true, false},
      {202, true, false},
      {204, true, false},
      {400, false, false},  // an invalid alert in the batch: Alertmanager stored the rest
      {413, false, false},
      {422, false, false},
      {401, false, true},  // credentials rotated on the Alertmanager side: fixable, so keep
      {403, false, true},
      {404, false, true},
      {408, false, true},
      {429, false, true},
      {500, false, true},
      {503, false, true},
  };
  FakeHttpServer server;
  auto status = std::make_shared<std::atomic<int>>(200);
  server.Route(kAlertsPath, [status](mg_connection* conn, const FakeRequest&) {
    FakeHttpServer::WriteResponse(conn, status->load(), "");
  });
  for (const Case& c : cases) {
    status->store(c.status);
    NotifierOptions options = FastOptions(server.base_url());
    options.backoff = {seconds(60), seconds(60), 2.0};  // one attempt per case
    auto notifier = MustCreate(options, nullptr);
    ASSERT_NE(notifier, nullptr);
    notifier->Send({MakeAlert("A")});
    ASSERT_TRUE(WaitForStatus(*notifier, [](const AlertmanagerStatus& s) {
      return s.last_success || s.last_error;
    })) << c.status;
    const AlertmanagerStatus got = notifier->Status().at(0);
    EXPECT_EQ(got.last_success.has_value(), c.delivered) << c.status;
    EXPECT_EQ(got.queue_length, c.kept ? 1u : 0u) << c.status;
    EXPECT_EQ(got.dropped, !c.delivered && !c.kept ? 1u : 0u) << c.status;
    if (!c.delivered) {
      EXPECT_EQ(got.last_error_message, "HTTP " + std::to_string(c.status));
    }
  }
}

TEST(NotifierTest, DropsABatchAlertmanagerRejectsAndMovesOn) {
  FakeHttpServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.Route(kAlertsPath, [calls](mg_connection* conn, const FakeRequest&) {
    const bool first = calls->fetch_add(1) == 0;
    FakeHttpServer::WriteResponse(conn, first ? 400 : 200, first ? "bad alert" : "");
  });
  prometheus::Registry registry;
  NotifierOptions options = FastOptions(server.base_url());
  options.max_batch = 1;
  auto notifier = MustCreate(options, &registry);
  ASSERT_NE(notifier, nullptr);
  notifier->Send({MakeAlert("Poison"), MakeAlert("Fine")});
  ASSERT_TRUE(WaitForStatus(*notifier, Idle));
  // The rejected batch is not retried forever, blocking everything behind it.
  EXPECT_THAT(PostedAlertNames(server), ElementsAre("Poison", "Fine"));
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_dropped_total", Endpoint(server)), 1);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_errors_total", Endpoint(server)), 1);
}

TEST(NotifierTest, DropsInvalidAlertsBeforeTheyPoisonABatch) {
  FakeHttpServer server;
  server.Respond(kAlertsPath, 200, "");
  prometheus::Registry registry;
  LogCapture logs;
  auto notifier = MustCreate(FastOptions(server.base_url()), &registry);
  ASSERT_NE(notifier, nullptr);
  notifier->Send({MakeAlert("Bad", {{"not-a-label", "x"}}), MakeAlert("Good")});
  ASSERT_TRUE(WaitForStatus(*notifier, Idle));
  EXPECT_THAT(PostedAlertNames(server), ElementsAre("Good"));
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_dropped_total", Endpoint(server)), 1);
  EXPECT_THAT(logs.Text(), HasSubstr("invalid label name"));
}

TEST(NotifierTest, QueueKeepsOnlyTheLatestStateOfEachAlert) {
  FakeHttpServer server;
  auto gate = std::make_shared<Gate>();
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.Route(kAlertsPath, [gate, calls](mg_connection* conn, const FakeRequest&) {
    if (calls->fetch_add(1) == 0) gate->Wait();  // Alertmanager is slow to answer the first post
    FakeHttpServer::WriteResponse(conn, 200, "");
  });
  GateOpener release(gate);
  auto notifier = MustCreate(FastOptions(server.base_url()), nullptr);
  ASSERT_NE(notifier, nullptr);

  notifier->Send({MakeAlert("Api", {}, {{"summary", "firing"}})});
  ASSERT_TRUE(WaitFor([&] { return AlertPosts(server).size() == 1; }, seconds(10)));
  // While the first post hangs, the alert changes twice and another one appears (Send returns
  // at once: it never waits for a post).
  notifier->Send({MakeAlert("Api", {}, {{"summary", "still firing"}})});
  notifier->Send({MakeAlert("Db", {}, {{"summary", "firing"}})});
  notifier->Send({MakeAlert("Api", {}, {{"summary", "resolved"}})});
  EXPECT_EQ(notifier->Status().at(0).queue_length, 2u);  // Api (in flight, newer state), Db
  gate->Open();
  ASSERT_TRUE(WaitForStatus(*notifier, Idle));
  EXPECT_THAT(PostedAlertNames(server), ElementsAre("Api/firing", "Db/firing", "Api/resolved"));
}

TEST(NotifierTest, DropsTheOldestAlertsWhenTheQueueIsFull) {
  FakeHttpServer server;
  auto gate = std::make_shared<Gate>();
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.Route(kAlertsPath, [gate, calls](mg_connection* conn, const FakeRequest&) {
    if (calls->fetch_add(1) == 0) gate->Wait();
    FakeHttpServer::WriteResponse(conn, 200, "");
  });
  GateOpener release(gate);
  prometheus::Registry registry;
  NotifierOptions options = FastOptions(server.base_url());
  options.queue_capacity = 5;
  auto notifier = MustCreate(options, &registry);
  ASSERT_NE(notifier, nullptr);
  const std::string am = Endpoint(server);

  notifier->Send({MakeAlert("A0")});
  ASSERT_TRUE(WaitFor([&] { return AlertPosts(server).size() == 1; }, seconds(10)));
  std::vector<Alert> burst;
  for (int i = 1; i <= 7; ++i) burst.push_back(MakeAlert("A" + std::to_string(i)));
  notifier->Send(burst);
  // A0 is being posted; of A1..A7 only the newest four fit beside it.
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_dropped_total", am), 3);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_queue_length", am), 5);
  EXPECT_EQ(notifier->Status().at(0).dropped, 3u);
  gate->Open();
  ASSERT_TRUE(WaitForStatus(*notifier, Idle));
  EXPECT_THAT(PostedAlertNames(server), ElementsAre("A0", "A4", "A5", "A6", "A7"));
}

TEST(NotifierTest, GivesUpOnAHangingAlertmanagerAfterTheTimeout) {
  FakeHttpServer server;
  auto gate = std::make_shared<Gate>();
  server.Route(kAlertsPath, [gate](mg_connection*, const FakeRequest&) { gate->Wait(); });
  GateOpener release(gate);
  prometheus::Registry registry;
  NotifierOptions options = FastOptions(server.base_url());
  options.alertmanagers[0].timeout = milliseconds(300);
  options.backoff = {seconds(60), seconds(60), 2.0};  // one attempt is all this test needs
  auto notifier = MustCreate(options, &registry);
  ASSERT_NE(notifier, nullptr);

  const auto start = std::chrono::steady_clock::now();
  notifier->Send({MakeAlert("A")});
  ASSERT_TRUE(WaitForStatus(
      *notifier, [](const AlertmanagerStatus& s) { return s.consecutive_failures == 1; }));
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(elapsed, 0.25);
  EXPECT_LT(elapsed, 3.0);
  const AlertmanagerStatus status = notifier->Status().at(0);
  EXPECT_THAT(status.last_error_message, HasSubstr("timeout"));
  EXPECT_EQ(status.queue_length, 1u);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_errors_total", Endpoint(server)), 1);
}

TEST(NotifierTest, StopDeliversWhatIsQueuedBeforeStopping) {
  FakeHttpServer server;
  server.Respond(kAlertsPath, 200, "");
  prometheus::Registry registry;
  auto notifier = MustCreate(FastOptions(server.base_url()), &registry);
  ASSERT_NE(notifier, nullptr);
  std::vector<Alert> alerts;
  for (int i = 0; i < 600; ++i) alerts.push_back(MakeAlert("A" + std::to_string(i)));
  notifier->Send(alerts);
  notifier->Stop(seconds(10));
  EXPECT_EQ(PostedAlertNames(server).size(), 600u);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_dropped_total", Endpoint(server)), 0);
  // After Stop nothing is sent any more, and what arrives is counted as dropped.
  notifier->Send({MakeAlert("Late")});
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_dropped_total", Endpoint(server)), 1);
  EXPECT_EQ(AlertPosts(server).size(), 3u);
}

TEST(NotifierTest, StopGivesUpAtTheDeadlineAndCountsWhatIsLost) {
  FakeHttpServer server;
  server.Respond(kAlertsPath, 503, "");
  prometheus::Registry registry;
  LogCapture logs;
  auto notifier = MustCreate(FastOptions(server.base_url()), &registry);
  ASSERT_NE(notifier, nullptr);
  notifier->Send({MakeAlert("A"), MakeAlert("B")});
  const auto start = std::chrono::steady_clock::now();
  notifier->Stop(milliseconds(200));
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(3));
  // It kept retrying until the deadline.
  EXPECT_GE(AlertPosts(server).size(), 2u);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_dropped_total", Endpoint(server)), 2);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_queue_length", Endpoint(server)), 0);
  EXPECT_THAT(logs.Text(), HasSubstr("still queued at shutdown were dropped"));
}

TEST(NotifierTest, EachAlertmanagerHasItsOwnQueue) {
  FakeHttpServer up;
  up.Respond(kAlertsPath, 200, "");
  FakeHttpServer down;
  down.Respond(kAlertsPath, 503, "");
  prometheus::Registry registry;
  NotifierOptions options = FastOptions(up.base_url());
  options.alertmanagers.push_back(options.alertmanagers[0]);
  options.alertmanagers[1].url = down.base_url();
  options.alertmanagers[1].name = "secondary";
  auto notifier = MustCreate(options, &registry);
  ASSERT_NE(notifier, nullptr);
  notifier->Send({MakeAlert("A")});
  ASSERT_TRUE(WaitFor(
      [&] {
        const auto s = notifier->Status();
        return Idle(s[0]) && s[1].consecutive_failures >= 2;
      },
      seconds(10)));
  const auto status = notifier->Status();
  EXPECT_EQ(status[0].alertmanager, Endpoint(up));
  EXPECT_EQ(status[1].alertmanager, "secondary");
  EXPECT_EQ(status[1].queue_length, 1u);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_queue_length", "secondary"), 1);
  EXPECT_EQ(MetricValue(registry, "smoke_notifications_alertmanagers", ""), 2);
}

TEST(NotifierTest, RejectsBadConfigurationsWithClearErrors) {
  struct Case {
    std::string name;
    std::function<void(NotifierOptions&)> change;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"url with credentials",
       [](NotifierOptions& o) { o.alertmanagers[0].url = "http://u:hunter2@am:9093"; },
       "must not contain credentials"},
      {"not http", [](NotifierOptions& o) { o.alertmanagers[0].url = "am:9093"; },
       "must start with http:// or https://"},
      {"both auths",
       [](NotifierOptions& o) {
         o.alertmanagers[0].basic_auth_username = "u";
         o.alertmanagers[0].basic_auth_password = core::Secret::Resolved("hunter2", "env:PW");
         o.alertmanagers[0].bearer_token = core::Secret::Resolved("hunter2", "env:TOKEN");
       },
       "basic auth and bearer token are mutually exclusive"},
      {"unreadable secret",
       [](NotifierOptions& o) {
         o.alertmanagers[0].bearer_token =
             core::Secret::Unresolved("file:/run/secrets/am", "No such file or directory");
       },
       "bearer token <secret from file:/run/secrets/am> could not be read: No such file"},
      {"zero timeout", [](NotifierOptions& o) { o.alertmanagers[0].timeout = {}; },
       "timeout must be positive"},
      {"zero capacity", [](NotifierOptions& o) { o.queue_capacity = 0; },
       "queue capacity must be at least 1"},
      {"zero batch", [](NotifierOptions& o) { o.max_batch = 0; }, "max batch must be at least 1"},
      {"duplicate", [](NotifierOptions& o) { o.alertmanagers.push_back(o.alertmanagers[0]); },
       "\"http://127.0.0.1:9093/api/v2/alerts\" is configured twice"},
  };
  for (const Case& c : cases) {
    NotifierOptions options = FastOptions("http://127.0.0.1:9093");
    c.change(options);
    core::Result<std::unique_ptr<Notifier>> created = Notifier::Create(options, nullptr);
    ASSERT_FALSE(created.ok()) << c.name;
    EXPECT_THAT(created.status().message(), HasSubstr(c.error)) << c.name;
    EXPECT_THAT(created.status().message(), Not(HasSubstr("hunter2"))) << c.name;
  }
}

TEST(NotifierTest, NoAlertmanagersIsValidAndSendIsANoOp) {
  NotifierOptions options;
  auto notifier = MustCreate(options, nullptr);
  ASSERT_NE(notifier, nullptr);
  notifier->Send({MakeAlert("A")});
  EXPECT_TRUE(notifier->Status().empty());
}

}  // namespace
}  // namespace smoke::notifier
