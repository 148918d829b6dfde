#include "exporter/scheduler/spread.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

namespace smoke::scheduler {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(SpreadTest, FirstRunOffsetIsStableAndBelowIntervalCappedAtFifteenSeconds) {
  std::set<core::Duration> distinct;
  for (int i = 0; i < 200; ++i) {
    const std::string name = "probe-" + std::to_string(i);
    const core::Duration long_interval = FirstRunOffset(name, std::chrono::minutes(5));
    EXPECT_GE(long_interval, core::Duration::zero());
    EXPECT_LT(long_interval, kMaxFirstRunOffset) << name;
    const core::Duration short_interval = FirstRunOffset(name, seconds(2));
    EXPECT_LT(short_interval, seconds(2)) << name;
    EXPECT_EQ(FirstRunOffset(name, std::chrono::minutes(5)), long_interval);  // stable
    distinct.insert(long_interval);
  }
  // 200 probes do not all fire in the same instant.
  EXPECT_GT(distinct.size(), 190u);
}

TEST(SpreadTest, JitterIsWithinFractionOfInterval) {
  Jitter jitter(0.1, /*seed=*/7);
  core::Duration max = core::Duration::zero();
  for (int i = 0; i < 1000; ++i) {
    const core::Duration d = jitter.Next(seconds(10));
    EXPECT_GE(d, core::Duration::zero());
    EXPECT_LT(d, seconds(1));
    max = std::max(max, d);
  }
  EXPECT_GT(max, milliseconds(900));  // the whole range is used
}

TEST(SpreadTest, ZeroOrInvalidJitterIsZero) {
  for (double fraction : {0.0, -1.0, std::nan("")}) {
    Jitter jitter(fraction, /*seed=*/7);
    EXPECT_EQ(jitter.Next(seconds(10)), core::Duration::zero()) << fraction;
  }
}

TEST(SpreadTest, SameSeedGivesSameJitter) {
  Jitter a(0.5, 99), b(0.5, 99);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.Next(seconds(60)), b.Next(seconds(60)));
}

}  // namespace
}  // namespace smoke::scheduler
