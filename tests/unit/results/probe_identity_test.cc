#include "exporter/results/probe_identity.h"

#include <gtest/gtest.h>

namespace smoke::results {
namespace {

TEST(RedactTargetTest, StripsUserinfoQueryAndFragment) {
  EXPECT_EQ(RedactTarget("https://user:pw@host:8443/path?token=x#f"), "https://host:8443/path");
  EXPECT_EQ(RedactTarget("http://host/a?b=c"), "http://host/a");
  EXPECT_EQ(RedactTarget("http://u@host"), "http://host");
  EXPECT_EQ(RedactTarget("127.0.0.1:6379"), "127.0.0.1:6379");
  EXPECT_EQ(RedactTarget("http://host/p@x"), "http://host/p@x");
}

}  // namespace
}  // namespace smoke::results
