// The alertmanager and alert_pipeline probes against a real Alertmanager 0.25 started by
// scripts/alertmanager.sh (one receiver, "blackhole", that notifies nobody; clustering
// disabled): healthy, and stopped (seed 003's "Alertmanager unhealthy" caught by behaviour).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "exporter/config/config.h"
#include "exporter/probes/probe.h"
#include "tests/integration/monitoring_service_script.h"
#include "tests/support/http_client.h"
#include "tests/support/probe_result_inspect.h"

namespace smoke::probes {
namespace {

using ::smoke::testing::Describe;
using ::smoke::testing::Detail;
using ::smoke::testing::FindAssertion;
using ::smoke::testing::Measured;
using ::smoke::testing::ScriptService;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kScript = std::string(SMOKE_SOURCE_DIR) + "/scripts/alertmanager.sh";

config::ProbeSpec Spec(const std::string& kind, const std::string& url) {
  config::ProbeSpec spec;
  spec.name = kind;
  spec.kind = kind;
  spec.component = "monitoring";
  spec.target = url;
  spec.timeout = std::chrono::seconds(5);
  return spec;
}

core::ProbeResult RunOnce(const config::ProbeSpec& spec) {
  core::Result<ProbePtr> probe = MakeProbe(spec);
  EXPECT_TRUE(probe.ok()) << probe.status().message();
  if (!probe.ok()) return {};
  RunContext ctx;
  ctx.deadline = ctx.clock->Now() + std::chrono::seconds(5);
  return (*probe)->Run(ctx);
}

class MonitoringAlertmanagerTest : public ::testing::Test {
 protected:
  ScriptService alertmanager_{kScript};
};

TEST_F(MonitoringAlertmanagerTest, HealthyAlertmanagerPassesWithClusteringDisabled) {
  const core::ProbeResult r = RunOnce(Spec("alertmanager", alertmanager_.url()));
  EXPECT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  EXPECT_EQ(Detail(r, "cluster_status"), "disabled");
  EXPECT_EQ(Detail(r, "version"), "0.25.0");
  EXPECT_EQ(Measured(r, "smoke_alertmanager_cluster_status", {{"status", "disabled"}}), 1);
  EXPECT_EQ(r.evidence.body_snippet, "");  // the status document carries the config
}

TEST_F(MonitoringAlertmanagerTest, MinPeersOnASingleNodeFailsWithClusterDegraded) {
  config::ProbeSpec spec = Spec("alertmanager", alertmanager_.url());
  spec.alertmanager.min_peers = 2;
  const core::ProbeResult r = RunOnce(spec);
  EXPECT_EQ(r.reason, core::Reason::kClusterDegraded) << Describe(r);
  EXPECT_EQ(FindAssertion(r, "cluster")->actual, "status disabled, 0 peers");
}

TEST_F(MonitoringAlertmanagerTest, HeartbeatIsStoredRoutedAndReadBack) {
  config::ProbeSpec spec = Spec("alert_pipeline", alertmanager_.url());
  spec.name = "heartbeat";
  spec.alert_pipeline.labels = {{"severity", "none"}};
  spec.alert_pipeline.ends_after = std::chrono::minutes(2);
  spec.alert_pipeline.expect_receiver = "blackhole";
  const core::ProbeResult r = RunOnce(spec);
  EXPECT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  EXPECT_TRUE(FindAssertion(r, "visible")->passed);
  EXPECT_TRUE(FindAssertion(r, "receiver")->passed);
  EXPECT_EQ(Detail(r, "receivers"), "blackhole");
  const std::optional<double> visible = Measured(r, "smoke_alert_pipeline_visible_seconds");
  ASSERT_TRUE(visible.has_value());
  EXPECT_LT(*visible, 5.0);

  // Alertmanager itself lists it, with our labels and the nonce of this run.
  const std::string nonce = Detail(r, "nonce");
  const smoke::testing::HttpReply listed = smoke::testing::HttpGet(
      alertmanager_.url() + "/api/v2/alerts?filter=nonce%3D%22" + nonce + "%22");
  EXPECT_EQ(listed.status, 200);
  EXPECT_THAT(listed.body, HasSubstr("\"alertname\":\"SmokeExporterHeartbeat\""));
  EXPECT_THAT(listed.body, HasSubstr("\"probe\":\"heartbeat\""));
}

TEST_F(MonitoringAlertmanagerTest, WrongExpectedReceiverFailsWithAlertMisrouted) {
  config::ProbeSpec spec = Spec("alert_pipeline", alertmanager_.url());
  spec.alert_pipeline.expect_receiver = "heartbeat-deadmans-switch";
  const core::ProbeResult r = RunOnce(spec);
  EXPECT_EQ(r.reason, core::Reason::kAlertMisrouted) << Describe(r);
  EXPECT_EQ(FindAssertion(r, "receiver")->actual, "routed to blackhole");
}

TEST_F(MonitoringAlertmanagerTest, StoppedAlertmanagerFailsBothProbesWithConnectionRefused) {
  alertmanager_.Halt();
  for (const char* kind : {"alert_pipeline", "alertmanager"}) {
    const core::ProbeResult r = RunOnce(Spec(kind, alertmanager_.url()));
    EXPECT_EQ(r.outcome, core::Outcome::kFailed) << kind;
    EXPECT_EQ(r.reason, core::Reason::kConnectionRefused) << kind << ": " << Describe(r);
  }
  const core::ProbeResult pipeline = RunOnce(Spec("alert_pipeline", alertmanager_.url()));
  EXPECT_THAT(pipeline.message, StartsWith("POST /api/v2/alerts: "));
}

}  // namespace
}  // namespace smoke::probes
