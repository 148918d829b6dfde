// What the verdict is decided from, copied out of the engine, the result store and the notifier:
// alert states and labels (with external labels, as Alertmanager sees them), rule errors, each
// probe's outcome and last failure, each Alertmanager's reachability.

#include "exporter/server/readiness_inputs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace smoke::server {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(ReadinessInputsTest, AlertsCarryExternalLabelsAndRuleErrorsAreListed) {
  ruler::GroupStatus g;
  g.name = "api";
  ruler::RuleStatus firing;
  firing.name = "ProbeFailed";
  firing.alerting = true;
  firing.labels = {{"severity", "critical"}};
  ruler::Alert a;
  a.state = ruler::AlertState::kFiring;
  a.labels = promql::Labels({{"alertname", "ProbeFailed"}, {"probe", "db"}, {"env", "own"}});
  a.annotations = promql::Labels({{"summary", "db down"}});
  a.active_at_ms = 1000;
  a.value = 0;
  firing.alerts = {a};
  ruler::RuleStatus broken;
  broken.name = "job:errors:rate5m";
  broken.health = ruler::RuleHealth::kErr;
  broken.last_error = "many-to-many matching not allowed";
  broken.last_eval_ms = 2000;
  g.rules = {firing, broken};

  readiness::Inputs in;
  AddRuleInputs({g}, {{"env", "staging"}, {"cluster", "eu1"}}, in);
  ASSERT_EQ(in.alerts.size(), 1u);
  EXPECT_EQ(in.alerts[0].state, "firing");
  EXPECT_EQ(in.alerts[0].active_at_ms, 1000);
  // The alert's own value wins, as in the notifier; missing ones are added.
  EXPECT_THAT(in.alerts[0].labels,
              ElementsAre(Pair("alertname", "ProbeFailed"), Pair("cluster", "eu1"),
                          Pair("env", "own"), Pair("probe", "db")));
  EXPECT_THAT(in.alerts[0].annotations, ElementsAre(Pair("summary", "db down")));
  ASSERT_EQ(in.engine.alerting_rules.size(), 1u);
  EXPECT_EQ(in.engine.alerting_rules[0].name, "ProbeFailed");
  EXPECT_THAT(in.engine.alerting_rules[0].labels, ElementsAre(Pair("severity", "critical")));
  ASSERT_EQ(in.engine.rule_errors.size(), 1u);
  EXPECT_EQ(in.engine.rule_errors[0].group, "api");
  EXPECT_EQ(in.engine.rule_errors[0].rule, "job:errors:rate5m");
  EXPECT_EQ(in.engine.rule_errors[0].error, "many-to-many matching not allowed");
}

