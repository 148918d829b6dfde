#pragma once
// The embedded rule engine of a running exporter (DESIGN.md's second half of the flow):
//   registry --self-scrape--> tsdb --> ruler (PromQL) --> ALERTS, recorded series --> notifier
// It owns the sample store, the self-scraper, the rule manager and the notifier, restores the
// store's snapshot and the alert state on start, and saves both periodically and on Stop.
// One thread drives it: each evaluation-interval slot it scrapes the exporter's own /metrics
// text into the store, then evaluates the rule groups that are due, so rules see exactly what
// Prometheus would scrape.
// Thread-safety: thread-safe. Reload is serialised with the loop; readers get snapshots.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/clock.h"
#include "exporter/core/status.h"
#include "exporter/notifier/notifier.h"
#include "exporter/promql/engine.h"
#include "exporter/ruler/group_status.h"
#include "exporter/ruler/manager.h"
#include "exporter/tsdb/memory_storage.h"
#include "exporter/tsdb/self_scraper.h"
#include "exporter/tsdb/snapshot.h"
#include "exporter/tsdb/storage_collector.h"

namespace prometheus {
class Registry;
}

namespace smoke::server {

struct EngineOptions {
  core::Clock* clock = &core::SystemClock::Default();
  // The exporter's own exposition (what /metrics serves), scraped into the store.
  std::function<core::Result<std::string>()> exposition;
  prometheus::Registry* registry = nullptr;  // for the notifier's and the store's metrics
  std::string default_external_url;           // when rules.external_url is not set
};

class Engine {
 public:
  // Loads the rule files (an error is fatal at startup), restores the snapshot and alert state
  // (errors there are logged, not fatal: a corrupt snapshot must not keep the exporter down).
  static core::Result<std::unique_ptr<Engine>> Create(const config::Config& config,
                                                      EngineOptions options);
  ~Engine();

  void Start();
  // Stops the loop, saves the snapshot and alert state, drains the notifier. Idempotent; the
  // destructor calls it.
  void Stop();

  // Applies a reloaded config: rule files, evaluation settings, Alertmanagers. On error the
  // running rules stay.
  core::Status Reload(const config::Config& config);

  // One iteration of the loop at the clock's time (scrape, due groups, housekeeping); the loop
  // calls it, and tests call it directly under a ManualClock.
  void RunOnce();
  // When RunOnce next has work.
  core::TimePoint NextWakeup() const;

  const tsdb::MemoryStorage& storage() const { return *storage_; }
  // The store's and the rules' self-metrics (smoke_tsdb_*, smoke_rule_*).
  std::vector<prometheus::MetricFamily> CollectMetrics() const;
  promql::EvalOptions eval_options() const;
  std::vector<ruler::GroupStatus> Groups() const { return manager_->Snapshot(); }
  std::vector<notifier::AlertmanagerStatus> Alertmanagers() const;
  bool alertmanager_required() const;
  // Completed self-scrape + evaluation iterations since start, and the time of the last one.
  uint64_t iterations() const { return iterations_.load(); }
  core::TimePoint last_iteration() const;

 private:
  explicit Engine(EngineOptions options);
  core::Status Configure(const config::Config& config, bool startup);
  void Notify(const ruler::RuleSpec& rule, const std::vector<ruler::Alert>& alerts);
  void Loop();
  void SaveState();
  void WriteSnapshot();

  EngineOptions options_;
  std::unique_ptr<tsdb::MemoryStorage> storage_;
  std::unique_ptr<tsdb::SelfScraper> scraper_;
  // The snapshot file is fixed at startup (changing it takes a restart).
  std::unique_ptr<tsdb::Snapshotter> snapshotter_;
  std::unique_ptr<tsdb::StorageCollector> storage_metrics_;
  std::unique_ptr<ruler::Manager> manager_;

  mutable std::mutex mu_;  // guards the members below
  config::RulesSpec rules_;
  config::AlertingSpec alerting_;
  config::StorageSpec storage_spec_;
  std::shared_ptr<notifier::Notifier> notifier_;
  core::TimePoint next_scrape_{};
  core::TimePoint next_snapshot_{};
  core::TimePoint last_iteration_{};

  std::mutex run_mu_;  // serialises RunOnce and Reload
  std::atomic<uint64_t> iterations_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> stopped_{false};  // Stop() ran
  std::thread thread_;
};

}  // namespace smoke::server
