// Golden tests for the humanize* template functions (Prometheus 2.42 template/template.go). The
// expected strings were produced by Go 1.19 running Prometheus's own formatting code on the same
// values: SI and binary prefixes with %.4g, durations from integer seconds, Go's int64
// conversion of huge durations, and UTC timestamps with millisecond precision.

#include "exporter/ruler/humanize.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace smoke::ruler {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(HumanizeTest, NumbersDurationsAndPercentagesMatchPrometheus) {
  struct Case {
    double v;
    std::string humanize, humanize1024, duration, percentage;
  };
  const std::vector<Case> cases = {
      {0, "0", "0", "0s", "0%"},
      {-0.0, "-0", "-0", "-0s", "-0%"},
      {kNaN, "NaN", "NaN", "NaN", "NaN%"},
      {kInf, "+Inf", "+Inf", "+Inf", "+Inf%"},
      {-kInf, "-Inf", "-Inf", "-Inf", "-Inf%"},
      {1, "1", "1", "1s", "100%"},
      {-1, "-1", "-1", "-1s", "-100%"},
      {0.5, "500m", "0.5", "500ms", "50%"},
      {999.9, "999.9", "999.9", "16m 39s", "9.999e+04%"},
      {999.95, "1000", "1000", "16m 39s", "1e+05%"},
      {1000, "1k", "1000", "16m 40s", "1e+05%"},
      {1234, "1.234k", "1.205ki", "20m 34s", "1.234e+05%"},
      {123456, "123.5k", "120.6ki", "1d 10h 17m 36s", "1.235e+07%"},
      {1e+06, "1M", "976.6ki", "11d 13h 46m 40s", "1e+08%"},
      {-1.234567e+06, "-1.235M", "-1.177Mi", "-14d 6h 56m 7s", "-1.235e+08%"},
      {1e-07, "100n", "1e-07", "100ns", "1e-05%"},
      {0.00123, "1.23m", "0.00123", "1.23ms", "0.123%"},
      {1e+21, "1Z", "867.4Ei", "-106751991167300d -15h -30m -8s", "1e+23%"},
      {1e+30, "1e+06Y", "8.272e+05Yi", "-106751991167300d -15h -30m -8s", "1e+32%"},
      {1e-30, "1e-06y", "1e-30", "1e-06ys", "1e-28%"},
      {1024, "1.024k", "1ki", "17m 4s", "1.024e+05%"},
      {1536, "1.536k", "1.5ki", "25m 36s", "1.536e+05%"},
      {1.073741824e+09, "1.074G", "1Gi", "12427d 13h 37m 4s", "1.074e+11%"},
      {-2048, "-2.048k", "-2ki", "-34m 8s", "-2.048e+05%"},
      {59.999, "60", "60", "60s", "6000%"},
      {60, "60", "60", "1m 0s", "6000%"},
      {61.5, "61.5", "61.5", "1m 1s", "6150%"},
      {3600, "3.6k", "3.516ki", "1h 0m 0s", "3.6e+05%"},
      {86399.9, "86.4k", "84.37ki", "23h 59m 59s", "8.64e+06%"},
      {86400, "86.4k", "84.38ki", "1d 0h 0m 0s", "8.64e+06%"},
      {90061.7, "90.06k", "87.95ki", "1d 1h 1m 1s", "9.006e+06%"},
      {-3700, "-3.7k", "-3.613ki", "-1h 1m 40s", "-3.7e+05%"},
      {0.0015, "1.5m", "0.0015", "1.5ms", "0.15%"},
      {3.1536e+10, "31.54G", "29.37Gi", "365000d 0h 0m 0s", "3.154e+12%"},
      {1e+19, "10E", "8.674Ei", "-106751991167300d -15h -30m -8s", "1e+21%"},
      {0.12345, "123.5m", "0.1235", "123.5ms", "12.35%"},
      {1.7e+09, "1.7G", "1.583Gi", "19675d 22h 13m 20s", "1.7e+11%"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Humanize(c.v), c.humanize) << "humanize " << c.v;
    EXPECT_EQ(Humanize1024(c.v), c.humanize1024) << "humanize1024 " << c.v;
    EXPECT_EQ(HumanizeDuration(c.v), c.duration) << "humanizeDuration " << c.v;
    EXPECT_EQ(HumanizePercentage(c.v), c.percentage) << "humanizePercentage " << c.v;
  }
}

TEST(HumanizeTest, TimestampsPrintAsGoTimeInUtcOrFailOnOverflow) {
  struct Case {
    double v;
    std::string want;
    std::string error;
  };
  const std::vector<Case> cases = {
      {0, "1970-01-01 00:00:00 +0000 UTC", ""},
      {1.5, "1970-01-01 00:00:01.5 +0000 UTC", ""},
      {-1.5, "1969-12-31 23:59:58.5 +0000 UTC", ""},
      {1.700000000123e+09, "2023-11-14 22:13:20.122 +0000 UTC", ""},
      {1e+09, "2001-09-09 01:46:40 +0000 UTC", ""},
      {9.2e+09, "2261-07-15 11:33:20 +0000 UTC", ""},
      {1e+10, "",
       "1e+10 cannot be represented as a nanoseconds timestamp since it overflows int64"},
      {-1e+10, "",
       "-1e+10 cannot be represented as a nanoseconds timestamp since it overflows int64"},
      {kNaN, "NaN", ""},
      {-kInf, "-Inf", ""},
  };
  for (const Case& c : cases) {
    core::Result<std::string> got = HumanizeTimestamp(c.v);
    if (c.error.empty()) {
      ASSERT_TRUE(got.ok()) << c.v << ": " << got.status().message();
      EXPECT_EQ(*got, c.want) << c.v;
    } else {
      ASSERT_FALSE(got.ok()) << c.v;
      EXPECT_EQ(got.status().message(), c.error);
    }
  }
}

TEST(HumanizeTest, FloatToTimeKeepsMillisecondsAndRejectsNaN) {
  core::Result<go::Time> t = FloatToTime(-1.5);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->sec, -2);
  EXPECT_EQ(t->nsec, 500000000);
  t = FloatToTime(1.0009);  // sub-millisecond digits are dropped
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->nsec, 0);
  EXPECT_EQ(FloatToTime(kNaN).status().message(), "value is NaN or Inf");
  EXPECT_EQ(FloatToTime(kInf).status().message(), "value is NaN or Inf");
}

TEST(HumanizeTest, GoInt64ConversionSaturatesLikeAmd64) {
  EXPECT_EQ(GoInt64(1.9), 1);
  EXPECT_EQ(GoInt64(-1.9), -1);
  EXPECT_EQ(GoInt64(1e19), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(GoInt64(kNaN), std::numeric_limits<int64_t>::min());
}

}  // namespace
}  // namespace smoke::ruler
