#pragma once
// The scheduler's own health as Prometheus metrics, so that an overloaded exporter (probes
// queueing for workers, runs skipped because the previous one still hangs) is visible and
// alertable instead of silently producing stale results:
//   smoke_scheduler_runs_total{probe}                 counter: runs started
//   smoke_scheduler_overlaps_skipped_total{probe}     counter: runs skipped, previous still running
//   smoke_scheduler_missed_runs_total{probe}          counter: slots skipped after a clock jump
//   smoke_scheduler_saturation_delayed_total{lane}    counter: runs that had to wait for a worker
//   smoke_scheduler_lag_seconds{lane}                 histogram: due time -> actual start
//   smoke_scheduler_inflight_probes{lane}             gauge: runs executing now
// `lane` is "fast" or "slow" (scheduler.h): the fast lane's lag is what healthy probes see.

#include <map>
#include <string>

#include "exporter/core/clock.h"
#include "exporter/scheduler/lane.h"

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace smoke::scheduler {

// Thread-safety: not thread-safe; the Scheduler calls it under its own lock. With a null registry
// (or if registration fails) every method is a no-op.
class SchedulerMetrics {
 public:
  explicit SchedulerMetrics(prometheus::Registry* registry);
  SchedulerMetrics(const SchedulerMetrics&) = delete;
  SchedulerMetrics& operator=(const SchedulerMetrics&) = delete;

  // Creates the probe's series up front so that they read 0 (not "absent") before the first
  // event; rate() and absent() alerts need that.
  void AddProbe(const std::string& name);
  // Drops the probe's series so that a probe removed by a reload does not linger in /metrics.
  void RemoveProbe(const std::string& name);

  void RunStarted(const std::string& name, Lane lane, core::Duration lag);
  void OverlapSkipped(const std::string& name);
  void RunsMissed(const std::string& name, uint64_t count);
  void SaturationDelayed(Lane lane);
  void SetInflight(Lane lane, int count);

 private:
  struct PerProbe {
    prometheus::Counter* runs = nullptr;
    prometheus::Counter* overlaps = nullptr;
    prometheus::Counter* missed = nullptr;
  };

  bool enabled_ = false;
  prometheus::Family<prometheus::Counter>* runs_ = nullptr;
  prometheus::Family<prometheus::Counter>* overlaps_ = nullptr;
  prometheus::Family<prometheus::Counter>* missed_ = nullptr;
  // Indexed by Lane.
  prometheus::Counter* saturation_delayed_[2] = {};
  prometheus::Histogram* lag_[2] = {};
  prometheus::Gauge* inflight_[2] = {};
  std::map<std::string, PerProbe> probes_;
};

}  // namespace smoke::scheduler
