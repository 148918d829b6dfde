// The self-scraper: our own registry's text becomes series the rule engine can query, with the
// timestamps, staleness markers and target labels a Prometheus scrape would give them.

#include "exporter/tsdb/self_scraper.h"

#include <gtest/gtest.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <bit>
#include <chrono>
#include <string>
#include <vector>

#include "exporter/promql/engine.h"
#include "exporter/promql/parser.h"
#include "exporter/promql/storage.h"

namespace smoke::tsdb {
namespace {

using promql::Labels;
using std::chrono::seconds;

int64_t Ms(const core::ManualClock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

// The points of the one series with these labels.
std::vector<promql::Point> Points(const MemoryStorage& db, const Labels& labels) {
  std::vector<promql::LabelMatcher> matchers;
  for (const auto& l : labels) {
    matchers.push_back(*promql::LabelMatcher::Create(promql::MatchType::kEqual, l.name, l.value));
  }
  for (const auto& s : db.Select(matchers, INT64_MIN, INT64_MAX)) {
    if (s.labels == labels) return s.points;
  }
  return {};
}

class SelfScraperTest : public ::testing::Test {
 protected:
  SelfScraper Scraper(Labels target = {}) {
    return SelfScraper([this]() -> core::Result<std::string> { return text_; }, db_, clock_,
                       std::move(target));
  }

  std::string text_;
  MemoryStorage db_;
  core::ManualClock clock_;
};

TEST_F(SelfScraperTest, AppendsEverySampleAtTheScrapeTime) {
  text_ =
      "# TYPE up gauge\nup{probe=\"api\"} 1\nup{probe=\"db\"} 0\n"
      "# TYPE smoke_attempts_total counter\nsmoke_attempts_total 7\n";
  SelfScraper scraper = Scraper();
  auto r = scraper.ScrapeOnce();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->samples, 3u);
  EXPECT_EQ(r->series_added, 3u);
  EXPECT_EQ(r->stale_markers, 0u);
  EXPECT_EQ(r->rejected, 0u);
  const int64_t t0 = Ms(clock_);
  auto p = Points(db_, Labels{{"__name__", "up"}, {"probe", "db"}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].t, t0);
  EXPECT_EQ(p[0].v, 0);

  clock_.Advance(seconds(15));
  r = scraper.ScrapeOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->samples, 3u);
  EXPECT_EQ(r->series_added, 0u);
  EXPECT_EQ(Points(db_, Labels{{"__name__", "smoke_attempts_total"}}).back().t, t0 + 15'000);
}

TEST_F(SelfScraperTest, ScrapesAtAGivenSlotTime) {
  SelfScraper scraper = Scraper();
  text_ = "a 1\nb 1\n";
  ASSERT_TRUE(scraper.ScrapeOnce(60'000).ok());
  text_ = "a 2\n";
  auto r = scraper.ScrapeOnce(75'000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Points(db_, Labels{{"__name__", "a"}}).back().t, 75'000);
  auto b = Points(db_, Labels{{"__name__", "b"}});
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[1].t, 75'000);  // the marker is stamped with the slot too
  EXPECT_TRUE(promql::IsStaleNaN(b[1].v));
}

TEST_F(SelfScraperTest, MarksSeriesThatDisappearStaleOnce) {
  SelfScraper scraper = Scraper();
  text_ = "a 1\nb 2\n";
  ASSERT_TRUE(scraper.ScrapeOnce().ok());
  clock_.Advance(seconds(15));
  text_ = "a 1\n";
  auto r = scraper.ScrapeOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stale_markers, 1u);
  const int64_t t1 = Ms(clock_);
  auto b = Points(db_, Labels{{"__name__", "b"}});
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[1].t, t1);
  EXPECT_EQ(std::bit_cast<uint64_t>(b[1].v), promql::kStaleNaNBits);

  clock_.Advance(seconds(15));
  r = scraper.ScrapeOnce();  // still gone: no second marker
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stale_markers, 0u);
  EXPECT_EQ(Points(db_, Labels{{"__name__", "b"}}).size(), 2u);

  clock_.Advance(seconds(15));
  text_ = "a 1\nb 3\n";  // and back
  r = scraper.ScrapeOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->series_added, 1u);
  EXPECT_EQ(Points(db_, Labels{{"__name__", "b"}}).back().v, 3);
}