TEST(ReadinessInputsTest, GroupsSayHowLongTheEngineHasWatchedTheirAlertsSinceStart) {
  ruler::GroupStatus fresh;
  fresh.name = "db";
  fresh.file = "rules/db.yml";
  fresh.interval = std::chrono::minutes(1);
  ruler::RuleStatus rule;
  rule.name = "DatabaseDown";
  rule.alerting = true;
  rule.for_duration = std::chrono::seconds(30);
  fresh.rules = {rule};

  ruler::GroupStatus running;
  running.name = "api";
  running.file = "rules/api.yml";
  running.interval = std::chrono::seconds(10);
  running.iterations = 4;
  running.iterations_missed = 1;  // a slot skipped while busy still passed
  ruler::Alert pending;
  pending.state = ruler::AlertState::kPending;
  pending.labels = promql::Labels({{"alertname", "ApiDown"}});
  pending.active_at_ms = 1000;
  rule.name = "ApiDown";
  rule.alerts = {pending};
  running.rules = {rule};

  readiness::Inputs in;
  AddRuleInputs({fresh, running}, {}, in);
  ASSERT_EQ(in.engine.groups.size(), 2u);
  EXPECT_EQ(in.engine.groups[0].name, "rules/db.yml;db");
  EXPECT_EQ(in.engine.groups[0].evaluations, 0u);
  EXPECT_EQ(in.engine.groups[1].name, "rules/api.yml;api");
  EXPECT_EQ(in.engine.groups[1].evaluations, 4u);
  ASSERT_EQ(in.engine.alerting_rules.size(), 2u);
  EXPECT_EQ(in.engine.alerting_rules[0].group, "rules/db.yml;db");
  EXPECT_EQ(in.engine.alerting_rules[1].group, "rules/api.yml;api");
  ASSERT_EQ(in.alerts.size(), 1u);
  EXPECT_EQ(in.alerts[0].state, "pending");
  EXPECT_EQ(in.alerts[0].for_ms, 30'000);
  // Five slots since start, the first one included: 40 s from the first to the latest.
  EXPECT_EQ(in.alerts[0].evaluated_for_ms, 40'000);
}

results::ProbeSnapshot Snapshot(std::optional<core::Outcome> outcome) {
  results::ProbeSnapshot s;
  s.identity = {"db_core", "database", "postgres", "127.0.0.1:5432", {{"env", "staging"}}};
  if (outcome) {
    results::HistoryEntry e;
    e.sequence = 3;
    e.result.outcome = *outcome;
    e.result.reason = *outcome == core::Outcome::kSkipped ? core::Reason::kCredentialsMissing
                                                          : core::Reason::kAuthFailed;
    e.result.message = "password authentication failed for user \"intel_user\"";
    e.result.started = core::TimePoint(std::chrono::seconds(1'700'000'000));
    e.result.evidence.resolved_address = "127.0.0.1:5432";
    core::AssertionResult connect, auth;
    connect.name = "connect";
    connect.passed = true;
    auth.name = "auth";
    auth.passed = false;
    e.result.assertions = {connect, auth};
    s.last = e;
    s.last_failure = e;
    s.state_since = core::TimePoint(std::chrono::seconds(1'699'999'000));
  }
  return s;
}

TEST(ReadinessInputsTest, ProbeStateAndLastFailure) {
  readiness::ProbeInput p = ToProbeInput(Snapshot(core::Outcome::kFailed));
  EXPECT_EQ(p.name, "db_core");
  EXPECT_EQ(p.component, "database");
  EXPECT_THAT(p.labels, ElementsAre(Pair("component", "database"), Pair("env", "staging"),
                                    Pair("probe", "db_core"), Pair("target", "127.0.0.1:5432")));
  EXPECT_EQ(p.outcome, "failed");
  EXPECT_EQ(p.reason, "auth_failed");
  EXPECT_EQ(p.last_run_ms, 1'700'000'000'000);
  EXPECT_EQ(p.state_since_ms, 1'699'999'000'000);
  EXPECT_EQ(p.evidence["reason"], "auth_failed");
  EXPECT_EQ(p.evidence["evidence"]["resolved_address"], "127.0.0.1:5432");
  // Only what failed: a deployer does not need the passing checks.
  ASSERT_EQ(p.evidence["assertions"].size(), 1u);
  EXPECT_EQ(p.evidence["assertions"][0]["name"], "auth");
  EXPECT_FALSE(p.evidence.contains("phases"));

  EXPECT_EQ(ToProbeInput(Snapshot(core::Outcome::kSkipped)).outcome, "skipped");
  readiness::ProbeInput never = ToProbeInput(Snapshot(std::nullopt));
  EXPECT_EQ(never.outcome, "pending") << "a probe that never ran is no data, not a pass";
  EXPECT_TRUE(never.evidence.is_null());
}

TEST(ReadinessInputsTest, AlertmanagerWithFailuresSinceItsLastSuccessIsUnreachable) {
  notifier::AlertmanagerStatus s;
  s.alertmanager = "http://127.0.0.1:9093/api/v2/alerts";
  EXPECT_TRUE(ToAlertmanagerInput(s).reachable);
  s.consecutive_failures = 3;
  s.last_error_message = "connection_refused: Failed to connect";
  s.last_success = core::TimePoint(std::chrono::seconds(1'700'000'000));
  readiness::AlertmanagerInput a = ToAlertmanagerInput(s);
  EXPECT_FALSE(a.reachable);
  EXPECT_EQ(a.consecutive_failures, 3);
  EXPECT_EQ(a.last_error, "connection_refused: Failed to connect");
  EXPECT_EQ(a.last_success_ms, 1'700'000'000'000);
}

}  // namespace
}  // namespace smoke::server
