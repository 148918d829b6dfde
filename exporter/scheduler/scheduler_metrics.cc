#include "exporter/scheduler/scheduler_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <exception>

#include "exporter/core/logging.h"

namespace smoke::scheduler {

SchedulerMetrics::SchedulerMetrics(prometheus::Registry* registry) {
  if (registry == nullptr) return;
  // prometheus-cpp reports name clashes by throwing; that is a wiring bug, not a reason to stop
  // probing, so it is logged and the scheduler runs without its own metrics.
  try {
    runs_ = &prometheus::BuildCounter()
                 .Name("smoke_scheduler_runs_total")
                 .Help("Probe runs started by the scheduler.")
                 .Register(*registry);
    overlaps_ = &prometheus::BuildCounter()
                     .Name("smoke_scheduler_overlaps_skipped_total")
                     .Help(
                         "Scheduled runs skipped because the probe's previous run was still "
                         "in flight or queued.")
                     .Register(*registry);
    missed_ = &prometheus::BuildCounter()
                   .Name("smoke_scheduler_missed_runs_total")
                   .Help(
                       "Scheduled runs skipped because the scheduler woke up more than one "
                       "interval late (clock jump, suspended process).")
                   .Register(*registry);
    auto& saturation = prometheus::BuildCounter()
                           .Name("smoke_scheduler_saturation_delayed_total")
                           .Help(
                               "Runs that were due while every worker of their lane was busy "
                               "and had to queue.")
                           .Register(*registry);
    auto& lag = prometheus::BuildHistogram()
                    .Name("smoke_scheduler_lag_seconds")
                    .Help("Delay between a run's scheduled time and its actual start, by lane.")
                    .Register(*registry);
    auto& inflight = prometheus::BuildGauge()
                         .Name("smoke_scheduler_inflight_probes")
                         .Help("Probe runs executing now, by lane.")
                         .Register(*registry);
    for (Lane l : {Lane::kFast, Lane::kSlow}) {
      const prometheus::Labels labels = {{"lane", LaneName(l)}};
      const auto i = static_cast<size_t>(l);
      saturation_delayed_[i] = &saturation.Add(labels);
      lag_[i] = &lag.Add(
          labels, prometheus::Histogram::BucketBoundaries{.001, .005, .01, .05, .1, .5, 1, 5});
      inflight_[i] = &inflight.Add(labels);
    }
    enabled_ = true;
  } catch (const std::exception& e) {
    core::LogError("scheduler metrics could not be registered", {{"error", e.what()}});
  }
}

void SchedulerMetrics::AddProbe(const std::string& name) {
  if (!enabled_ || probes_.count(name) != 0) return;
  PerProbe& p = probes_[name];
  p.runs = &runs_->Add({{"probe", name}});
  p.overlaps = &overlaps_->Add({{"probe", name}});
  p.missed = &missed_->Add({{"probe", name}});
}

void SchedulerMetrics::RemoveProbe(const std::string& name) {
  auto it = probes_.find(name);
  if (it == probes_.end()) return;
  runs_->Remove(it->second.runs);
  overlaps_->Remove(it->second.overlaps);
  missed_->Remove(it->second.missed);
  probes_.erase(it);
}

void SchedulerMetrics::RunStarted(const std::string& name, Lane lane, core::Duration lag) {
  if (!enabled_) return;
  lag_[static_cast<size_t>(lane)]->Observe(std::max(0.0, core::ToSeconds(lag)));
  if (auto it = probes_.find(name); it != probes_.end()) it->second.runs->Increment();
}

void SchedulerMetrics::OverlapSkipped(const std::string& name) {
  if (auto it = probes_.find(name); it != probes_.end()) it->second.overlaps->Increment();
}

void SchedulerMetrics::RunsMissed(const std::string& name, uint64_t count) {
  if (auto it = probes_.find(name); it != probes_.end()) {
    it->second.missed->Increment(static_cast<double>(count));
  }
}

void SchedulerMetrics::SaturationDelayed(Lane lane) {
  if (enabled_) saturation_delayed_[static_cast<size_t>(lane)]->Increment();
}

void SchedulerMetrics::SetInflight(Lane lane, int count) {
  if (enabled_) inflight_[static_cast<size_t>(lane)]->Set(count);
}

}  // namespace smoke::scheduler
