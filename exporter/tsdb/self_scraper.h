#pragma once
// Feeds the TSDB from our own metrics the way a Prometheus scrape loop would: it takes the text
// exposition the runtime serves on /metrics, parses it with Prometheus's rules
// (exposition_parser.h), and appends every sample at the scrape time, so that the embedded rules
// see the same series Prometheus would see.
//
// Like Prometheus's scrape loop:
//  - a sample with an explicit timestamp keeps it (honor_timestamps); such series are not tracked
//    for staleness;
//  - a series that was in the previous scrape and is missing from this one gets a staleness
//    marker (promql::StaleNaN) at this scrape's time;
//  - target labels (e.g. job, instance), if configured, are added to every series; a scraped label
//    of the same name is kept as exported_<name> (honor_labels: false).
// Unlike Prometheus, a scrape whose text does not parse appends nothing at all (Prometheus would
// mark every series stale): the error is returned, and the next good scrape is compared with the
// last good one. A scrape is appended as one batch, so queries never see half of it.
// There is no thread inside; the caller decides when to scrape.
// Thread-safety: ScrapeOnce may be called from any thread; calls are serialised.

#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"
#include "exporter/promql/labels.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::tsdb {

struct ScrapeResult {
  size_t samples = 0;        // scraped samples stored
  size_t series_added = 0;   // series not in the previous scrape
  size_t stale_markers = 0;  // staleness markers stored for series gone since then
  size_t rejected = 0;       // scraped samples refused: out of order or duplicate
};

class SelfScraper {
 public:
  using ExpositionFn = std::function<core::Result<std::string>()>;

  // `storage` and `clock` must outlive the scraper.
  SelfScraper(ExpositionFn exposition, MemoryStorage& storage,
              const core::Clock& clock = core::SystemClock::Default(),
              promql::Labels target_labels = {});

  // Scrapes at the clock's current time.
  core::Result<ScrapeResult> ScrapeOnce();
  // Scrapes with the scrape time `t_ms` (Unix ms), e.g. the evaluation slot the rules will query
  // at. Times should not go back between calls: markers and samples older than a series' newest
  // are refused.
  core::Result<ScrapeResult> ScrapeOnce(int64_t t_ms);

 private:
  promql::Labels WithTargetLabels(const promql::Labels& scraped) const;

  const ExpositionFn exposition_;
  MemoryStorage& storage_;
  const core::Clock& clock_;
  const promql::Labels target_labels_;

  std::mutex mu_;
  // Series of the last successful scrape, by Labels::Key(); the flag: tracked for staleness.
  std::unordered_map<std::string, std::pair<promql::Labels, bool>> previous_;
};

}  // namespace smoke::tsdb
