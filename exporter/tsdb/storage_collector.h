#pragma once
// The TSDB's own metrics for /metrics: size (series, samples, chunk bytes, bytes per sample),
// rejected samples, and the outcome of snapshots. Register it with a prometheus::Registry
// (Registry::Register takes a std::weak_ptr<Collectable>).
//   smoke_tsdb_head_series, smoke_tsdb_head_samples, smoke_tsdb_chunk_bytes,
//   smoke_tsdb_bytes_per_sample, smoke_tsdb_out_of_order_samples_total,
//   smoke_tsdb_snapshot_last_success_timestamp_seconds, smoke_tsdb_snapshot_failures_total
// The snapshot metrics are exported only when a Snapshotter is given.
// Thread-safety: Collect may be called from any thread, concurrently with appends and snapshots.

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "exporter/tsdb/memory_storage.h"
#include "exporter/tsdb/snapshot.h"

namespace smoke::tsdb {

class StorageCollector : public prometheus::Collectable {
 public:
  // Both must outlive the collector.
  explicit StorageCollector(const MemoryStorage& storage, const Snapshotter* snapshotter = nullptr)
      : storage_(storage), snapshotter_(snapshotter) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const MemoryStorage& storage_;
  const Snapshotter* snapshotter_;
};

}  // namespace smoke::tsdb
