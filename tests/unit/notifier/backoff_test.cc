// The retry schedule of a failed batch, tested as a pure function (no waiting).

#include "exporter/notifier/backoff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <vector>

namespace smoke::notifier {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(BackoffDelayTest, DoublesFromInitialUpToTheCap) {
  const BackoffOptions options;  // defaults: 1s, x2, at most 30s
  struct Case {
    int failures;
    core::Duration want;
  };
  const std::vector<Case> cases = {
      {0, core::Duration::zero()},
      {-3, core::Duration::zero()},
      {1, seconds(1)},
      {2, seconds(2)},
      {3, seconds(4)},
      {5, seconds(16)},
      {6, seconds(30)},  // 32s is capped
      {7, seconds(30)},
      {1000, seconds(30)},
      {INT_MAX, seconds(30)},  // a very long outage neither overflows nor spins
  };
  for (const Case& c : cases) {
    EXPECT_EQ(BackoffDelay(c.failures, options), c.want) << "failures=" << c.failures;
  }
}

TEST(BackoffDelayTest, HonoursCustomSchedules) {
  struct Case {
    BackoffOptions options;
    int failures;
    core::Duration want;
  };
  const std::vector<Case> cases = {
      {{milliseconds(10), milliseconds(50), 3.0}, 1, milliseconds(10)},
      {{milliseconds(10), milliseconds(50), 3.0}, 2, milliseconds(30)},
      {{milliseconds(10), milliseconds(50), 3.0}, 3, milliseconds(50)},
      // A multiplier below 1 would shrink the wait: treated as 1 (constant).
      {{milliseconds(10), milliseconds(50), 0.5}, 4, milliseconds(10)},
      // initial above max: the cap wins.
      {{seconds(60), seconds(30), 2.0}, 1, seconds(30)},
      {{core::Duration::zero(), seconds(30), 2.0}, 5, core::Duration::zero()},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(BackoffDelay(c.failures, c.options), c.want) << "failures=" << c.failures;
  }
}

}  // namespace
}  // namespace smoke::notifier
