// The arithmetic of a burst report: nearest-rank percentiles as hey and wrk report them, and the
// shares and rates derived from counts.

#include "exporter/probes/burst_stats.h"

#include <gtest/gtest.h>

#include <vector>

namespace smoke::probes {
namespace {

TEST(BurstStatsTest, NearestRankPercentiles) {
  struct Case {
    std::vector<double> values;
    double q;
    double want;
  };
  const Case cases[] = {
      {{}, 0.5, 0},
      {{7}, 0.99, 7},
      {{1, 2, 3, 4}, 0.5, 2},     // ceil(0.5 * 4) = 2nd
      {{4, 3, 2, 1}, 0.5, 2},     // order of arrival does not matter
      {{1, 2, 3, 4, 5}, 0.5, 3},  // ceil(2.5) = 3rd
      {{1, 2, 3, 4, 5}, 0.95, 5},
      {{1, 2, 3, 4, 5}, 1.0, 5},
  };
  for (const Case& c : cases) {
    std::vector<double> v = c.values;
    EXPECT_DOUBLE_EQ(NearestRankPercentile(v, c.q), c.want) << c.q;
  }
  // 100 samples 1..100: p95 is the 95th, p99 the 99th; one slow outlier moves only p99/max.
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  hundred.back() = 1000;
  std::vector<double> v = hundred;
  EXPECT_DOUBLE_EQ(NearestRankPercentile(v, 0.95), 95);
  EXPECT_DOUBLE_EQ(NearestRankPercentile(v, 0.99), 99);
}

TEST(BurstStatsTest, SummarizesCountsIntoRatesAndShares) {
  const BurstStats s = SummarizeBurst({0.010, 0.020, 0.030, 0.040}, /*requests=*/5,
                                      /*successes=*/3, /*wall_seconds=*/0.5);
  EXPECT_EQ(s.requests, 5);
  EXPECT_EQ(s.responses, 4);
  EXPECT_EQ(s.successes, 3);
  EXPECT_EQ(s.errors, 2);  // one transport failure, one unexpected status
  EXPECT_DOUBLE_EQ(s.p50, 0.020);
  EXPECT_DOUBLE_EQ(s.p99, 0.040);
  EXPECT_DOUBLE_EQ(s.max, 0.040);
  EXPECT_DOUBLE_EQ(s.mean, 0.025);
  EXPECT_DOUBLE_EQ(s.error_rate, 0.4);
  EXPECT_DOUBLE_EQ(s.success_rate, 0.6);
  EXPECT_DOUBLE_EQ(s.throughput, 6);  // successes per second
}

TEST(BurstStatsTest, NothingAnsweredLeavesLatenciesAtZero) {
  const BurstStats s = SummarizeBurst({}, 3, 0, 0.2);
  EXPECT_EQ(s.responses, 0);
  EXPECT_EQ(s.p50, 0);
  EXPECT_EQ(s.mean, 0);
  EXPECT_DOUBLE_EQ(s.error_rate, 1);
  EXPECT_EQ(s.throughput, 0);
  const BurstStats none = SummarizeBurst({}, 0, 0, 0);
  EXPECT_EQ(none.error_rate, 0);
  EXPECT_EQ(none.throughput, 0);
}

}  // namespace
}  // namespace smoke::probes
