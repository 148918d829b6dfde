// MemoryStorage over compressed chunks: samples come back exactly across chunk boundaries,
// retention drops whole chunks, and a probe's series cost at most 2 bytes per sample.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "exporter/promql/storage.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::tsdb {
namespace {

using promql::LabelMatcher;
using promql::Labels;
using promql::MatchType;
using promql::Point;

LabelMatcher NameIs(const std::string& name) {
  return *LabelMatcher::Create(MatchType::kEqual, "__name__", name);
}

std::vector<Point> All(const MemoryStorage& db, const std::string& name, int64_t mint = INT64_MIN,
                       int64_t maxt = INT64_MAX) {
  auto s = db.Select({NameIs(name)}, mint, maxt);
  if (s.empty()) return {};
  EXPECT_EQ(s.size(), 1u);
  return s[0].points;
}

void ExpectSameBits(const std::vector<Point>& got, const std::vector<Point>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].t, want[i].t) << "sample " << i;
    ASSERT_EQ(std::bit_cast<uint64_t>(got[i].v), std::bit_cast<uint64_t>(want[i].v))
        << "sample " << i;
  }
}

TEST(CompressedStorageTest, RoundTripsAcrossChunkBoundariesAndRanges) {
  MemoryStorage db;
  std::mt19937_64 rng(3);
  std::vector<Point> want;
  int64_t t = 1'700'000'000'000;
  for (int i = 0; i < 1000; ++i) {
    t += 1 + static_cast<int64_t>(rng() % 30'000);
    const double v = i % 97 == 0 ? promql::StaleNaN() : static_cast<double>(rng() % 1000) / 3;
    want.push_back({t, v});
    ASSERT_TRUE(db.Append(Labels{{"__name__", "m"}}, t, v).ok());
  }
  ExpectSameBits(All(db, "m"), want);
  EXPECT_EQ(db.Stats().chunks, 9u);  // ceil(1000 / 120)
  // Random windows, many of them straddling chunk boundaries.
  for (int round = 0; round < 300; ++round) {
    const size_t a = rng() % want.size(), b = a + rng() % (want.size() - a);
    const int64_t mint = want[a].t - static_cast<int64_t>(rng() % 2);
    const int64_t maxt = want[b].t;
    std::vector<Point> expected;
    for (const Point& p : want) {
      if (p.t >= mint && p.t <= maxt) expected.push_back(p);
    }
    ExpectSameBits(All(db, "m", mint, maxt), expected);
  }
}

TEST(CompressedStorageTest, KeepsEdgeValuesBitExactly) {
  MemoryStorage db;
  const std::vector<double> values = {promql::StaleNaN(),
                                      std::bit_cast<double>(0x7ff8000000000001ULL),
                                      -0.0,
                                      0.0,
                                      HUGE_VAL,
                                      -HUGE_VAL,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::max(),
                                      promql::StaleNaN(),
                                      1.5};
  std::vector<Point> want;
  for (size_t i = 0; i < 300; ++i) {
    const Point p{static_cast<int64_t>(i) * 15'000, values[i % values.size()]};
    want.push_back(p);
    ASSERT_TRUE(db.Append(Labels{{"__name__", "edge"}}, p.t, p.v).ok());
  }
  const std::vector<Point> got = All(db, "edge");
  ExpectSameBits(got, want);
  EXPECT_TRUE(promql::IsStaleNaN(got[0].v));
  EXPECT_FALSE(promql::IsStaleNaN(got[1].v));
  EXPECT_TRUE(std::signbit(got[2].v));
}

TEST(CompressedStorageTest, HugeGapsAreFineAndGoingBackIsOutOfOrder) {
  MemoryStorage db;
  const Labels l{{"__name__", "gap"}};
  ASSERT_TRUE(db.Append(l, -5'000'000'000'000, 1).ok());
  ASSERT_TRUE(db.Append(l, 0, 2).ok());
  ASSERT_TRUE(db.Append(l, 9'000'000'000'000'000'000, 3).ok());
  EXPECT_EQ(db.Append(l, 8'999'999'999'999'999'999, 4).message(), "out of order sample");
  EXPECT_EQ(db.Append(l, 0, 4).message(), "out of order sample");
  ExpectSameBits(All(db, "gap"), {{-5'000'000'000'000, 1}, {0, 2}, {9'000'000'000'000'000'000, 3}});
  // A rejected sample after a full chunk must not open a new chunk.
  MemoryStorage full;
  for (int64_t t = 0; t < 120; ++t) ASSERT_TRUE(full.Append(l, t, 1).ok());
  EXPECT_FALSE(full.Append(l, 5, 1).ok());
  EXPECT_EQ(full.Stats().chunks, 1u);
  EXPECT_EQ(full.Stats().out_of_order_total, 1u);
}

TEST(CompressedStorageTest, StatsCountSeriesSamplesChunksAndRejections) {
  MemoryStorage db;
  EXPECT_EQ(db.Stats().bytes_per_sample, 0);
  for (int64_t t = 0; t < 250; ++t) {
    ASSERT_TRUE(db.Append(Labels{{"__name__", "a"}}, t * 1000, 1).ok());
  }
  ASSERT_TRUE(db.Append(Labels{{"__name__", "b"}}, 0, 1).ok());
  EXPECT_FALSE(db.Append(Labels{{"__name__", "b"}}, 0, 2).ok());
  const StorageStats st = db.Stats();
  EXPECT_EQ(st.series, 2u);
  EXPECT_EQ(st.samples, 251u);
  EXPECT_EQ(st.chunks, 4u);  // a: 120 + 120 + 10, b: 1
  EXPECT_GT(st.chunk_bytes, 0u);
  EXPECT_DOUBLE_EQ(st.bytes_per_sample, static_cast<double>(st.chunk_bytes) / 251);
  EXPECT_EQ(st.duplicate_total, 1u);
  EXPECT_EQ(st.out_of_order_total, 0u);
}

TEST(CompressedStorageTest, TruncateDropsWholeChunksOnly) {
  MemoryStorage db;
  const Labels l{{"__name__", "m"}};
  for (int64_t i = 0; i < 300; ++i) ASSERT_TRUE(db.Append(l, i * 1000, 1).ok());
  // Chunks hold [0,119], [120,239], [240,299] seconds. 150 s is inside the second chunk.
  db.Truncate(150'000);
  EXPECT_EQ(db.NumSamples(), 180u);
  EXPECT_EQ(db.Stats().chunks, 2u);
  EXPECT_EQ(All(db, "m").front().t, 120'000);  // the rest of the chunk stays until it all expires
  EXPECT_EQ(All(db, "m", 150'000).front().t, 150'000);
  db.Truncate(299'000);
  EXPECT_EQ(db.NumSamples(), 60u);
  db.Truncate(300'000);
  EXPECT_EQ(db.NumSeries(), 0u);
  EXPECT_EQ(db.NumSamples(), 0u);
  // The series can come back afterwards.
  ASSERT_TRUE(db.Append(l, 1'000, 2).ok());
  EXPECT_EQ(All(db, "m").size(), 1u);
}

// A day of one probe's series at a 15 s interval with +-1 ms of scheduling jitter.
struct ProbeSeriesCase {
  std::string name;
  double (*value)(int i, std::mt19937_64& rng);
};

class ProbeSeriesSizeTest : public ::testing::TestWithParam<ProbeSeriesCase> {};

TEST_P(ProbeSeriesSizeTest, CostsAtMostTwoBytesPerSample) {
  MemoryStorage db;
  std::mt19937_64 rng(11);
  const int64_t start = 1'700'000'000'000;
  for (int i = 0; i < 5760; ++i) {
    const int64_t jitter = static_cast<int64_t>(rng() % 3) - 1;
    ASSERT_TRUE(
        db.Append(Labels{{"__name__", "s"}}, start + i * 15'000 + jitter, GetParam().value(i, rng))
            .ok());
  }
  const StorageStats st = db.Stats();
  RecordProperty("bytes_per_sample", std::to_string(st.bytes_per_sample));
  EXPECT_LE(st.bytes_per_sample, 2.0) << GetParam().name << ": " << st.chunk_bytes << " bytes";
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ProbeSeriesSizeTest,
    ::testing::Values(
        // probe_success: up, with an outage now and then.
        ProbeSeriesCase{"ProbeSuccess",
                        [](int i, std::mt19937_64&) { return (i / 400) % 7 == 3 ? 0.0 : 1.0; }},
        // probe_http_status_code / certificate expiry: constant for hours.
        ProbeSeriesCase{"ConstantGauge",
                        [](int i, std::mt19937_64&) { return i < 3000 ? 200.0 : 503.0; }},
        // A slowly changing gauge: a value with two decimals that moves every few minutes.
        ProbeSeriesCase{"SlowGauge",
                        [](int i, std::mt19937_64&) { return 40.0 + ((i / 16) % 50) * 0.25; }},
        // smoke_probe_attempts_total: +1 per probe.
        ProbeSeriesCase{"AttemptsCounter", [](int i, std::mt19937_64&) { return 1000.0 + i; }},
        // A failures counter that moves now and then.
        ProbeSeriesCase{"FailuresCounter",
                        [](int i, std::mt19937_64& rng) {
                          static double total = 0;
                          if (i == 0) total = 0;
                          if (rng() % 20 == 0) total += 1;
                          return total;
                        }},
        // A histogram bucket counter: +0 or +1 per probe.
        ProbeSeriesCase{"BucketCounter",
                        [](int i, std::mt19937_64& rng) {
                          static double total = 0;
                          if (i == 0) total = 0;
                          total += static_cast<double>(rng() % 2);
                          return total;
                        }}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace smoke::tsdb
