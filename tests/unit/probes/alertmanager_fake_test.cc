// The alertmanager and alert_pipeline probes against in-process servers for the faults a real
// Alertmanager will not produce on demand: a cluster still settling, too few peers, an alert
// accepted but never stored, a rejected alert, a heartbeat routed to the wrong receiver. The
// healthy and the stopped cases run against a real Alertmanager in
// tests/integration/monitoring_alertmanager_test.cc.

#include <civetweb.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/fake_http_server.h"
#include "tests/unit/probes/monitoring_test_util.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using smoke::testing::EverythingShown;
using smoke::testing::FakeHttpServer;
using smoke::testing::FakeRequest;
using namespace testutil;  // NOLINT: test builders
using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::pair<std::string, std::string>> kJson = {
    {"Content-Type", "application/json"}};

// /api/v2/status of Alertmanager 0.25 (abridged); config.original holds receiver secrets.
std::string Status(const std::string& cluster_status, int peers) {
  nlohmann::json doc = {
      {"cluster",
       {{"name", "01HABC"}, {"status", cluster_status}, {"peers", nlohmann::json::array()}}},
      {"config",
       {{"original",
         "receivers:\n- name: pager\n  pagerduty_configs:\n  - routing_key: pd-s3cr3t-key\n"}}},
      {"uptime", "2025-10-17T18:00:00.000Z"},
      {"versionInfo", {{"version", "0.25.0"}, {"branch", "debian/sid"}}},
  };
  for (int i = 0; i < peers; ++i) {
    doc["cluster"]["peers"].push_back({{"address", "10.0.0." + std::to_string(i) + ":9094"},
                                       {"name", "peer" + std::to_string(i)}});
  }
  return doc.dump();
}

void ServeHealthy(FakeHttpServer& am) {
  am.Respond("/-/healthy", 200, "OK");
  am.Respond("/-/ready", 200, "OK");
}

TEST(AlertmanagerFakeTest, SingleNodeWithClusteringDisabledPasses) {
  FakeHttpServer am;
  ServeHealthy(am);
  am.Respond("/api/v2/status", 200, Status("disabled", 0), kJson);
  const core::ProbeResult r = RunProbe(MonitoringSpec("alertmanager", am.base_url()));
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(Detail(r, "version"), "0.25.0");
  EXPECT_EQ(Measured(r, "smoke_alertmanager_cluster_status", {{"status", "disabled"}}), 1);
  EXPECT_EQ(Measured(r, "smoke_alertmanager_cluster_peers"), 0);
  // The running config carries credentials: nothing of it is kept.
  EXPECT_THAT(EverythingShown(r), Not(HasSubstr("pd-s3cr3t-key")));
  EXPECT_EQ(r.evidence.body_snippet, "");
}

TEST(AlertmanagerFakeTest, SettlingClusterFailsWithClusterDegraded) {
  FakeHttpServer am;
  ServeHealthy(am);
  am.Respond("/api/v2/status", 200, Status("settling", 2), kJson);
  const core::ProbeResult r = RunProbe(MonitoringSpec("alertmanager", am.base_url()));
  EXPECT_EQ(r.reason, Reason::kClusterDegraded) << Describe(r);
  EXPECT_EQ(r.message,
            "assertion cluster failed: expected cluster status ready or disabled, got status "
            "settling, 2 peers");
}

TEST(AlertmanagerFakeTest, TooFewPeersFailsAndWarnSeverityOnlyDegrades) {
  FakeHttpServer am;
  ServeHealthy(am);
  am.Respond("/api/v2/status", 200, Status("ready", 2), kJson);
  config::ProbeSpec spec = MonitoringSpec("alertmanager", am.base_url());
  spec.alertmanager.min_peers = 3;
  core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.message,
            "assertion cluster failed: expected cluster status ready with at least 3 peers, got "
            "status ready, 2 peers");
  spec.alertmanager.cluster_severity = core::Severity::kWarn;
  r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kDegraded);
  EXPECT_EQ(r.reason, Reason::kClusterDegraded);
}

