// The release verdict, table-driven: every fail-closed reason, alert blocking by block_on,
// scoping by component/probe/any label, and waivers by Alertmanager silences. Each case starts
// from a healthy exporter and changes one thing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "exporter/readiness/verdict.h"

namespace smoke::readiness {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr int64_t kNow = 1'761'365'280'000;  // 2025-10-25T04:08:00Z

ProbeInput Probe(const std::string& name, const std::string& component,
                 const std::string& outcome) {
  ProbeInput p;
  p.name = name;
  p.component = component;
  p.labels = {{"probe", name}, {"component", component}, {"target", "http://127.0.0.1/" + name}};
  p.outcome = outcome;
  p.reason = outcome == "ok" ? "none" : "status";
  p.message = outcome == "ok" ? "" : "HTTP 500 from GET /notifications/recent";
  p.last_run_ms = kNow - 5'000;
  p.state_since_ms = kNow - 360'000;
  if (outcome == "failed") {
    p.evidence = {{"reason", "status"}, {"evidence", {{"status_code", 500}}}};
  }
  return p;
}

AlertInput Alert(LabelMap labels, const std::string& state = "firing") {
  AlertInput a;
  a.labels = std::move(labels);
  a.state = state;
  a.active_at_ms = kNow - 360'000;
  a.value = 100;
  return a;
}

Silence SilenceOn(const std::string& id, std::vector<SilenceMatcher> matchers) {
  Silence s;
  s.id = id;
  s.created_by = "alice";
  s.comment = "known issue, fix in PR 123";
  s.state = "active";
  s.starts_at_ms = kNow - 60'000;
  s.ends_at_ms = kNow + 3'600'000;
  s.matchers = std::move(matchers);
  return s;
}

// A healthy exporter: enough fresh evaluations, every probe passing, no alert firing.
Inputs Healthy() {
  Inputs in;
  in.now_ms = kNow;
  in.engine.iterations = 10;
  in.engine.last_iteration_ms = kNow - 10'000;
  in.engine.alerting_rules = {
      {"ProbeFailed", {{"severity", "critical"}}},
      {"ErrorRateCritical",
       {{"severity", "critical"}, {"reason", "error_rate_critical"}, {"team", "payments"}}}};
  in.probes = {Probe("api_health", "api", "ok"), Probe("notifications", "api", "ok"),
               Probe("db_core", "database", "ok")};
  in.alertmanagers = {{"http://127.0.0.1:9093/api/v2/alerts", true, "", kNow - 1'000, 0}};
  in.silences_available = true;
  return in;
}

const LabelMap kNotificationsDown = {{"alertname", "ErrorRateCritical"},
                                     {"reason", "error_rate_critical"},
                                     {"probe", "notifications"},
                                     {"component", "api"},
                                     {"severity", "critical"}};
const LabelMap kDbDown = {{"alertname", "ProbeFailed"},
                          {"probe", "db_core"},
                          {"component", "database"},
                          {"severity", "critical"}};

struct DecideCase {
  const char* name;
  std::function<void(Policy&, Inputs&)> change;
  Scope scope;
  bool ready;
  // (reason, alert) of each violation, in order.
  std::vector<std::pair<std::string, std::string>> violations;
  std::vector<std::string> waived_silences;
  bool waivers_unavailable = false;
};

class DecideTest : public ::testing::TestWithParam<DecideCase> {};

TEST_P(DecideTest, GivesTheExpectedVerdict) {
  const DecideCase& c = GetParam();
  Policy policy;
  Inputs in = Healthy();
  c.change(policy, in);
  const Verdict v = Decide(policy, in, c.scope);
  std::vector<std::pair<std::string, std::string>> got;
  for (const Violation& x : v.violations) got.emplace_back(x.reason, x.alert);
  std::vector<std::string> waived;
  for (const Waiver& w : v.waived) waived.push_back(w.silence_id);
  EXPECT_EQ(v.ready, c.ready);
  EXPECT_EQ(got, c.violations);
  EXPECT_EQ(waived, c.waived_silences);
  EXPECT_EQ(v.waivers_unavailable, c.waivers_unavailable);
  EXPECT_EQ(v.evaluated_at_ms, kNow);
  EXPECT_EQ(v.scope, c.scope);
}

void Nothing(Policy&, Inputs&) {}

INSTANTIATE_TEST_SUITE_P(Reasons, DecideTest,
                         ::
                             testing::
                                 Values(
                                     DecideCase{"healthy", Nothing, {}, true, {}, {}},
                                     // --- no_data
                                     DecideCase{
                                         "no_data_before_min_evaluations",
                                         [](Policy&, Inputs& in) { in.engine.iterations = 1; },
                                         {},
                                         false,
                                         {{"no_data", ""}},
                                         {}},
                                     DecideCase{"no_data_never_evaluated",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.iterations = 0;
                                                  in.engine.last_iteration_ms = 0;
                                                },
                                                {},
                                                false,
                                                {{"no_data", ""}},
                                                {}},
                                     DecideCase{
                                         "ready_at_exactly_min_evaluations",
                                         [](Policy&, Inputs& in) { in.engine.iterations = 2; },
                                         {},
                                         true,
                                         {},
                                         {}},
                                     DecideCase{"configured_min_evaluations",
                                                [](Policy& p, Inputs& in) {
                                                  p.min_evaluations = 5;
                                                  in.engine.iterations = 4;
                                                },
                                                {},
                                                false,
                                                {{"no_data", ""}},
                                                {}},
                                     DecideCase{"no_data_for_a_probe_that_never_ran",
                                                [](Policy&, Inputs& in) {
                                                  in.probes[2].outcome = "pending";
                                                },
                                                {},
                                                false,
                                                {{"no_data", "db_core"}},
                                                {}},
                                     DecideCase{"probe_never_ran_outside_scope",
                                                [](Policy&, Inputs& in) {
                                                  in.probes[2].outcome = "pending";
                                                },
                                                {{"component", "api"}},
                                                true,
                                                {},
                                                {}},
                                     // --- stale_data
                                     DecideCase{"stale_data",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.last_iteration_ms = kNow - 45'001;
                                                },
                                                {},
                                                false,
                                                {{"stale_data", ""}},
                                                {}},
                                     DecideCase{"fresh_at_exactly_stale_after",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.last_iteration_ms = kNow - 45'000;
                                                },
                                                {},
                                                true,
                                                {},
                                                {}},
                                     DecideCase{"stale_data_applies_to_every_scope",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.last_iteration_ms = kNow - 600'000;
                                                },
                                                {{"component", "database"}},
                                                false,
                                                {{"stale_data", ""}},
                                                {}},
                                     // --- rule_evaluation_failed: one violation per rule, whatever
                                     // the scope
                                     DecideCase{"rule_evaluation_failed",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.rule_errors = {
                                                      {"api", "ErrorRateCritical", "many-to-many",
                                                       kNow},
                                                      {"db", "ProbeFailed", "bad data", kNow}};
                                                },
                                                {{"component", "database"}},
                                                false,
                                                {{"rule_evaluation_failed", "ErrorRateCritical"},
                                                 {"rule_evaluation_failed", "ProbeFailed"}},
                                                {}},
                                     // --- probe_skipped
                                     DecideCase{"probe_skipped",
                                                [](Policy&, Inputs& in) {
                                                  in.probes[2].outcome = "skipped";
                                                },
                                                {},
                                                false,
                                                {{"probe_skipped", "db_core"}},
                                                {}},
                                     DecideCase{"probe_skipped_allowed",
                                                [](Policy& p, Inputs& in) {
                                                  p.allow_skipped = true;
                                                  in.probes[2].outcome = "skipped";
                                                },
                                                {},
                                                true,
                                                {},
                                                {}},
                                     DecideCase{"probe_skipped_outside_scope",
                                                [](Policy&, Inputs& in) {
                                                  in.probes[2].outcome = "skipped";
                                                },
                                                {{"component", "api"}},
                                                true,
                                                {},
                                                {}},
                                     DecideCase{"probe_skipped_scoped_by_probe",
                                                [](Policy&, Inputs& in) {
                                                  in.probes[2].outcome = "skipped";
                                                },
                                                {{"probe", "db_core"}},
                                                false,
                                                {{"probe_skipped", "db_core"}},
                                                {}},
                                     // --- alertmanager_unreachable
                                     DecideCase{"alertmanager_unreachable_when_required",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.alertmanager_required = true;
                                                  in.alertmanagers[0].reachable = false;
                                                  in.alertmanagers[0].last_error =
                                                      "connection_refused: ...";
                                                },
                                                {},
                                                false,
                                                {{"alertmanager_unreachable",
                                                  "http://127.0.0.1:9093/api/v2/alerts"}},
                                                {}},
                                     DecideCase{"alertmanager_unreachable_not_required",
                                                [](Policy&, Inputs& in) {
                                                  in.alertmanagers[0].reachable = false;
                                                },
                                                {},
                                                true,
                                                {},
                                                {}},
                                     DecideCase{"alertmanager_required_reachable",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.alertmanager_required = true;
                                                },
                                                {},
                                                true,
                                                {},
                                                {}},
                                     DecideCase{"alertmanager_required_but_none_notified",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.alertmanager_required = true;
                                                  in.alertmanagers.clear();
                                                },
                                                {},
                                                false,
                                                {{"alertmanager_unreachable", ""}},
                                                {}},
                                     // --- scope_unknown: a typo must not read as "nothing wrong
                                     // there"
                                     DecideCase{
                                         "scope_unknown_component",
                                         Nothing,
                                         {{"component", "apii"}},
                                         false,
                                         {{"scope_unknown", ""}},
                                         {}},
                                     DecideCase{"scope_label_known_from_a_rule",
                                                Nothing,
                                                {{"team", "payments"}},
                                                true,
                                                {},
                                                {}},
                                     DecideCase{"scope_label_known_from_a_firing_alert",
                                                [](Policy&, Inputs& in) {
                                                  in.alerts = {Alert(
                                                      {{"alertname", "Info"}, {"region", "eu"}})};
                                                },
                                                {{"region", "eu"}},
                                                true,
                                                {},
                                                {}},
                                     // --- several fail-closed reasons at once: each is its own
                                     // violation, fixed order
                                     DecideCase{"every_fail_closed_reason",
                                                [](Policy&, Inputs& in) {
                                                  in.engine.iterations = 1;
                                                  in.engine.rule_errors = {{"g", "R", "err", kNow}};
                                                  in.probes[0].outcome = "skipped";
                                                  in.probes[1].outcome = "pending";
                                                  in.engine.alertmanager_required = true;
                                                  in.alertmanagers[0].reachable = false;
                                                },
                                                {{"component", "api"}},
                                                false,
                                                {{"no_data", ""},
                                                 {"no_data", "notifications"},
                                                 {"rule_evaluation_failed", "R"},
                                                 {"probe_skipped", "api_health"},
                                                 {"alertmanager_unreachable",
                                                  "http://127.0.0.1:9093/api/v2/alerts"}},
                                                {}},
                                     // An unknown selector puts no probe in scope, so it is
                                     // reported instead of them.
                                     DecideCase{
                                         "scope_unknown_with_other_reasons",
                                         [](Policy&, Inputs& in) {
                                           in.engine.rule_errors = {{"g", "R", "err", kNow}};
                                           in.probes[0].outcome = "skipped";
                                         },
                                         {{"component", "api"}, {"env", "prod"}},
                                         false,
                                         {{"rule_evaluation_failed", "R"}, {"scope_unknown", ""}},
                                         {}}),
                         [](const ::testing::TestParamInfo<DecideCase>& info) {
                           return info.param.name;
                         });

