#include "exporter/ruler/manager.h"

#include <gtest/gtest.h>

#include <fstream>

#include "exporter/ruler/alert_state_file.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/ruler/ruler_test_util.h"

namespace smoke::ruler {
namespace {

using namespace std::chrono_literals;
using test_util::AlertSpec;
using test_util::kMinuteMs;
using test_util::QueryVector;
using test_util::RecordSpec;

GroupSpec MakeGroup(std::string name, std::vector<RuleSpec> rules) {
  GroupSpec g;
  g.name = std::move(name);
  g.file = "test.rules.yml";
  g.interval = 1min;
  g.rules = std::move(rules);
  return g;
}

class ManagerTest : public ::testing::Test {
 protected:
  void Up(int64_t t, double v) {
    ASSERT_TRUE(storage_.Append({{"__name__", "up"}, {"job", "api"}}, t, v).ok());
  }
  // Runs Tick at every due time up to `until`, feeding up=v just before each evaluation.
  void RunUntil(Manager& m, int64_t until, double v) {
    while (m.NextDue() <= until) {
      const int64_t t = m.NextDue();
      Up(t, v);
      m.Tick(t);
    }
  }
  Alert OnlyAlert(const Manager& m) {
    auto groups = m.Snapshot();
    EXPECT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].rules[0].alerts.size(), 1u);
    return groups[0].rules[0].alerts.empty() ? Alert{} : groups[0].rules[0].alerts[0];
  }
  tsdb::MemoryStorage storage_;
  smoke::testing::TempDir dir_;
};

TEST_F(ManagerTest, EvaluatesGroupsOnTheirIntervalAndCountsMissedIterations) {
  Manager m(ManagerOptions{}, storage_);
  m.SetGroups({MakeGroup("api", {RecordSpec("copy", "up")})}, 0);
  const int64_t first = m.NextDue();
  EXPECT_GT(first, 0);
  EXPECT_LE(first, kMinuteMs) << "first evaluation within one interval of start";
  EXPECT_EQ(m.Tick(first - 1), 0);
  Up(first, 1);
  EXPECT_EQ(m.Tick(first), 1);
  EXPECT_EQ(m.NextDue(), first + kMinuteMs);
  // Three slots pass without a tick: two are missed, the third runs.
  Up(first + 3 * kMinuteMs, 1);
  EXPECT_EQ(m.Tick(first + 3 * kMinuteMs + 5), 1);
  GroupStatus g = m.Snapshot()[0];
  EXPECT_EQ(g.iterations, 2u);
  EXPECT_EQ(g.iterations_missed, 2u);
  EXPECT_EQ(g.last_eval_ms, first + 3 * kMinuteMs) << "evaluated at the slot time, not now";
}

TEST_F(ManagerTest, ReloadKeepsPendingTimersOfUnchangedRules) {
  Manager m(ManagerOptions{}, storage_);
  m.SetGroups({MakeGroup("api", {AlertSpec("ApiDown", "up == 0", 5min)})}, 0);
  RunUntil(m, 3 * kMinuteMs, 0);
  const Alert before = OnlyAlert(m);
  ASSERT_EQ(before.state, AlertState::kPending);
  m.SetGroups({MakeGroup("api", {AlertSpec("ApiDown", "up == 0", 5min, {},
                                           {{"summary", "changed"}})})},
              3 * kMinuteMs);
  RunUntil(m, 4 * kMinuteMs, 0);
  const Alert after = OnlyAlert(m);
  EXPECT_EQ(after.annotations.Get("summary"), "changed");
  EXPECT_EQ(after.active_at_ms, before.active_at_ms) << "the for timer survived the reload";
}