TEST(AlertmanagerFakeTest, NotReadyAndUnhealthyHaveTheirOwnReasons) {
  FakeHttpServer am;
  am.Respond("/-/healthy", 200, "OK");
  am.Respond("/-/ready", 503, "Service Unavailable");
  am.Respond("/api/v2/status", 200, Status("ready", 1), kJson);
  core::ProbeResult r = RunProbe(MonitoringSpec("alertmanager", am.base_url()));
  EXPECT_EQ(r.reason, Reason::kNotReady) << Describe(r);
  EXPECT_EQ(r.message,
            "assertion ready failed: expected GET /-/ready answers 200, got 503 \"Service "
            "Unavailable\"");

  FakeHttpServer sick;
  sick.Respond("/-/healthy", 500, "");
  sick.Respond("/-/ready", 200, "OK");
  sick.Respond("/api/v2/status", 200, Status("ready", 1), kJson);
  r = RunProbe(MonitoringSpec("alertmanager", sick.base_url()));
  EXPECT_EQ(r.reason, Reason::kUnhealthy);
  EXPECT_EQ(r.message, "assertion healthy failed: expected GET /-/healthy answers 200, got 500");
}

// An Alertmanager-like server for the pipeline: stores posted alerts unless told to drop them,
// and answers GET /api/v2/alerts with what it stored, routed to `receiver`. Its state is shared
// with the route, which the server may still be running when a test's store goes out of scope
// (the client has its answer, the handler is still returning).
class FakeAlertStore {
 public:
  explicit FakeAlertStore(FakeHttpServer& server, std::string receiver = "heartbeat")
      : state_(std::make_shared<State>()) {
    state_->receiver = std::move(receiver);
    server.Route("/api/v2/alerts", [state = state_](mg_connection* conn, const FakeRequest& req) {
      std::lock_guard<std::mutex> lock(state->mu);
      if (req.method == "POST") {
        if (!state->reject.empty()) {
          FakeHttpServer::WriteResponse(conn, 400, state->reject, kJson);
          return;
        }
        if (!state->drop) {
          for (auto& a : nlohmann::json::parse(req.body)) {
            a["receivers"] = {{{"name", state->receiver}}};
            a["status"] = {{"state", "active"}};
            state->stored.push_back(a);
          }
        }
        FakeHttpServer::WriteResponse(conn, 200, "", kJson);
        return;
      }
      state->queries.push_back(req.query);
      FakeHttpServer::WriteResponse(conn, 200, state->stored.dump(), kJson);
    });
  }
  void Drop() {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->drop = true;
  }
  void Reject(std::string body) {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->reject = std::move(body);
  }
  nlohmann::json stored() {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->stored;
  }
  std::vector<std::string> queries() {
    std::lock_guard<std::mutex> lock(state_->mu);
    return state_->queries;
  }

 private:
  struct State {
    std::mutex mu;
    std::string receiver;
    bool drop = false;
    std::string reject;
    nlohmann::json stored = nlohmann::json::array();
    std::vector<std::string> queries;
  };
  std::shared_ptr<State> state_;
};

