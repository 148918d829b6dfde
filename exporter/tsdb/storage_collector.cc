#include "exporter/tsdb/storage_collector.h"

#include <string>

namespace smoke::tsdb {
namespace {

prometheus::MetricFamily Gauge(std::string name, std::string help, double value) {
  prometheus::MetricFamily f{std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
  f.metric.emplace_back();
  f.metric.back().gauge.value = value;
  return f;
}

prometheus::MetricFamily Counter(std::string name, std::string help, double value) {
  prometheus::MetricFamily f{std::move(name), std::move(help), prometheus::MetricType::Counter, {}};
  f.metric.emplace_back();
  f.metric.back().counter.value = value;
  return f;
}

}  // namespace

std::vector<prometheus::MetricFamily> StorageCollector::Collect() const {
  const StorageStats st = storage_.Stats();
  std::vector<prometheus::MetricFamily> out;
  out.push_back(Gauge("smoke_tsdb_head_series", "Series held by the in-memory TSDB the rules read.",
                      static_cast<double>(st.series)));
  out.push_back(Gauge("smoke_tsdb_head_samples", "Samples held by the in-memory TSDB.",
                      static_cast<double>(st.samples)));
  out.push_back(Gauge("smoke_tsdb_chunk_bytes",
                      "Bytes of the compressed chunks holding the TSDB's samples.",
                      static_cast<double>(st.chunk_bytes)));
  out.push_back(Gauge("smoke_tsdb_bytes_per_sample",
                      "Chunk bytes divided by samples held (0 when empty).", st.bytes_per_sample));
  out.push_back(Counter("smoke_tsdb_out_of_order_samples_total",
                        "Samples refused because the series already had a newer one.",
                        static_cast<double>(st.out_of_order_total)));
  if (snapshotter_ != nullptr) {
    out.push_back(Gauge("smoke_tsdb_snapshot_last_success_timestamp_seconds",
                        "Unix time of the last TSDB snapshot written successfully (0: none yet).",
                        snapshotter_->last_success_unix_seconds()));
    out.push_back(Counter("smoke_tsdb_snapshot_failures_total",
                          "TSDB snapshots that could not be written.",
                          static_cast<double>(snapshotter_->failures_total())));
  }
  return out;
}

}  // namespace smoke::tsdb
