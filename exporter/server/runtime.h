#pragma once
// The running exporter: the current config, the probes built from it, the scheduler that runs
// them, the store that keeps their results and the rule engine that evaluates alerts over them. Reload swaps all of it atomically or not at all:
// a config that fails to load or to build keeps the old one running.
// Thread-safety: thread-safe. Reload() calls are serialised; readers get consistent snapshots.

#include <memory>
#include <mutex>
#include <string>

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "exporter/config/config.h"
#include "exporter/core/clock.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/results/result_store.h"
#include "exporter/scheduler/scheduler.h"
#include "exporter/server/engine.h"
#include "exporter/server/readiness_service.h"

namespace smoke::server {

struct RuntimeOptions {
  std::string config_file;
  core::Clock* clock = &core::SystemClock::Default();
  std::string version = "dev";
  // How alerts link back to us (generatorURL) when rules.external_url is not set.
  std::string external_url;
};

class Runtime {
 public:
  // Loads the config and builds every probe; any error is fatal (startup).
  static core::Result<std::unique_ptr<Runtime>> Create(RuntimeOptions options);
  ~Runtime();

  void Start();
  void Stop();
  // Re-reads the config file. On error: logs every error, sets
  // smoke_config_last_reload_successful 0 and keeps the running config and probes.
  core::Status Reload();

  config::ConfigPtr config() const;
  results::ResultStore& results() { return *results_; }
  prometheus::Registry& registry() { return *registry_; }
  // Everything /metrics serves: self metrics, process metrics, per-probe series.
  std::vector<prometheus::MetricFamily> Collect() const;
  core::Clock& clock() { return *options_.clock; }
  // The embedded rule engine: sample store, rules, alerts, notifier.
  Engine& engine() { return *engine_; }
  const Engine& engine() const { return *engine_; }
  // The release verdict (/api/v1/readiness, smoke_release_* metrics).
  ReadinessService& readiness() { return *readiness_; }

  // Runs `module` against `target` once (the /probe endpoint). `timeout_cap` (if > 0) lowers the
  // module's timeout, e.g. to the scrape timeout Prometheus announces.
  core::Result<core::ProbeResult> RunModule(const std::string& module, const std::string& target,
                                            core::Duration timeout_cap) const;

 private:
  explicit Runtime(RuntimeOptions options);
  struct Built;
  static core::Result<std::shared_ptr<const Built>> Build(config::ConfigPtr config);
  void Apply(std::shared_ptr<const Built> built);

  RuntimeOptions options_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::chrono::system_clock::time_point start_time_;
  std::shared_ptr<results::ResultStore> results_;
  std::unique_ptr<scheduler::Scheduler> scheduler_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<ReadinessService> readiness_;
  prometheus::Gauge* reload_success_ = nullptr;
  prometheus::Gauge* reload_timestamp_ = nullptr;
  prometheus::Gauge* probes_configured_ = nullptr;

  std::mutex reload_mu_;
  mutable std::mutex mu_;
  std::shared_ptr<const Built> built_;
};

}  // namespace smoke::server
