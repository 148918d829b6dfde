#pragma once
// An in-memory sample store: the Queryable the rule engine reads and the self-scrape writes.
// Each series keeps its samples in Gorilla-compressed chunks of 120 samples (xor_chunk.h), like
// Prometheus's head block: the newest chunk is appended to, the older ones are closed and
// immutable. An inverted index from label name and value to series ids answers Select without
// scanning every series. Samples are appended in time order per series: an older sample is
// rejected ("out of order sample"), a different value at the newest timestamp too ("duplicate
// sample for timestamp").
//
// Retention works on whole chunks, as in Prometheus: Truncate drops the chunks whose newest sample
// is older than the bound, so a series may keep a few samples older than it until its chunk goes;
// Select never returns samples outside the range asked for.
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
#include "exporter/tsdb/xor_chunk.h"

namespace smoke::tsdb {

// Size and health of a MemoryStorage, for the smoke_tsdb_* metrics.
struct StorageStats {
  size_t series = 0;
  size_t samples = 0;
  size_t chunks = 0;
  size_t chunk_bytes = 0;           // encoded size of every chunk, the head chunks included
  double bytes_per_sample = 0;      // chunk_bytes / samples; 0 when empty
  uint64_t out_of_order_total = 0;  // samples rejected as out of order since start
  uint64_t duplicate_total = 0;     // samples rejected as duplicates since start
};

class MemoryStorage : public promql::Queryable {
 public:
  struct BatchResult {
    size_t appended = 0;
    size_t out_of_order = 0;  // older than the series' newest sample
    size_t duplicates = 0;    // another value at the series' newest timestamp
    size_t invalid = 0;       // no labels
  };

  // One series and its chunks as stored, oldest first: what a snapshot writes and restores.
  struct SeriesChunks {
    promql::Labels labels;
    std::vector<XorChunk> chunks;
  };

  MemoryStorage() = default;
  MemoryStorage(const MemoryStorage&) = delete;
  MemoryStorage& operator=(const MemoryStorage&) = delete;

  // Appends one sample; a staleness marker is promql::StaleNaN(). Re-appending the newest sample
  // with the same value is accepted and changes nothing.
  core::Status Append(const promql::Labels& labels, int64_t t_ms, double v);
  // Appends the samples (labels, t, v) of a batch, e.g. one scrape, atomically; samples that would
  // be rejected by the single-sample Append are skipped and counted. If `accepted` is given, it
  // gets one entry per sample: whether it was stored (or was already there).
  BatchResult Append(const promql::Vector& samples, std::vector<bool>* accepted = nullptr);

  std::vector<promql::SeriesView> Select(const std::vector<promql::LabelMatcher>& matchers,
                                         int64_t mint_ms, int64_t maxt_ms) const override;

  // Drops the chunks whose samples are all older than `mint_ms` and the series left without
  // chunks (retention).
  void Truncate(int64_t mint_ms);

  size_t NumSeries() const;
  size_t NumSamples() const;
  StorageStats Stats() const;

  // A consistent copy of every series' chunks (taken under one read lock).
  std::vector<SeriesChunks> ExportChunks() const;
  // Adds series read back from a snapshot, atomically. A series the store does not have takes
  // the chunks as they are (its last chunk stays appendable); for one it has, only the samples
  // newer than its newest are appended. Chunks must be non-empty and in time order.
  void ImportChunks(std::vector<SeriesChunks> series);

 private:
  struct MemSeries {
    promql::Labels labels;
    std::vector<XorChunk> chunks;  // oldest first; the last one is the head
    size_t samples = 0;
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
  size_t num_samples_ = 0;
  uint64_t out_of_order_total_ = 0;
  uint64_t duplicate_total_ = 0;
};

}  // namespace smoke::tsdb
