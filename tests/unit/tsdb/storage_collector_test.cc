// The TSDB's own metrics, as /metrics shows them: collected, serialised, and read back with the
// exposition parser.

#include "exporter/tsdb/storage_collector.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <filesystem>
#include <map>
#include <string>

#include "exporter/tsdb/exposition_parser.h"
#include "tests/support/temp_dir.h"

namespace smoke::tsdb {
namespace {

using promql::Labels;

struct Scraped {
  std::map<std::string, double> values;      // by metric name
  std::map<std::string, std::string> types;  // by family
  std::map<std::string, std::string> helps;
};

Scraped Scrape(const StorageCollector& collector) {
  auto parsed = ParseTextExposition(prometheus::TextSerializer().Serialize(collector.Collect()));
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  Scraped out;
  if (!parsed.ok()) return out;
  for (const auto& s : parsed->samples) {
    out.values[std::string(s.labels.Get("__name__"))] = s.value;
  }
  for (const auto& f : parsed->families) {
    out.types[f.name] = f.type;
    out.helps[f.name] = f.help;
  }
  return out;
}

TEST(StorageCollectorTest, ExportsSizeRejectionsAndSnapshotOutcome) {
  MemoryStorage db;
  for (int64_t t = 0; t < 130; ++t)
    ASSERT_TRUE(db.Append(Labels{{"__name__", "a"}}, t * 15'000, 1).ok());
  ASSERT_TRUE(db.Append(Labels{{"__name__", "b"}}, 0, 1).ok());
  EXPECT_FALSE(db.Append(Labels{{"__name__", "a"}}, 0, 1).ok());  // out of order
  EXPECT_FALSE(db.Append(Labels{{"__name__", "a"}}, 1, 1).ok());

  testing::TempDir dir;
  core::ManualClock clock;
  Snapshotter snapshotter(db, (dir.path() / "snap" / "tsdb.snapshot").string(), clock);
  EXPECT_FALSE(snapshotter.Write().ok());  // the directory does not exist yet
  std::filesystem::create_directory(dir.path() / "snap");
  ASSERT_TRUE(snapshotter.Write().ok());

  StorageCollector collector(db, &snapshotter);
  const Scraped got = Scrape(collector);
  const StorageStats st = db.Stats();
  EXPECT_EQ(got.values.at("smoke_tsdb_head_series"), 2);
  EXPECT_EQ(got.values.at("smoke_tsdb_head_samples"), 131);
  EXPECT_EQ(got.values.at("smoke_tsdb_chunk_bytes"), static_cast<double>(st.chunk_bytes));
  EXPECT_NEAR(got.values.at("smoke_tsdb_bytes_per_sample"), st.chunk_bytes / 131.0, 1e-9);
  EXPECT_EQ(got.values.at("smoke_tsdb_out_of_order_samples_total"), 2);
  EXPECT_EQ(got.values.at("smoke_tsdb_snapshot_last_success_timestamp_seconds"),
            core::ToUnixSeconds(clock.Now()));
  EXPECT_EQ(got.values.at("smoke_tsdb_snapshot_failures_total"), 1);

  EXPECT_EQ(got.types.at("smoke_tsdb_out_of_order_samples_total"), "counter");
  EXPECT_EQ(got.types.at("smoke_tsdb_snapshot_failures_total"), "counter");
  EXPECT_EQ(got.types.at("smoke_tsdb_bytes_per_sample"), "gauge");
  EXPECT_EQ(got.helps.size(), 7u);
  for (const auto& [name, help] : got.helps) EXPECT_FALSE(help.empty()) << name;
}

TEST(StorageCollectorTest, LeavesOutSnapshotMetricsWithoutASnapshotter) {
  MemoryStorage db;
  const Scraped got = Scrape(StorageCollector(db));
  EXPECT_EQ(got.values.at("smoke_tsdb_head_series"), 0);
  EXPECT_EQ(got.values.at("smoke_tsdb_bytes_per_sample"), 0);
  EXPECT_EQ(got.values.count("smoke_tsdb_snapshot_failures_total"), 0u);
  EXPECT_EQ(got.values.size(), 5u);
}

}  // namespace
}  // namespace smoke::tsdb