INSTANTIATE_TEST_SUITE_P(
    Alerts, DecideTest,
    ::testing::Values(
        DecideCase{"critical_alert_blocks_with_its_reason_label",
                   [](Policy&, Inputs& in) { in.alerts = {Alert(kNotificationsDown)}; },
                   {},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}},
                   {}},
        DecideCase{"reason_falls_back_to_alertname",
                   [](Policy&, Inputs& in) { in.alerts = {Alert(kDbDown)}; },
                   {},
                   false,
                   {{"ProbeFailed", "ProbeFailed"}},
                   {}},
        DecideCase{"pending_alert_does_not_block",
                   [](Policy&, Inputs& in) { in.alerts = {Alert(kDbDown, "pending")}; },
                   {},
                   true,
                   {},
                   {}},
        DecideCase{"warning_alert_does_not_block_by_default",
                   [](Policy&, Inputs& in) {
                     in.alerts = {Alert({{"alertname", "Slow"}, {"severity", "warning"}})};
                   },
                   {},
                   true,
                   {},
                   {}},
        DecideCase{"gate_release_label_blocks",
                   [](Policy&, Inputs& in) {
                     in.alerts = {Alert(
                         {{"alertname", "Slow"}, {"severity", "warning"}, {"gate", "release"}})};
                   },
                   {},
                   false,
                   {{"Slow", "Slow"}},
                   {}},
        DecideCase{"configured_block_on_replaces_the_default",
                   [](Policy& p, Inputs& in) {
                     p.block_on = {*ParseMatcherSet("team=~db|cache, severity!=info")};
                     in.alerts = {Alert(kDbDown), Alert({{"alertname", "CacheSlow"},
                                                         {"team", "cache"},
                                                         {"severity", "warning"}})};
                   },
                   {},
                   false,
                   {{"CacheSlow", "CacheSlow"}},
                   {}},
        DecideCase{"oldest_blocker_first",
                   [](Policy&, Inputs& in) {
                     in.alerts = {Alert(kDbDown), Alert(kNotificationsDown)};
                     in.alerts[1].active_at_ms -= 1'000;
                   },
                   {},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}, {"ProbeFailed", "ProbeFailed"}},
                   {}},
        // --- scope
        DecideCase{"scope_component_excludes_other_components",
                   [](Policy&, Inputs& in) { in.alerts = {Alert(kDbDown)}; },
                   {{"component", "api"}},
                   true,
                   {},
                   {}},
        DecideCase{"scope_component_includes_its_alerts",
                   [](Policy&, Inputs& in) {
                     in.alerts = {Alert(kDbDown), Alert(kNotificationsDown)};
                   },
                   {{"component", "database"}},
                   false,
                   {{"ProbeFailed", "ProbeFailed"}},
                   {}},
        DecideCase{"scope_probe",
                   [](Policy&, Inputs& in) {
                     in.alerts = {Alert(kDbDown), Alert(kNotificationsDown)};
                   },
                   {{"probe", "notifications"}},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}},
                   {}},
        DecideCase{"scope_any_label_and_all_must_hold",
                   [](Policy&, Inputs& in) {
                     in.alerts = {Alert(kDbDown), Alert(kNotificationsDown)};
                   },
                   {{"component", "api"}, {"reason", "error_rate_critical"}},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}},
                   {}},
        // An alert without the scoped label (aggregated away) is outside that scope.
        DecideCase{"alert_without_the_scoped_label_is_outside",
                   [](Policy&, Inputs& in) {
                     in.alerts = {Alert({{"alertname", "AnyDown"}, {"severity", "critical"}})};
                   },
                   {{"component", "api"}},
                   true,
                   {},
                   {}}),
    [](const ::testing::TestParamInfo<DecideCase>& info) { return info.param.name; });

