// MemoryStorage: what Select returns for every kind of matcher and time range, append ordering
// rules, atomic batches, retention, and the engine reading from it.

#include "exporter/tsdb/memory_storage.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "exporter/promql/engine.h"
#include "exporter/promql/parser.h"

namespace smoke::tsdb {
namespace {

using promql::LabelMatcher;
using promql::Labels;
using promql::MatchType;
using promql::Point;

LabelMatcher M(MatchType type, std::string name, std::string value) {
  auto m = LabelMatcher::Create(type, std::move(name), std::move(value));
  EXPECT_TRUE(m.ok());
  return *m;
}

std::vector<std::string> Names(const std::vector<promql::SeriesView>& series) {
  std::vector<std::string> out;
  for (const auto& s : series) out.push_back(s.labels.ToString());
  return out;
}

class MemoryStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        db_.Append(Labels{{"__name__", "up"}, {"job", "api"}, {"instance", "a"}}, 0, 1).ok());
    ASSERT_TRUE(
        db_.Append(Labels{{"__name__", "up"}, {"job", "api"}, {"instance", "b"}}, 0, 0).ok());
    ASSERT_TRUE(db_.Append(Labels{{"__name__", "up"}, {"job", "web"}}, 0, 1).ok());
    ASSERT_TRUE(db_.Append(Labels{{"__name__", "http_requests_total"}, {"job", "api"}}, 0, 5).ok());
    for (int64_t t = 60'000; t <= 600'000; t += 60'000) {
      ASSERT_TRUE(
          db_.Append(Labels{{"__name__", "up"}, {"job", "api"}, {"instance", "a"}}, t, 1).ok());
    }
  }

  MemoryStorage db_;
};

TEST_F(MemoryStorageTest, SelectsByEveryMatcherTypeSortedByLabels) {
  EXPECT_EQ(Names(db_.Select({M(MatchType::kEqual, "__name__", "up")}, 0, 1'000'000)),
            (std::vector<std::string>{"{__name__=\"up\", instance=\"a\", job=\"api\"}",
                                      "{__name__=\"up\", instance=\"b\", job=\"api\"}",
                                      "{__name__=\"up\", job=\"web\"}"}));
  EXPECT_EQ(
      db_.Select({M(MatchType::kEqual, "__name__", "up"), M(MatchType::kNotEqual, "job", "api")}, 0,
                 1'000'000)
          .size(),
      1u);
  EXPECT_EQ(db_.Select({M(MatchType::kRegexMatch, "__name__", "up|http_.*")}, 0, 1'000'000).size(),
            4u);
  EXPECT_EQ(db_.Select({M(MatchType::kRegexNoMatch, "job", "a.*"),
                        M(MatchType::kRegexMatch, "__name__", ".+")},
                       0, 1'000'000)
                .size(),
            1u);
  EXPECT_TRUE(db_.Select({M(MatchType::kEqual, "__name__", "nope")}, 0, 1'000'000).empty());
}

TEST_F(MemoryStorageTest, AMissingLabelMatchesTheEmptyString) {
  // instance="" selects the series without an instance label.
  auto s = db_.Select(
      {M(MatchType::kEqual, "__name__", "up"), M(MatchType::kEqual, "instance", "")}, 0, 1'000'000);
  EXPECT_EQ(Names(s), (std::vector<std::string>{"{__name__=\"up\", job=\"web\"}"}));
  s = db_.Select(
      {M(MatchType::kEqual, "__name__", "up"), M(MatchType::kRegexMatch, "instance", "b|")}, 0,
      1'000'000);
  EXPECT_EQ(s.size(), 2u);
  s = db_.Select({M(MatchType::kNotEqual, "instance", "")}, 0, 1'000'000);
  EXPECT_EQ(s.size(), 2u);
}

