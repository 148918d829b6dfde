#include "exporter/ruler/group.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/unit/ruler/ruler_test_util.h"

namespace smoke::ruler {
namespace {

using namespace std::chrono_literals;
using test_util::AlertSpec;
using test_util::kMinuteMs;
using test_util::QueryVector;
using test_util::RecordSpec;

GroupSpec MakeGroup(std::vector<RuleSpec> rules) {
  GroupSpec g;
  g.name = "api";
  g.file = "api.rules.yml";
  g.interval = 1min;
  g.rules = std::move(rules);
  return g;
}

class GroupTest : public ::testing::Test {
 protected:
  void Up(int64_t t, double v, const std::string& instance = "a") {
    ASSERT_TRUE(
        storage_.Append({{"__name__", "up"}, {"job", "api"}, {"instance", instance}}, t, v).ok());
  }
  tsdb::MemoryStorage storage_;
};

TEST_F(GroupTest, LaterRulesSeeEarlierRulesOutputInTheSameIteration) {
  Group group(MakeGroup({RecordSpec("job:up:sum", "sum by (job) (up)", {{"team", "sre"}}),
                         AlertSpec("JobDown", "job:up:sum == 0")}),
              GroupOptions{});
  Up(0, 0);
  group.Eval(0, storage_);
  promql::Vector recorded = QueryVector(storage_, "job:up:sum", 0);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].labels,
            (promql::Labels{{"__name__", "job:up:sum"}, {"job", "api"}, {"team", "sre"}}));
  promql::Vector alerts = QueryVector(storage_, "ALERTS", 0);
  ASSERT_EQ(alerts.size(), 1u) << "the alert saw the recording rule's fresh output";
  EXPECT_EQ(alerts[0].labels.Get("alertstate"), "firing");
  GroupStatus status = group.Snapshot();
  EXPECT_EQ(status.rules[0].health, RuleHealth::kOk);
  EXPECT_EQ(status.rules[1].state, AlertState::kFiring);
  EXPECT_EQ(status.iterations, 1u);
}

TEST_F(GroupTest, SeriesNotWrittenAgainGetStalenessMarkersSoAlertsDisappear) {
  Group group(MakeGroup({AlertSpec("ApiDown", "up == 0")}), GroupOptions{});
  Up(0, 0);
  group.Eval(0, storage_);
  ASSERT_EQ(QueryVector(storage_, "ALERTS", 0).size(), 1u);
  Up(kMinuteMs, 1);
  group.Eval(kMinuteMs, storage_);
  EXPECT_TRUE(QueryVector(storage_, "ALERTS", kMinuteMs).empty())
      << "without a staleness marker ALERTS would linger for the 5m lookback";
  EXPECT_TRUE(QueryVector(storage_, "ALERTS_FOR_STATE", kMinuteMs).empty());
}

TEST_F(GroupTest, FailingRuleIsUnhealthyAndTheOthersStillRun) {
  Group group(MakeGroup({RecordSpec("bad", "up + on (job) up"), RecordSpec("good", "up")}),
              GroupOptions{});
  Up(0, 1, "a");
  Up(0, 1, "b");
  group.Eval(0, storage_);
  GroupStatus status = group.Snapshot();
  EXPECT_EQ(status.rules[0].health, RuleHealth::kErr);
  EXPECT_NE(status.rules[0].last_error.find("many-to-many matching not allowed"),
            std::string::npos)
      << status.rules[0].last_error;
  EXPECT_EQ(status.rules[1].health, RuleHealth::kOk);
  EXPECT_EQ(status.evaluation_failures, 1u);
  EXPECT_EQ(QueryVector(storage_, "good", 0).size(), 2u);
}

TEST_F(GroupTest, SendsFiringThenResolvedAlertsWithEndsAtSemantics) {
  std::vector<Alert> sent;
  GroupOptions options;
  options.resend_delay = 1min;
  options.notify = [&](const RuleSpec& rule, const std::vector<Alert>& alerts) {
    EXPECT_EQ(rule.alert, "ApiDown");
    sent.insert(sent.end(), alerts.begin(), alerts.end());
  };
  Group group(MakeGroup({AlertSpec("ApiDown", "up == 0", 1min)}), options);
  Up(0, 0);
  group.Eval(0, storage_);
  EXPECT_TRUE(sent.empty()) << "pending alerts are never sent";
  Up(kMinuteMs, 0);
  group.Eval(kMinuteMs, storage_);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].state, AlertState::kFiring);
  EXPECT_EQ(sent[0].fired_at_ms, kMinuteMs);
  EXPECT_EQ(sent[0].valid_until_ms, kMinuteMs + 4 * kMinuteMs);
  Up(2 * kMinuteMs, 1);
  group.Eval(2 * kMinuteMs, storage_);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].state, AlertState::kInactive);
  EXPECT_EQ(sent[1].resolved_at_ms, 2 * kMinuteMs);
}

TEST_F(GroupTest, QueryOffsetEvaluatesAndWritesInThePast) {
  GroupSpec spec = MakeGroup({RecordSpec("copy", "up")});
  spec.query_offset = 1min;
  Group group(spec, GroupOptions{});
  Up(0, 7);
  Up(2 * kMinuteMs, 9);
  group.Eval(2 * kMinuteMs, storage_);
  promql::Vector v = QueryVector(storage_, "copy", kMinuteMs);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].v, 7) << "queried at ts - offset, when up was still 7";
}

TEST_F(GroupTest, EvalTimestampIsSlotAlignedWithAStablePerGroupOffset) {
  Group group(MakeGroup({}), GroupOptions{});
  const int64_t t1 = group.EvalTimestamp(10 * kMinuteMs + 1);
  const int64_t t2 = group.EvalTimestamp(10 * kMinuteMs + 59'999);
  EXPECT_LE(t1, 10 * kMinuteMs + 1);
  EXPECT_GT(t1, 9 * kMinuteMs);
  EXPECT_EQ((t1 - t2) % kMinuteMs, 0);
  EXPECT_EQ(group.EvalTimestamp(t1), t1);
}

TEST_F(GroupTest, MarkStaleEndsEverySeriesOfARemovedGroup) {
  Group group(MakeGroup({RecordSpec("copy", "up")}), GroupOptions{});
  Up(0, 1);
  group.Eval(0, storage_);
  group.MarkStale(10'000, storage_);
  EXPECT_TRUE(QueryVector(storage_, "copy", 10'000).empty());
}

}  // namespace
}  // namespace smoke::ruler