// A pending blocker the engine has watched for less than its `for` since start (2 s of 5 s).
AlertInput PendingSinceStart(const LabelMap& labels) {
  AlertInput a = Alert(labels, "pending");
  a.for_ms = 5'000;
  a.evaluated_for_ms = 2'000;
  return a;
}

// What a restarted exporter does not know yet: rule groups not evaluated since start, pending
// blockers that may have been firing before the restart, an Alertmanager nobody has posted to.
INSTANTIATE_TEST_SUITE_P(
    AfterStart, DecideTest,
    ::testing::Values(
        DecideCase{"pending_blocker_not_yet_watched_for_its_for",
                   [](Policy&, Inputs& in) { in.alerts = {PendingSinceStart(kDbDown)}; },
                   {},
                   false,
                   {{"no_data", "ProbeFailed"}},
                   {}},
        DecideCase{"pending_blocker_watched_for_its_for_became_active_after_start",
                   [](Policy&, Inputs& in) {
                     in.alerts = {PendingSinceStart(kDbDown)};
                     in.alerts[0].evaluated_for_ms = 5'000;
                   },
                   {},
                   true,
                   {},
                   {}},
        DecideCase{
            "pending_alert_that_cannot_block",
            [](Policy&, Inputs& in) {
              in.alerts = {PendingSinceStart({{"alertname", "Slow"}, {"severity", "warning"}})};
            },
            {},
            true,
            {},
            {}},
        DecideCase{"pending_blocker_outside_scope",
                   [](Policy&, Inputs& in) { in.alerts = {PendingSinceStart(kDbDown)}; },
                   {{"component", "api"}},
                   true,
                   {},
                   {}},
        DecideCase{"pending_blocker_a_silence_would_waive",
                   [](Policy& p, Inputs& in) {
                     p.waivers_enabled = true;
                     in.alerts = {PendingSinceStart(kDbDown)};
                     in.silences = {SilenceOn("s1", {{"probe", "db_core", false, true}})};
                   },
                   {},
                   true,
                   {},
                   {}},
        DecideCase{"rule_group_not_evaluated_since_start",
                   [](Policy&, Inputs& in) {
                     in.engine.groups = {{"rules/api.yml;api", 0}, {"rules/db.yml;db", 3}};
                     in.engine.alerting_rules[0].group = "rules/db.yml;db";
                     in.engine.alerting_rules[1].group = "rules/api.yml;api";
                   },
                   {{"component", "database"}},
                   false,
                   {{"no_data", "rules/api.yml;api"}},
                   {}},
        DecideCase{"rule_group_not_evaluated_whose_alerts_cannot_block",
                   [](Policy&, Inputs& in) {
                     in.engine.groups = {{"rules/info.yml;info", 0}};
                     in.engine.alerting_rules.push_back({"Info",
                                                         {{"severity", "info"}, {"gate", "never"}},
                                                         "rules/info.yml;info"});
                   },
                   {},
                   true,
                   {},
                   {}},
        DecideCase{"alertmanager_required_does_not_answer_for_silences",
                   [](Policy&, Inputs& in) {
                     in.engine.alertmanager_required = true;
                     in.silences_fetched = true;
                     in.silences_available = false;
                     in.silences_error = "GET http://am/api/v2/silences: connection_refused";
                   },
                   {},
                   false,
                   {{"alertmanager_unreachable", ""}},
                   {}},
        DecideCase{"alertmanager_not_required_does_not_answer_for_silences",
                   [](Policy&, Inputs& in) {
                     in.silences_fetched = true;
                     in.silences_available = false;
                   },
                   {},
                   true,
                   {},
                   {}},
        // The notifier's own failure says it already; the silences add nothing.
        DecideCase{"alertmanager_unreachable_reported_once",
                   [](Policy&, Inputs& in) {
                     in.engine.alertmanager_required = true;
                     in.alertmanagers[0].reachable = false;
                     in.silences_fetched = true;
                     in.silences_available = false;
                   },
                   {},
                   false,
                   {{"alertmanager_unreachable", "http://127.0.0.1:9093/api/v2/alerts"}},
                   {}}),
    [](const ::testing::TestParamInfo<DecideCase>& info) { return info.param.name; });

