#pragma once
// An in-memory sample store: the Queryable the rule engine reads and the self-scrape writes.
// Each series keeps its samples in a time-sorted vector; an inverted index from label name and
// value to series ids answers Select without scanning every series. Samples are appended in time
// order per series, as in Prometheus's head block: an older sample is rejected ("out of order
// sample"), a different value at the newest timestamp too ("duplicate sample for timestamp").
//
// The interface is what a compressed chunk store needs to offer as well (append in order, select
// by matchers and time, truncate by age), so one can replace this class without touching callers.
// Thread-safety: all methods may be called concurrently. A batch Append becomes visible to Select
// all at once (readers never see half a scrape).

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/promql/labels.h"
#include "exporter/promql/storage.h"
#include "exporter/promql/value.h"

namespace smoke::tsdb {

class MemoryStorage : public promql::Queryable {
 public:
  struct BatchResult {
    size_t appended = 0;
    size_t out_of_order = 0;  // older than the series' newest sample
    size_t duplicates = 0;    // another value at the series' newest timestamp
    size_t invalid = 0;       // no labels
  };

  MemoryStorage() = default;
  MemoryStorage(const MemoryStorage&) = delete;
  MemoryStorage& operator=(const MemoryStorage&) = delete;

  // Appends one sample; a staleness marker is promql::StaleNaN(). Re-appending the newest sample
  // with the same value is accepted and changes nothing.
  core::Status Append(const promql::Labels& labels, int64_t t_ms, double v);
  // Appends the samples (labels, t, v) of a batch, e.g. one scrape, atomically; samples that would
  // be rejected by the single-sample Append are skipped and counted.
  BatchResult Append(const promql::Vector& samples);

  std::vector<promql::SeriesView> Select(const std::vector<promql::LabelMatcher>& matchers,
                                         int64_t mint_ms, int64_t maxt_ms) const override;

  // Drops every sample older than `mint_ms` and the series left without samples (retention).
  void Truncate(int64_t mint_ms);

  size_t NumSeries() const;
  size_t NumSamples() const;

 private:
  struct MemSeries {
    promql::Labels labels;
    std::vector<promql::Point> points;
  };
  using SeriesId = uint32_t;

  enum class AppendOutcome { kAppended, kUnchanged, kOutOfOrder, kDuplicate, kInvalid };
  AppendOutcome AppendLocked(const promql::Labels& labels, int64_t t_ms, double v);
  SeriesId GetOrCreateLocked(const promql::Labels& labels);
  // Sorted ids of the series that may match: those the index can vouch for, or every series.
  std::vector<SeriesId> CandidatesLocked(const std::vector<promql::LabelMatcher>& matchers) const;
  void RebuildIndexLocked();

  mutable std::shared_mutex mu_;
  std::vector<std::unique_ptr<MemSeries>> series_;  // by id
  std::unordered_map<std::string, SeriesId> ids_;   // Labels::Key() -> id
  // label name -> value -> ascending ids of the series with that label.
  std::map<std::string, std::map<std::string, std::vector<SeriesId>>> postings_;
};

}  // namespace smoke::tsdb
