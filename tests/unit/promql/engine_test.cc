// The engine's API beyond what the evaluation scripts show: result types of instant queries
// (range vectors, strings, scalars), timestamps, range-query validation and shape, options
// (lookback, default subquery step, sample limit), and concurrent use.

#include "exporter/promql/engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "exporter/promql/parser.h"
#include "tests/unit/promql/script_runner.h"

namespace smoke::promql {
namespace {

using testing::TestStorage;

constexpr int64_t kMinute = 60'000;

ExprPtr MustParse(std::string_view input) {
  auto r = ParseExpr(input);
  EXPECT_TRUE(r.ok()) << input << ": " << r.status().message();
  return r.ok() ? std::move(r).value() : nullptr;
}

// x{a="1"} = 0, 10, 20, ... every minute; x{a="2"} = 1 at 0 only; y = 5 at 0 and a stale marker
// at 2m.
TestStorage Storage() {
  TestStorage s;
  std::vector<Point> points;
  for (int i = 0; i <= 10; ++i) points.push_back({i * kMinute, i * 10.0});
  s.Add(Labels{{"__name__", "x"}, {"a", "1"}}, points);
  s.Add(Labels{{"__name__", "x"}, {"a", "2"}}, {{0, 1}});
  s.Add(Labels{{"__name__", "y"}}, {{0, 5}, {2 * kMinute, StaleNaN()}});
  return s;
}

TEST(EngineTest, InstantVectorSamplesCarryTheEvaluationTime) {
  TestStorage s = Storage();
  auto v = EvalInstant(*MustParse("x"), s, 90'000);
  ASSERT_TRUE(v.ok()) << v.status().message();
  const auto& vec = std::get<Vector>(*v);
  ASSERT_EQ(vec.size(), 2u);
  for (const Sample& sample : vec) EXPECT_EQ(sample.t, 90'000);
  EXPECT_EQ(vec[0].labels.ToString(), "{__name__=\"x\", a=\"1\"}");
  EXPECT_EQ(vec[0].v, 10);
}

TEST(EngineTest, RangeSelectorAtTopLevelReturnsSamplesWithTheirTimestamps) {
  TestStorage s = Storage();
  auto v = EvalInstant(*MustParse("x{a=\"1\"}[3m]"), s, 10 * kMinute,
                       EvalOptions{.compatibility = Compatibility::kPrometheus2});
  ASSERT_TRUE(v.ok()) << v.status().message();
  const auto& m = std::get<Matrix>(*v);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].labels.Get("__name__"), "x");
  ASSERT_EQ(m[0].points.size(), 4u);  // 7m, 8m, 9m, 10m: closed window
  EXPECT_EQ(m[0].points.front().t, 7 * kMinute);
  EXPECT_EQ(m[0].points.back().v, 100);

  auto v3 = EvalInstant(*MustParse("x{a=\"1\"}[3m]"), s, 10 * kMinute);
  ASSERT_TRUE(v3.ok());
  EXPECT_EQ(std::get<Matrix>(*v3)[0].points.size(), 3u);  // left-open by default
}

TEST(EngineTest, SubqueryAtTopLevelReturnsStepAlignedPoints) {
  TestStorage s = Storage();
  auto v = EvalInstant(*MustParse("x{a=\"1\"}[2m:30s]"), s, 10 * kMinute);
  ASSERT_TRUE(v.ok()) << v.status().message();
  const auto& m = std::get<Matrix>(*v);
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].points.size(), 4u);  // 8m30s, 9m, 9m30s, 10m
  EXPECT_EQ(m[0].points[0].t, 8 * kMinute + 30'000);
  EXPECT_EQ(m[0].points[0].v, 80);
}

TEST(EngineTest, ScalarAndStringResults) {
  TestStorage s = Storage();
  auto scalar = EvalInstant(*MustParse("1 + time()"), s, 5'000);
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(std::get<Scalar>(*scalar).v, 6);
  EXPECT_EQ(std::get<Scalar>(*scalar).t, 5'000);
  auto str = EvalInstant(*MustParse("\"hello\""), s, 5'000);
  ASSERT_TRUE(str.ok());
  EXPECT_EQ(std::get<String>(*str).v, "hello");
}

TEST(EngineTest, LookbackDeltaIsAnOption) {
  TestStorage s = Storage();
  EvalOptions options;
  options.lookback_delta = std::chrono::minutes(1);
  auto v = EvalInstant(*MustParse("x{a=\"2\"}"), s, 59'000, options);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(std::get<Vector>(*v).size(), 1u);
  v = EvalInstant(*MustParse("x{a=\"2\"}"), s, 60'000, options);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(std::get<Vector>(*v).empty());
}

TEST(EngineTest, DefaultSubqueryStepIsTheEvaluationInterval) {
  TestStorage s = Storage();
  EvalOptions options;
  options.default_subquery_step = std::chrono::seconds(30);
  auto v = EvalInstant(*MustParse("count_over_time(x{a=\"1\"}[2m:])"), s, 10 * kMinute, options);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(std::get<Vector>(*v)[0].v, 4);
  v = EvalInstant(*MustParse("count_over_time(x{a=\"1\"}[2m:])"), s, 10 * kMinute);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(std::get<Vector>(*v)[0].v, 2);
}

TEST(EngineTest, TooManySamplesIsAnError) {
  TestStorage s = Storage();
  EvalOptions options;
  options.max_samples = 5;
  auto v = EvalInstant(*MustParse("sum_over_time(x[10m])"), s, 10 * kMinute, options);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(),
            "query processing would load too many samples into memory in query execution");
  options.max_samples = 100;
  EXPECT_TRUE(EvalInstant(*MustParse("sum_over_time(x[10m])"), s, 10 * kMinute, options).ok());
}

TEST(EngineTest, RangeQueryReturnsOneSeriesPerLabelSetSortedByLabels) {
  TestStorage s = Storage();
  auto m = EvalRange(*MustParse("x or y"), s, 0, 3 * kMinute, kMinute);
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->size(), 3u);
  EXPECT_EQ((*m)[0].labels.ToString(), "{__name__=\"x\", a=\"1\"}");
  EXPECT_EQ((*m)[0].points.size(), 4u);
  EXPECT_EQ((*m)[1].labels.ToString(), "{__name__=\"x\", a=\"2\"}");
  EXPECT_EQ((*m)[1].points.size(), 4u);  // the sample at 0 stays visible for 5m
  EXPECT_EQ((*m)[2].labels.ToString(), "{__name__=\"y\"}");
  EXPECT_EQ((*m)[2].points.size(), 2u);  // hidden by the stale marker at 2m
  EXPECT_EQ((*m)[2].points[1].t, kMinute);
}

TEST(EngineTest, RangeQueryOfAScalarIsOneSeriesWithoutLabels) {
  TestStorage s = Storage();
  auto m = EvalRange(*MustParse("time() * 2"), s, 0, 2 * kMinute, kMinute);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_TRUE((*m)[0].labels.empty());
  ASSERT_EQ((*m)[0].points.size(), 3u);
  EXPECT_EQ((*m)[0].points[2].v, 240);
}

TEST(EngineTest, RangeQueryRejectsRangeVectorsAndBadSteps) {
  TestStorage s = Storage();
  auto m = EvalRange(*MustParse("x[5m]"), s, 0, kMinute, kMinute);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(),
            "invalid expression type \"range vector\" for range query, must be Scalar or instant "
            "Vector");
  EXPECT_FALSE(EvalRange(*MustParse("x"), s, 0, kMinute, 0).ok());
  EXPECT_FALSE(EvalRange(*MustParse("x"), s, kMinute, 0, kMinute).ok());
}

TEST(EngineTest, RangeQueryEvaluatesStartAndEndAsTheRangeBounds) {
  TestStorage s = Storage();
  auto m = EvalRange(*MustParse("x{a=\"1\"} @ end() - x{a=\"1\"} @ start()"), s, kMinute,
                     4 * kMinute, kMinute);
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->size(), 1u);
  for (const Point& p : (*m)[0].points) EXPECT_EQ(p.v, 30);
}

TEST(EngineTest, ErrorsAreResultsNotExceptions) {
  TestStorage s = Storage();
  auto v = EvalInstant(*MustParse("label_replace(x, \"a\", \"same\", \"\", \"\")"), s, kMinute);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "vector cannot contain metrics with the same labelset");
}

TEST(EngineTest, ConcurrentEvaluationsOverOneStorage) {
  const TestStorage s = Storage();
  const ExprPtr expr = MustParse("sum by (a) (rate(x[5m])) * on(a) group_left count by (a) (x)");
  std::vector<std::thread> threads;
  std::vector<double> results(8);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      auto v = EvalInstant(*expr, s, 10 * kMinute);
      results[i] = v.ok() && !std::get<Vector>(*v).empty() ? std::get<Vector>(*v)[0].v : -1;
    });
  }
  for (std::thread& t : threads) t.join();
  for (double r : results) EXPECT_EQ(r, results[0]);
  EXPECT_GT(results[0], 0);
}

TEST(EngineTest, StaleNaNIsRecognisedByItsBitsOnly) {
  EXPECT_TRUE(IsStaleNaN(StaleNaN()));
  EXPECT_TRUE(std::isnan(StaleNaN()));
  EXPECT_FALSE(IsStaleNaN(std::nan("")));
  EXPECT_FALSE(IsStaleNaN(1.0));
}

}  // namespace
}  // namespace smoke::promql
