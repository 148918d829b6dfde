// RaiseOpenFileLimit: the soft limit ends at the hard limit and the result says what changed.

#include "exporter/core/open_file_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace smoke::core {
namespace {

TEST(OpenFileLimitTest, RaisesTheSoftLimitToTheHardLimit) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  // Start from a low soft limit, as on most systems (1024).
  const rlim_t low = limit.rlim_max < 256 ? limit.rlim_max : 256;
  rlimit lowered = limit;
  lowered.rlim_cur = low;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);

  const OpenFileLimit raised = RaiseOpenFileLimit();
  EXPECT_EQ(raised.before, low);
  EXPECT_EQ(raised.now, limit.rlim_max);
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(limit.rlim_cur, limit.rlim_max);

  const OpenFileLimit again = RaiseOpenFileLimit();
  EXPECT_EQ(again.before, again.now) << "already at the hard limit";
}

}  // namespace
}  // namespace smoke::core
