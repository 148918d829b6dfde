#include "exporter/ruler/alerting_rule.h"

#include <gtest/gtest.h>

#include "tests/unit/ruler/ruler_test_util.h"

namespace smoke::ruler {
namespace {

using namespace std::chrono_literals;
using test_util::AlertSpec;
using test_util::kMinuteMs;

class AlertingRuleTest : public ::testing::Test {
 protected:
  void SetValue(int64_t t_ms, double v, const std::string& instance = "a") {
    ASSERT_TRUE(storage_.Append({{"__name__", "up"}, {"job", "api"}, {"instance", instance}}, t_ms, v)
                    .ok());
  }
  core::Result<promql::Vector> Eval(AlertingRule& rule, int64_t ts) {
    RuleEvalContext ctx;
    ctx.ts_ms = ts;
    ctx.storage = &storage_;
    ctx.limit = limit_;
    return rule.Eval(ctx);
  }
  tsdb::MemoryStorage storage_;
  int limit_ = 0;
};

TEST_F(AlertingRuleTest, GoesPendingThenFiringAfterForAndWritesAlertsSeries) {
  AlertingRule rule(AlertSpec("ApiDown", "up == 0", 2min, {{"severity", "critical"}}));
  SetValue(0, 0);
  auto out = Eval(rule, 0);
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(rule.Alerts().size(), 1u);
  EXPECT_EQ(rule.Alerts()[0].state, AlertState::kPending);
  EXPECT_EQ(rule.State(), AlertState::kPending);
  ASSERT_EQ(out->size(), 2u);  // ALERTS and ALERTS_FOR_STATE
  promql::Labels want{{"__name__", "ALERTS"}, {"alertname", "ApiDown"}, {"alertstate", "pending"},
                      {"instance", "a"}, {"job", "api"}, {"severity", "critical"}};
  EXPECT_EQ((*out)[0].labels, want);
  EXPECT_EQ((*out)[1].labels.Get("__name__"), "ALERTS_FOR_STATE");
  EXPECT_EQ((*out)[1].v, 0);  // ActiveAt in Unix seconds

  SetValue(kMinuteMs, 0);
  ASSERT_TRUE(Eval(rule, kMinuteMs).ok());
  EXPECT_EQ(rule.Alerts()[0].state, AlertState::kPending);

  SetValue(2 * kMinuteMs, 0);
  out = Eval(rule, 2 * kMinuteMs);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(rule.Alerts()[0].state, AlertState::kFiring);
  EXPECT_EQ(rule.Alerts()[0].fired_at_ms, 2 * kMinuteMs);
  EXPECT_EQ((*out)[0].labels.Get("alertstate"), "firing");
}

TEST_F(AlertingRuleTest, PendingAlertThatDisappearsIsDroppedWithoutResolution) {
  AlertingRule rule(AlertSpec("ApiDown", "up == 0", 5min));
  SetValue(0, 0);
  ASSERT_TRUE(Eval(rule, 0).ok());
  SetValue(kMinuteMs, 1);
  auto out = Eval(rule, kMinuteMs);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty());
  EXPECT_TRUE(rule.Alerts().empty());
}

TEST_F(AlertingRuleTest, FiringAlertResolvesIsKeptFifteenMinutesAndIsResentResolved) {
  AlertingRule rule(AlertSpec("ApiDown", "up == 0"));
  SetValue(0, 0);
  ASSERT_TRUE(Eval(rule, 0).ok());
  EXPECT_EQ(rule.Alerts()[0].state, AlertState::kFiring);  // for: 0 fires at once
  EXPECT_EQ(rule.TakeAlertsToSend(0, kMinuteMs, kMinuteMs).size(), 1u);

  SetValue(kMinuteMs, 1);
  auto out = Eval(rule, kMinuteMs);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty()) << "a resolved alert writes no ALERTS sample";
  ASSERT_EQ(rule.Alerts().size(), 1u);
  EXPECT_EQ(rule.Alerts()[0].state, AlertState::kInactive);
  EXPECT_EQ(rule.Alerts()[0].resolved_at_ms, kMinuteMs);
  auto sent = rule.TakeAlertsToSend(kMinuteMs, kMinuteMs, kMinuteMs);
  ASSERT_EQ(sent.size(), 1u) << "the resolution is sent at once";

  // Kept (and re-sent) for 15 minutes after resolution, then forgotten.
  SetValue(16 * kMinuteMs, 1);
  ASSERT_TRUE(Eval(rule, 16 * kMinuteMs).ok());
  EXPECT_EQ(rule.Alerts().size(), 1u) << "exactly 15 minutes after resolution: still kept";
  SetValue(17 * kMinuteMs, 1);
  ASSERT_TRUE(Eval(rule, 17 * kMinuteMs).ok());
  EXPECT_TRUE(rule.Alerts().empty());
}