TEST(DecideDetailTest, PendingBlockerAfterStartSaysWhyItWaits) {
  Inputs in = Healthy();
  in.alerts = {PendingSinceStart(kNotificationsDown)};
  const Verdict v = Decide(Policy(), in);
  ASSERT_EQ(v.violations.size(), 1u);
  const Violation& x = v.violations[0];
  EXPECT_EQ(x.reason, "no_data");
  EXPECT_EQ(x.probe, "notifications");
  EXPECT_EQ(x.component, "api");
  EXPECT_EQ(x.summary,
            "alert \"ErrorRateCritical\" is pending and the engine has watched it for 2s of its "
            "5s `for` since start: it may have been firing before a restart");
  EXPECT_EQ(x.evidence["for_seconds"], 5.0);
  EXPECT_EQ(x.evidence["evaluated_for_seconds"], 2.0);
}

void EnableWaivers(Policy& p) { p.waivers_enabled = true; }

INSTANTIATE_TEST_SUITE_P(
    Waivers, DecideTest,
    ::testing::Values(
        DecideCase{"silence_waives_a_blocker",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.alerts = {Alert(kNotificationsDown)};
                     in.silences = {SilenceOn("s1", {{"probe", "notifications", false, true}})};
                   },
                   {},
                   true,
                   {},
                   {"s1"}},
        DecideCase{"silence_waives_one_blocker_the_other_still_blocks",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.alerts = {Alert(kNotificationsDown), Alert(kDbDown)};
                     in.silences = {SilenceOn("s1", {{"probe", "notif.*", true, true}})};
                   },
                   {},
                   false,
                   {{"ProbeFailed", "ProbeFailed"}},
                   {"s1"}},
        DecideCase{"waivers_disabled_silence_ignored",
                   [](Policy&, Inputs& in) {
                     in.alerts = {Alert(kNotificationsDown)};
                     in.silences = {SilenceOn("s1", {{"probe", "notifications", false, true}})};
                   },
                   {},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}},
                   {}},
        DecideCase{"expired_silence_does_not_waive",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.alerts = {Alert(kNotificationsDown)};
                     in.silences = {SilenceOn("s1", {{"probe", "notifications", false, true}})};
                     in.silences[0].ends_at_ms = kNow;
                   },
                   {},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}},
                   {}},
        DecideCase{"future_silence_does_not_waive",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.alerts = {Alert(kNotificationsDown)};
                     in.silences = {SilenceOn("s1", {{"probe", "notifications", false, true}})};
                     in.silences[0].starts_at_ms = kNow + 1;
                   },
                   {},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}},
                   {}},
        DecideCase{"non_matching_silence_does_not_waive",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.alerts = {Alert(kNotificationsDown)};
                     in.silences = {SilenceOn("s1", {{"probe", "notif", true, true}})};
                   },
                   {},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}},
                   {}},
        DecideCase{"negative_matcher_silence",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.alerts = {Alert(kNotificationsDown), Alert(kDbDown)};
                     in.silences = {SilenceOn("s1", {{"component", "database", false, false},
                                                     {"severity", "critical", false, true}})};
                   },
                   {},
                   false,
                   {{"ProbeFailed", "ProbeFailed"}},
                   {"s1"}},
        DecideCase{"the_silence_ending_last_is_reported",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.alerts = {Alert(kDbDown)};
                     in.silences = {SilenceOn("short", {{"probe", "db_core", false, true}}),
                                    SilenceOn("long", {{"probe", "db_core", false, true}})};
                     in.silences[1].ends_at_ms += 1;
                   },
                   {},
                   true,
                   {},
                   {"long"}},
        DecideCase{"waivers_unavailable_blockers_stay_blocking",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.alerts = {Alert(kNotificationsDown)};
                     in.silences_available = false;
                     in.silences_error = "GET http://am/api/v2/silences: connection_refused";
                     in.silences = {SilenceOn("s1", {{"probe", "notifications", false, true}})};
                   },
                   {},
                   false,
                   {{"error_rate_critical", "ErrorRateCritical"}},
                   {},
                   true},
        DecideCase{"fail_closed_reasons_are_never_waived",
                   [](Policy& p, Inputs& in) {
                     EnableWaivers(p);
                     in.engine.iterations = 0;
                     in.probes[0].outcome = "skipped";
                     in.silences = {SilenceOn("all", {{"alertname", ".*", true, true}})};
                   },
                   {},
                   false,
                   {{"no_data", ""}, {"probe_skipped", "api_health"}},
                   {}}),
    [](const ::testing::TestParamInfo<DecideCase>& info) { return info.param.name; });

