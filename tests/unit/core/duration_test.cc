#include "exporter/core/duration.h"

#include <gtest/gtest.h>

namespace smoke::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(DurationTest, ParsesPrometheusDurations) {
  struct Case {
    const char* text;
    Duration want;
  } cases[] = {
      {"0", Duration(0)},         {"500ms", milliseconds(500)}, {"15s", seconds(15)},
      {"1m30s", seconds(90)},     {"2h", seconds(7200)},        {"1d", seconds(86400)},
      {"1w", seconds(604800)},    {"1h1m1s", seconds(3661)},
  };
  for (const Case& c : cases) {
    Result<Duration> got = ParseDuration(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().message();
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(DurationTest, RejectsMalformedDurationsWithTheInput) {
  for (const char* bad : {"", "15", "s", "1.5s", "1s1m", "1m1m", "-1s", "10 s", "1x"}) {
    Result<Duration> got = ParseDuration(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_NE(got.status().message().find(std::string("\"") + bad + "\""), std::string::npos);
  }
}

TEST(DurationTest, FormatsShortestForm) {
  EXPECT_EQ(FormatDuration(seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(Duration(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1s500ms");
  EXPECT_EQ(FormatDuration(std::chrono::microseconds(1500)), "1.5ms");
  EXPECT_EQ(FormatDuration(seconds(86400 + 3600)), "1d1h");
}

}  // namespace
}  // namespace smoke::core