TEST_F(SelfScraperTest, HonoursExplicitTimestampsAndDoesNotMarkThoseSeriesStale) {
  SelfScraper scraper = Scraper();
  text_ = "with_ts 5 1000\nplain 1\n";
  ASSERT_TRUE(scraper.ScrapeOnce().ok());
  auto p = Points(db_, Labels{{"__name__", "with_ts"}});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].t, 1000);
  clock_.Advance(seconds(15));
  text_ = "";
  auto r = scraper.ScrapeOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stale_markers, 1u);  // plain only
  EXPECT_EQ(Points(db_, Labels{{"__name__", "with_ts"}}).size(), 1u);
}

TEST_F(SelfScraperTest, AParseErrorAppendsNothingAndIsReturned) {
  SelfScraper scraper = Scraper();
  text_ = "a 1\nb 2\n";
  ASSERT_TRUE(scraper.ScrapeOnce().ok());
  const size_t before = db_.NumSamples();
  clock_.Advance(seconds(15));
  text_ = "a 2\nb{x=} 3\n";
  auto r = scraper.ScrapeOnce();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "self-scrape: line 2, column 5: expected '\"' to open the label value, got \"}\"");
  EXPECT_EQ(db_.NumSamples(), before);  // neither "a 2" nor staleness markers
  // The next good scrape is compared with the last good one: b went missing, a did not.
  clock_.Advance(seconds(15));
  text_ = "a 3\n";
  auto ok = scraper.ScrapeOnce();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->stale_markers, 1u);
  EXPECT_EQ(ok->series_added, 0u);
}

TEST_F(SelfScraperTest, AnExpositionErrorIsReturned) {
  SelfScraper scraper(
      []() -> core::Result<std::string> { return core::Status::Error("collect failed"); }, db_,
      clock_);
  auto r = scraper.ScrapeOnce();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "self-scrape: collect failed");
  EXPECT_EQ(db_.NumSeries(), 0u);
}

TEST_F(SelfScraperTest, CountsRejectedSamples) {
  SelfScraper scraper = Scraper();
  text_ = "a 1 5000\n";
  ASSERT_TRUE(scraper.ScrapeOnce().ok());
  // An older explicit timestamp, and the same series twice with different values.
  text_ = "a 1 4000\nb 1\nb 2\n";
  auto r = scraper.ScrapeOnce();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->samples, 1u);
  EXPECT_EQ(r->rejected, 2u);
  EXPECT_EQ(db_.Stats().out_of_order_total, 1u);
  EXPECT_EQ(db_.Stats().duplicate_total, 1u);
}

TEST_F(SelfScraperTest, AddsTargetLabelsAndKeepsClashingOnesAsExported) {
  SelfScraper scraper = Scraper(Labels{{"job", "smoke"}, {"instance", "localhost:9117"}});
  text_ = "up{job=\"api\"} 1\n";
  ASSERT_TRUE(scraper.ScrapeOnce().ok());
  EXPECT_EQ(Points(db_, Labels{{"__name__", "up"},
                               {"exported_job", "api"},
                               {"instance", "localhost:9117"},
                               {"job", "smoke"}})
                .size(),
            1u);
}

// What a rule sees: a gauge removed from the registry vanishes from instant queries right at the
// next scrape (staleness), not five minutes later.
TEST_F(SelfScraperTest, TheEngineSeesRegistrySeriesAndTheirStaleness) {
  prometheus::Registry registry;
  auto& family = prometheus::BuildGauge().Name("probe_success").Help("ok").Register(registry);
  family.Add({{"probe", "api"}}).Set(1);
  auto& db_gauge = family.Add({{"probe", "db"}});
  db_gauge.Set(0);
  SelfScraper scraper(
      [&registry]() -> core::Result<std::string> {
        return prometheus::TextSerializer().Serialize(registry.Collect());
      },
      db_, clock_);
  ASSERT_TRUE(scraper.ScrapeOnce().ok());
  auto expr = promql::ParseExpr("count(probe_success) + sum(probe_success)");
  ASSERT_TRUE(expr.ok());
  auto v = promql::EvalInstant(**expr, db_, Ms(clock_));
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(std::get<promql::Vector>(*v).size(), 1u);
  EXPECT_EQ(std::get<promql::Vector>(*v)[0].v, 3);  // 2 series, 1 up

  family.Remove(&db_gauge);
  clock_.Advance(seconds(15));
  ASSERT_TRUE(scraper.ScrapeOnce().ok());
  v = promql::EvalInstant(**expr, db_, Ms(clock_));
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(std::get<promql::Vector>(*v).size(), 1u);
  EXPECT_EQ(std::get<promql::Vector>(*v)[0].v, 2);  // only api left
}

}  // namespace
}  // namespace smoke::tsdb
