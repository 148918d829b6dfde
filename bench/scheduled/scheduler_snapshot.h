#pragma once
// What bench_scheduled reads from one scrape of the exporter's /metrics: the scheduler's lag
// histogram and counters (exporter/scheduler/scheduler_metrics.h) and, per probe, its runs and
// latest probe_success. Two snapshots taken an interval apart give the window's figures.
// Thread-safety: plain values and pure functions.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smoke::bench {

struct ProbeCounters {
  double runs = 0;              // smoke_scheduler_runs_total
  double overlaps_skipped = 0;  // smoke_scheduler_overlaps_skipped_total
  double missed = 0;            // smoke_scheduler_missed_runs_total
  double success = -1;          // probe_success; -1 before the first result
};

struct LagHistogram {
  // (le, cumulative count) in the exposition's order, +Inf last.
  std::vector<std::pair<double, double>> buckets;
  double count = 0;
  double sum = 0;
};

struct SchedulerSnapshot {
  // smoke_scheduler_lag_seconds: all lanes summed, and by its `lane` label ("fast" holds the
  // probes whose runs are quick, "slow" those that took half their timeout; scheduler.h).
  LagHistogram lag;
  std::map<std::string, LagHistogram> lag_by_lane;
  double saturation_delayed = 0;  // smoke_scheduler_saturation_delayed_total
  std::map<std::string, ProbeCounters> probes;
};

// Parses text exposition format 0.0.4 as the exporter writes it (one sample per line, `probe`
// label quoted without escapes, since probe names cannot contain any).
SchedulerSnapshot ParseSchedulerSnapshot(std::string_view text);

// `later` minus `earlier`, bucket by bucket and probe by probe (success is `later`'s).
SchedulerSnapshot Delta(const SchedulerSnapshot& later, const SchedulerSnapshot& earlier);

// The q-quantile of a cumulative histogram, interpolated linearly within its bucket as
// Prometheus's histogram_quantile() does; +Inf if it falls in the +Inf bucket, 0 if empty.
double HistogramQuantile(double q, const std::vector<std::pair<double, double>>& buckets);

// The share of observations at or below the bucket bound `le` (exact for a bound the
// histogram has); 0 if empty or `le` is not a bound.
double ShareAtOrBelow(double le, const std::vector<std::pair<double, double>>& buckets);

}  // namespace smoke::bench