TEST_F(MemoryStorageTest, ReturnsOnlySamplesInTheInclusiveTimeRange) {
  auto s = db_.Select({M(MatchType::kEqual, "instance", "a")}, 120'000, 300'000);
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(s[0].points.size(), 4u);
  EXPECT_EQ(s[0].points.front().t, 120'000);
  EXPECT_EQ(s[0].points.back().t, 300'000);
  // Series without samples in the range are left out.
  EXPECT_EQ(db_.Select({M(MatchType::kEqual, "__name__", "up")}, 60'000, 1'000'000).size(), 1u);
}

TEST_F(MemoryStorageTest, RejectsOutOfOrderAndConflictingSamples) {
  const Labels l{{"__name__", "up"}, {"job", "api"}, {"instance", "a"}};
  EXPECT_EQ(db_.Append(l, 60'000, 1).message(), "out of order sample");
  EXPECT_EQ(db_.Append(l, 600'000, 2).message(), "duplicate sample for timestamp");
  EXPECT_TRUE(db_.Append(l, 600'000, 1).ok());
  EXPECT_FALSE(db_.Append(Labels(), 0, 1).ok());
  EXPECT_EQ(db_.NumSamples(), 14u);
}

TEST_F(MemoryStorageTest, KeepsStalenessMarkers) {
  const Labels l{{"__name__", "up"}, {"job", "web"}};
  ASSERT_TRUE(db_.Append(l, 60'000, promql::StaleNaN()).ok());
  auto s = db_.Select({M(MatchType::kEqual, "job", "web")}, 0, 1'000'000);
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(s[0].points.size(), 2u);
  EXPECT_TRUE(promql::IsStaleNaN(s[0].points[1].v));
}

TEST_F(MemoryStorageTest, BatchAppendCountsRejectedSamples) {
  promql::Vector batch = {
      {Labels{{"__name__", "x"}}, 0, 1},
      {Labels{{"__name__", "x"}}, 1'000, 2},
      {Labels{{"__name__", "x"}}, 500, 3},    // out of order
      {Labels{{"__name__", "x"}}, 1'000, 4},  // duplicate
      {Labels(), 0, 1},                       // invalid
  };
  const MemoryStorage::BatchResult r = db_.Append(batch);
  EXPECT_EQ(r.appended, 2u);
  EXPECT_EQ(r.out_of_order, 1u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.invalid, 1u);
}

TEST_F(MemoryStorageTest, TruncateDropsOldChunksAndEmptySeries) {
  db_.Truncate(300'000);
  // Retention drops whole chunks: the series whose only chunk reaches past the bound keeps it
  // whole (11 samples), the three whose chunks end before it are gone.
  EXPECT_EQ(db_.NumSeries(), 1u);
  EXPECT_EQ(db_.NumSamples(), 11u);
  auto kept = db_.Select({M(MatchType::kEqual, "instance", "a")}, 300'000, 1'000'000);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].points.size(), 6u);
  EXPECT_EQ(kept[0].points.front().t, 300'000);
  EXPECT_TRUE(db_.Select({M(MatchType::kEqual, "job", "web")}, 0, 1'000'000).empty());
  // The index still works after compaction, and new series get consistent ids.
  ASSERT_TRUE(db_.Append(Labels{{"__name__", "new"}, {"job", "web"}}, 700'000, 1).ok());
  EXPECT_EQ(db_.Select({M(MatchType::kEqual, "job", "web")}, 0, 1'000'000).size(), 1u);
  EXPECT_EQ(db_.Select({M(MatchType::kEqual, "job", "api")}, 0, 1'000'000).size(), 1u);
}

// Select must agree with a plain filter over every series for random data and matchers.
TEST(MemoryStorageRandomTest, SelectAgreesWithAFullScan) {
  MemoryStorage db;
  std::mt19937 rng(42);
  const std::vector<std::string> values = {"a", "b", "c", ""};
  std::vector<std::pair<Labels, std::vector<Point>>> all;
  for (int i = 0; i < 200; ++i) {
    std::vector<promql::Label> l = {{"__name__", "m" + std::to_string(rng() % 3)}};
    for (const char* name : {"x", "y", "z"}) l.push_back({name, values[rng() % values.size()]});
    Labels labels(l);
    bool exists = false;
    for (const auto& [seen, points] : all) exists = exists || seen == labels;
    if (exists) continue;
    std::vector<Point> points;
    for (int64_t t = static_cast<int64_t>(rng() % 5); t < 20;
         t += 1 + static_cast<int64_t>(rng() % 4)) {
      points.push_back({t * 1000, static_cast<double>(t)});
      ASSERT_TRUE(db.Append(labels, t * 1000, static_cast<double>(t)).ok());
    }
    all.emplace_back(labels, points);
  }
  const std::vector<MatchType> types = {MatchType::kEqual, MatchType::kNotEqual,
                                        MatchType::kRegexMatch, MatchType::kRegexNoMatch};
  const std::vector<std::string> patterns = {"a", "b", "", "a|b", ".*", ".+", "m1", "m[01]"};
  for (int round = 0; round < 300; ++round) {
    std::vector<LabelMatcher> matchers;
    const int n = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < n; ++k) {
      const char* names[] = {"__name__", "x", "y", "z", "absent"};
      matchers.push_back(
          M(types[rng() % types.size()], names[rng() % 5], patterns[rng() % patterns.size()]));
    }
    const int64_t mint = static_cast<int64_t>(rng() % 20) * 1000;
    const int64_t maxt = mint + static_cast<int64_t>(rng() % 10) * 1000;
    std::vector<std::string> want;
    for (const auto& [labels, points] : all) {
      if (!promql::MatchesAll(matchers, labels)) continue;
      bool any = false;
      for (const Point& p : points) any = any || (p.t >= mint && p.t <= maxt);
      if (any) want.push_back(labels.ToString());
    }
    std::sort(want.begin(), want.end());
    std::vector<std::string> got = Names(db.Select(matchers, mint, maxt));
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got, want) << "round " << round;
  }
}

TEST(MemoryStorageConcurrencyTest, ReadersSeeWholeBatches) {
  MemoryStorage db;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int64_t t = 0; t < 2000; ++t) {
      promql::Vector batch = {{Labels{{"__name__", "a"}}, t, 1}, {Labels{{"__name__", "b"}}, t, 1}};
      db.Append(batch);
    }
    done = true;
  });
  auto name_re = M(MatchType::kRegexMatch, "__name__", "a|b");
  while (!done) {
    auto s = db.Select({name_re}, 0, 1'000'000);
    if (s.size() == 2)
      ASSERT_EQ(s[0].points.size(), s[1].points.size());
    else
      ASSERT_TRUE(s.empty());
  }
  writer.join();
}

TEST(MemoryStorageEngineTest, EngineReadsFromTheStore) {
  MemoryStorage db;
  for (int64_t i = 0; i <= 10; ++i) {
    ASSERT_TRUE(
        db.Append(Labels{{"__name__", "requests_total"}, {"job", "api"}}, i * 60'000, i * 10.0)
            .ok());
  }
  auto expr = promql::ParseExpr("sum by (job) (rate(requests_total[5m]))");
  ASSERT_TRUE(expr.ok());
  auto v = promql::EvalInstant(**expr, db, 600'000);
  ASSERT_TRUE(v.ok()) << v.status().message();
  const auto& vec = std::get<promql::Vector>(*v);
  ASSERT_EQ(vec.size(), 1u);
  EXPECT_EQ(vec[0].labels.ToString(), "{job=\"api\"}");
  EXPECT_DOUBLE_EQ(vec[0].v, 1.0 / 6);
}

}  // namespace
}  // namespace smoke::tsdb