TEST(DecideDetailTest, AlertViolationCarriesWhatADeployerNeeds) {
  Inputs in = Healthy();
  in.probes[1] = Probe("notifications", "api", "failed");
  in.alerts = {Alert(kNotificationsDown)};
  in.alerts[0].annotations = {{"summary", "GET /notifications/recent fails 100%"},
                              {"runbook_url", "https://runbooks/error-rate"},
                              {"description", "8 of 8 requests failed in 1m"}};
  const Verdict v = Decide(Policy(), in);
  ASSERT_EQ(v.violations.size(), 1u);
  const Violation& x = v.violations[0];
  EXPECT_EQ(x.alert, "ErrorRateCritical");
  EXPECT_EQ(x.reason, "error_rate_critical");
  EXPECT_EQ(x.component, "api");
  EXPECT_EQ(x.probe, "notifications");
  EXPECT_EQ(x.severity, "critical");
  EXPECT_EQ(x.since_ms, kNow - 360'000);
  EXPECT_EQ(x.value, 100);
  EXPECT_EQ(x.summary, "GET /notifications/recent fails 100%");
  EXPECT_EQ(x.runbook, "https://runbooks/error-rate");
  EXPECT_EQ(x.evidence["description"], "8 of 8 requests failed in 1m");
  EXPECT_EQ(x.evidence["labels"]["alertname"], "ErrorRateCritical");
  // The probe's last failure travels with the alert: the deployer sees why without digging.
  EXPECT_EQ(x.evidence["probe"]["outcome"], "failed");
  EXPECT_EQ(x.evidence["probe"]["message"], "HTTP 500 from GET /notifications/recent");
  EXPECT_EQ(x.evidence["probe"]["last_failure"]["evidence"]["status_code"], 500);
}

TEST(DecideDetailTest, WaiverCarriesTheSilence) {
  Policy policy;
  policy.waivers_enabled = true;
  Inputs in = Healthy();
  in.alerts = {Alert(kDbDown)};
  in.silences = {SilenceOn("7f3c", {{"probe", "db_core", false, true}})};
  const Verdict v = Decide(policy, in);
  ASSERT_EQ(v.waived.size(), 1u);
  EXPECT_EQ(v.waived[0].silence_id, "7f3c");
  EXPECT_EQ(v.waived[0].created_by, "alice");
  EXPECT_EQ(v.waived[0].comment, "known issue, fix in PR 123");
  EXPECT_EQ(v.waived[0].ends_at_ms, kNow + 3'600'000);
  EXPECT_EQ(v.waived[0].violation.alert, "ProbeFailed");
  EXPECT_TRUE(v.ready);
}

TEST(DecideDetailTest, FailClosedViolationsExplainThemselves) {
  Policy policy;
  Inputs in = Healthy();
  in.engine.last_iteration_ms = kNow - 120'000;
  in.probes[0].outcome = "skipped";
  in.probes[0].message = "secret env:API_KEY is not set";
  const Verdict v = Decide(policy, in);
  ASSERT_EQ(v.violations.size(), 2u);
  EXPECT_EQ(v.violations[0].summary, "the last rule evaluation was 120s ago (stale after 45s)");
  EXPECT_EQ(v.violations[0].since_ms, kNow - 120'000);
  EXPECT_EQ(v.violations[1].summary,
            "probe \"api_health\" was skipped: secret env:API_KEY is not set");
  EXPECT_EQ(v.violations[1].component, "api");
}

TEST(PossibleAlertReasonsTest, ListsReasonsOfRulesThatCanBlock) {
  Policy policy;  // gate="release" or severity="critical"
  const std::vector<AlertingRuleInput> rules = {
      {"ProbeFailed", {{"severity", "critical"}}},
      {"ErrorRateCritical", {{"severity", "critical"}, {"reason", "error_rate_critical"}}},
      {"Slow", {{"severity", "warning"}}},  // gate="release" may come from the series
      {"Info", {{"severity", "info"}, {"gate", "never"}}},        // can never block
      {"Gated", {{"severity", "warning"}, {"gate", "release"}}},  // blocks through gate
      {"FromSeries", {}},  // severity may come from the series
      {"Templated", {{"severity", "critical"}, {"reason", "{{ $labels.reason }}"}}}};
  EXPECT_THAT(PossibleAlertReasons(policy, rules),
              ElementsAre("FromSeries", "Gated", "ProbeFailed", "Slow", "error_rate_critical"));
}

}  // namespace
}  // namespace smoke::readiness