TEST(AlertPipelineFakeTest, PostsAHeartbeatWithANonceAndReadsItBack) {
  FakeHttpServer am;
  FakeAlertStore store(am);
  config::ProbeSpec spec = MonitoringSpec("alert_pipeline", am.base_url());
  spec.name = "heartbeat";
  spec.alert_pipeline.labels = {{"severity", "none"}};
  spec.alert_pipeline.ends_after = std::chrono::minutes(2);
  spec.alert_pipeline.expect_receiver = "heartbeat";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  ASSERT_EQ(store.stored().size(), 1u);
  const nlohmann::json alert = store.stored()[0];
  EXPECT_EQ(alert["labels"]["alertname"], "SmokeExporterHeartbeat");
  EXPECT_EQ(alert["labels"]["probe"], "heartbeat");
  EXPECT_EQ(alert["labels"]["severity"], "none");
  const std::string nonce = alert["labels"]["nonce"];
  EXPECT_EQ(nonce.size(), 16u);
  EXPECT_EQ(Detail(r, "nonce"), nonce);
  // endsAt is ends_after after startsAt: the heartbeat resolves by itself.
  EXPECT_EQ(alert["startsAt"].get<std::string>().size(), 24u);  // 2025-10-17T18:48:30.123Z
  EXPECT_NE(alert["startsAt"], alert["endsAt"]);
  // Read back by its labels, matchers percent-encoded.
  ASSERT_FALSE(store.queries().empty());
  EXPECT_EQ(store.queries()[0],
            "filter=alertname%3D%22SmokeExporterHeartbeat%22&filter=nonce%3D%22" + nonce + "%22");
  EXPECT_TRUE(FindAssertion(r, "accepted")->passed);
  EXPECT_TRUE(FindAssertion(r, "visible")->passed);
  EXPECT_TRUE(FindAssertion(r, "receiver")->passed);
  EXPECT_TRUE(Measured(r, "smoke_alert_pipeline_visible_seconds").has_value());
  EXPECT_TRUE(PhaseSeconds(r, "post").has_value());
  EXPECT_TRUE(PhaseSeconds(r, "read_back").has_value());
}

TEST(AlertPipelineFakeTest, EachRunPostsANewNonce) {
  FakeHttpServer am;
  FakeAlertStore store(am);
  ProbePtr probe = MustCreate(MonitoringSpec("alert_pipeline", am.base_url()));
  ASSERT_NE(probe, nullptr);
  EXPECT_TRUE(probe->Run(WithTimeout(std::chrono::seconds(5))).passed());
  EXPECT_TRUE(probe->Run(WithTimeout(std::chrono::seconds(5))).passed());
  ASSERT_EQ(store.stored().size(), 2u);
  EXPECT_NE(store.stored()[0]["labels"]["nonce"], store.stored()[1]["labels"]["nonce"]);
}

TEST(AlertPipelineFakeTest, AcceptedButNeverStoredFailsWithAlertMissingWithinTheTimeout) {
  FakeHttpServer am;
  FakeAlertStore store(am);
  store.Drop();
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r =
      RunProbe(MonitoringSpec("alert_pipeline", am.base_url()), std::chrono::milliseconds(800));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kAlertMissing) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("assertion visible failed: expected the posted alert is "
                                   "returned by GET /api/v2/alerts, got not returned after "));
  EXPECT_GE(store.queries().size(), 2u);  // it kept reading until the deadline came near
}

TEST(AlertPipelineFakeTest, RejectedAlertFailsWithAlertmanagersError) {
  FakeHttpServer am;
  FakeAlertStore store(am);
  store.Reject(R"({"code":400,"message":"start time must be before end time"})");
  const core::ProbeResult r = RunProbe(MonitoringSpec("alert_pipeline", am.base_url()));
  EXPECT_EQ(r.reason, Reason::kAlertRejected) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("got 400 \"{\"code\":400,\"message\":\"start time must be "
                                   "before end time\"}\""));
  EXPECT_EQ(FindAssertion(r, "visible"), nullptr);
}

TEST(AlertPipelineFakeTest, HeartbeatRoutedElsewhereFailsWithAlertMisrouted) {
  FakeHttpServer am;
  FakeAlertStore store(am, "pagerduty-critical");
  config::ProbeSpec spec = MonitoringSpec("alert_pipeline", am.base_url());
  spec.alert_pipeline.expect_receiver = "heartbeat";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.reason, Reason::kAlertMisrouted) << Describe(r);
  EXPECT_EQ(r.message,
            "assertion receiver failed: expected routed to receiver heartbeat, got routed to "
            "pagerduty-critical");
}

}  // namespace
}  // namespace smoke::probes