TEST_F(AlertingRuleTest, SendsFiringAlertsAgainAfterResendDelayWithValidUntil) {
  AlertingRule rule(AlertSpec("ApiDown", "up == 0"));
  SetValue(0, 0);
  ASSERT_TRUE(Eval(rule, 0).ok());
  auto sent = rule.TakeAlertsToSend(0, kMinuteMs, 15'000);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].valid_until_ms, 4 * kMinuteMs) << "4 x max(resend delay, interval)";
  EXPECT_TRUE(rule.TakeAlertsToSend(30'000, kMinuteMs, 15'000).empty());
  EXPECT_TRUE(rule.TakeAlertsToSend(kMinuteMs, kMinuteMs, 15'000).empty())
      << "resent only after more than the resend delay";
  EXPECT_EQ(rule.TakeAlertsToSend(kMinuteMs + 15'000, kMinuteMs, 15'000).size(), 1u);
}

TEST_F(AlertingRuleTest, KeepFiringForHoldsTheAlertAfterTheConditionClears) {
  RuleSpec spec = AlertSpec("ApiDown", "up == 0");
  spec.keep_firing_for = 2min;
  AlertingRule rule(spec);
  SetValue(0, 0);
  ASSERT_TRUE(Eval(rule, 0).ok());
  SetValue(kMinuteMs, 1);
  ASSERT_TRUE(Eval(rule, kMinuteMs).ok());
  EXPECT_EQ(rule.Alerts()[0].state, AlertState::kFiring);
  EXPECT_EQ(rule.Alerts()[0].keep_firing_since_ms, kMinuteMs);
  SetValue(2 * kMinuteMs, 1);
  ASSERT_TRUE(Eval(rule, 2 * kMinuteMs).ok());
  EXPECT_EQ(rule.Alerts()[0].state, AlertState::kFiring);
  SetValue(3 * kMinuteMs, 1);
  ASSERT_TRUE(Eval(rule, 3 * kMinuteMs).ok());
  EXPECT_EQ(rule.Alerts()[0].state, AlertState::kInactive);
}

TEST_F(AlertingRuleTest, TemplatedLabelsAndAnnotationsSeeLabelsAndValue) {
  AlertingRule rule(AlertSpec("ApiDown", "up == 0", {}, {{"where", "{{ $labels.instance }}"}},
                              {{"summary", "{{ $labels.job }} is {{ $value }}"}}));
  SetValue(0, 0, "host-1");
  ASSERT_TRUE(Eval(rule, 0).ok());
  ASSERT_EQ(rule.Alerts().size(), 1u);
  EXPECT_EQ(rule.Alerts()[0].labels.Get("where"), "host-1");
  EXPECT_EQ(rule.Alerts()[0].annotations.Get("summary"), "api is 0");
}

TEST_F(AlertingRuleTest, LabelsThatMakeTwoAlertsIdenticalAreAnError) {
  AlertingRule rule(AlertSpec("ApiDown", "up == 0", {}, {{"instance", "same"}}));
  SetValue(0, 0, "a");
  SetValue(0, 0, "b");
  auto out = Eval(rule, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "vector contains metrics with the same labelset after applying alert labels");
}

TEST_F(AlertingRuleTest, MoreActiveAlertsThanTheLimitClearsThemAndFails) {
  AlertingRule rule(AlertSpec("ApiDown", "up == 0"));
  limit_ = 1;
  SetValue(0, 0, "a");
  SetValue(0, 0, "b");
  auto out = Eval(rule, 0);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "exceeded limit of 1 with 2 alerts");
  EXPECT_TRUE(rule.Alerts().empty());
}

TEST_F(AlertingRuleTest, RaisedForSendsAFiringAlertBackToPending) {
  AlertingRule before(AlertSpec("ApiDown", "up == 0"));
  SetValue(0, 0);
  ASSERT_TRUE(Eval(before, 0).ok());
  ASSERT_EQ(before.Alerts()[0].state, AlertState::kFiring);
  AlertingRule after(AlertSpec("ApiDown", "up == 0", 10min));
  after.Restore(before.Alerts()[0]);
  SetValue(kMinuteMs, 0);
  ASSERT_TRUE(Eval(after, kMinuteMs).ok());
  EXPECT_EQ(after.Alerts()[0].state, AlertState::kPending);
  EXPECT_EQ(after.Alerts()[0].fired_at_ms, 0);
}

}  // namespace
}  // namespace smoke::ruler