TEST_F(ManagerTest, RemovedGroupsWriteStalenessMarkers) {
  Manager m(ManagerOptions{}, storage_);
  m.SetGroups({MakeGroup("api", {RecordSpec("copy", "up")})}, 0);
  RunUntil(m, kMinuteMs, 1);
  ASSERT_EQ(QueryVector(storage_, "copy", kMinuteMs).size(), 1u);
  m.SetGroups({}, kMinuteMs + 1000);
  EXPECT_TRUE(QueryVector(storage_, "copy", kMinuteMs + 1000).empty());
  EXPECT_EQ(m.NumGroups(), 0u);
}

TEST_F(ManagerTest, RestartContinuesFiringAlertsAndShiftsPendingTimersByTheDowntime) {
  const std::string path = dir_.path().string() + "/alerts.json";
  int64_t saved_at = 0;
  Alert firing_before;
  {
    Manager m(ManagerOptions{}, storage_);
    m.SetGroups({MakeGroup("api", {AlertSpec("ApiDown", "up == 0", 30min),
                                   AlertSpec("ApiDownNow", "up == 0")})},
                0);
    RunUntil(m, 10 * kMinuteMs, 0);
    saved_at = 10 * kMinuteMs;
    ASSERT_TRUE(m.SaveState(path, saved_at).ok());
    firing_before = m.Snapshot()[0].rules[1].alerts.at(0);
    ASSERT_EQ(firing_before.state, AlertState::kFiring);
  }
  const int64_t restart = saved_at + 5 * kMinuteMs;
  Manager m(ManagerOptions{}, storage_);
  m.SetGroups({MakeGroup("api", {AlertSpec("ApiDown", "up == 0", 30min),
                                 AlertSpec("ApiDownNow", "up == 0")})},
              restart);
  ASSERT_TRUE(m.RestoreState(path, restart).ok());
  auto rules = m.Snapshot()[0].rules;
  ASSERT_EQ(rules[0].alerts.size(), 1u);
  const int64_t pending_since_before = rules[0].alerts[0].active_at_ms;
  EXPECT_EQ(rules[0].alerts[0].state, AlertState::kPending);
  ASSERT_EQ(rules[1].alerts.size(), 1u);
  EXPECT_EQ(rules[1].alerts[0].state, AlertState::kFiring);
  EXPECT_EQ(rules[1].alerts[0].fired_at_ms, firing_before.fired_at_ms)
      << "startsAt is kept across the restart";
  // The pending alert had about 9 minutes of its 30: the 5 minutes of downtime do not count.
  EXPECT_GE(pending_since_before, 5 * kMinuteMs);
  EXPECT_LE(pending_since_before, 6 * kMinuteMs + 1);
}

TEST_F(ManagerTest, StateOlderThanTheOutageToleranceIsNotRestored) {
  const std::string path = dir_.path().string() + "/alerts.json";
  {
    Manager m(ManagerOptions{}, storage_);
    m.SetGroups({MakeGroup("api", {AlertSpec("ApiDown", "up == 0", 30min)})}, 0);
    RunUntil(m, 5 * kMinuteMs, 0);
    ASSERT_TRUE(m.SaveState(path, 5 * kMinuteMs).ok());
  }
  Manager m(ManagerOptions{}, storage_);
  m.SetGroups({MakeGroup("api", {AlertSpec("ApiDown", "up == 0", 30min)})}, 0);
  ASSERT_TRUE(m.RestoreState(path, 5 * kMinuteMs + 61 * kMinuteMs).ok());
  EXPECT_TRUE(m.Snapshot()[0].rules[0].alerts.empty());
}

TEST_F(ManagerTest, MalformedStateFileIsAClearErrorAndAMissingOneIsFine) {
  Manager m(ManagerOptions{}, storage_);
  EXPECT_TRUE(m.RestoreState(dir_.path().string() + "/missing.json", 0).ok());
  const std::string path = dir_.path().string() + "/bad.json";
  std::ofstream(path) << "{\"version\": 1, \"saved_at_ms\": ";
  core::Status st = m.RestoreState(path, 0);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("bad.json: malformed alert state"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace smoke::ruler
