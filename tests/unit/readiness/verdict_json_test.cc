// The verdict's JSON: the exact fields deploy scripts, Argo Rollouts and Flagger read.

#include "exporter/readiness/verdict_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace smoke::readiness {
namespace {

TEST(VerdictJsonTest, BlockedVerdictWithWaiver) {
  Verdict v;
  v.ready = false;
  v.evaluated_at_ms = 1'761'365'280'243;
  v.decision_id = "01K8DQ9Z1K0000000000000000";
  v.scope = {{"component", "api"}};
  v.evaluations = 12;
  v.last_evaluation_ms = 1'761'365'275'000;
  v.waivers_enabled = true;
  Violation x;
  x.alert = "ErrorRateCritical";
  x.reason = "error_rate_critical";
  x.component = "api";
  x.probe = "notifications";
  x.severity = "critical";
  x.since_ms = 1'761'364'920'000;
  x.value = 100;
  x.summary = "GET /notifications/recent fails";
  x.evidence = {{"err_rate_1m", 100}};
  x.runbook = "https://runbooks/error-rate";
  v.violations.push_back(x);
  Waiver w;
  w.violation = x;
  w.violation.alert = "ProbeFailed";
  w.violation.value = std::nan("");
  w.violation.since_ms = 0;
  w.silence_id = "7f3c";
  w.created_by = "alice";
  w.comment = "fix in PR 123";
  w.ends_at_ms = 1'761'368'880'000;
  v.waived.push_back(w);

  const nlohmann::json j = VerdictToJson(v);
  EXPECT_EQ(j, nlohmann::json::parse(R"({
    "ready": false,
    "decision_id": "01K8DQ9Z1K0000000000000000",
    "evaluated_at": "2025-10-25T04:08:00.243Z",
    "scope": {"component": "api"},
    "evaluations": 12,
    "last_evaluation": "2025-10-25T04:07:55Z",
    "violations": [{
      "alert": "ErrorRateCritical", "reason": "error_rate_critical", "component": "api",
      "probe": "notifications", "severity": "critical", "since": "2025-10-25T04:02:00Z",
      "value": 100.0, "summary": "GET /notifications/recent fails",
      "evidence": {"err_rate_1m": 100}, "runbook": "https://runbooks/error-rate"}],
    "waived": [{
      "alert": "ProbeFailed", "reason": "error_rate_critical", "component": "api",
      "probe": "notifications", "severity": "critical", "since": null, "value": null,
      "summary": "GET /notifications/recent fails", "evidence": {"err_rate_1m": 100},
      "runbook": "https://runbooks/error-rate",
      "silence_id": "7f3c", "created_by": "alice", "comment": "fix in PR 123",
      "ends_at": "2025-10-25T05:08:00Z"}],
    "waivers": {"enabled": true, "available": true},
    "waivers_unavailable": false
  })"))
      << j.dump(2);
}

TEST(VerdictJsonTest, WaiversUnavailableSaysWhy) {
  Verdict v;
  v.ready = true;
  v.waivers_enabled = true;
  v.waivers_unavailable = true;
  v.waivers_error = "GET http://am/api/v2/silences: connection_refused";
  const nlohmann::json j = VerdictToJson(v);
  EXPECT_EQ(j["ready"], true);
  EXPECT_EQ(j["violations"], nlohmann::json::array());
  EXPECT_EQ(j["waived"], nlohmann::json::array());
  EXPECT_EQ(j["waivers_unavailable"], true);
  EXPECT_EQ(j["waivers"]["available"], false);
  EXPECT_EQ(j["waivers"]["error"], "GET http://am/api/v2/silences: connection_refused");
}

}  // namespace
}  // namespace smoke::readiness
