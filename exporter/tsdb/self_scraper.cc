#include "exporter/tsdb/self_scraper.h"

#include <chrono>

#include "exporter/promql/storage.h"
#include "exporter/tsdb/exposition_parser.h"

namespace smoke::tsdb {

SelfScraper::SelfScraper(ExpositionFn exposition, MemoryStorage& storage, const core::Clock& clock,
                         promql::Labels target_labels)
    : exposition_(std::move(exposition)),
      storage_(storage),
      clock_(clock),
      target_labels_(std::move(target_labels)) {}

promql::Labels SelfScraper::WithTargetLabels(const promql::Labels& scraped) const {
  if (target_labels_.empty()) return scraped;
  std::vector<promql::Label> out;
  for (const promql::Label& l : scraped) {
    // Prometheus renames a clashing scraped label to exported_<name>, repeatedly if that clashes
    // too.
    std::string name = l.name;
    while (target_labels_.Has(name)) name = "exported_" + name;
    out.push_back({std::move(name), l.value});
  }
  for (const promql::Label& l : target_labels_) out.push_back(l);
  return promql::Labels(std::move(out));
}

core::Result<ScrapeResult> SelfScraper::ScrapeOnce() {
  return ScrapeOnce(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count());
}

core::Result<ScrapeResult> SelfScraper::ScrapeOnce(int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto text = exposition_();
  if (!text.ok()) return core::Status::Error("self-scrape: " + text.status().message());
  auto parsed = ParseTextExposition(*text);
  if (!parsed.ok()) return core::Status::Error("self-scrape: " + parsed.status().message());

  ScrapeResult result;
  promql::Vector batch;
  batch.reserve(parsed->samples.size());
  std::unordered_map<std::string, std::pair<promql::Labels, bool>> current;
  for (ExpositionSample& s : parsed->samples) {
    promql::Labels labels = WithTargetLabels(s.labels);
    const std::string key = labels.Key();
    if (previous_.count(key) == 0 && current.count(key) == 0) result.series_added++;
    current.emplace(key, std::make_pair(labels, !s.timestamp_ms.has_value()));
    batch.push_back(promql::Sample{std::move(labels), s.timestamp_ms.value_or(now_ms), s.value});
  }
  const size_t scraped = batch.size();
  for (const auto& [key, entry] : previous_) {
    if (entry.second && current.count(key) == 0) {
      batch.push_back(promql::Sample{entry.first, now_ms, promql::StaleNaN()});
    }
  }
  std::vector<bool> accepted;
  storage_.Append(batch, &accepted);
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i < scraped) {
      (accepted[i] ? result.samples : result.rejected)++;
    } else if (accepted[i]) {
      // A marker can only be refused if the series already has a sample at or after this
      // scrape's time (the clock went back); Prometheus ignores that too.
      result.stale_markers++;
    }
  }
  previous_ = std::move(current);
  return result;
}

}  // namespace smoke::tsdb
