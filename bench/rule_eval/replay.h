#pragma once
// Our side of bench_rule_eval: the scrapes Prometheus took, replayed into a tsdb::MemoryStorage
// (each text regenerated, parsed with tsdb::ParseTextExposition and appended at the timestamp
// Prometheus gave that scrape, with its target labels as honor_labels: true adds them), and
// every rule group evaluated with ruler::Group at exactly the timestamps at which Prometheus
// evaluated the same group, in time order with the scrapes. A group's duration is
// GroupStatus::last_duration_seconds: the whole Group::Eval (every rule's query, appending the
// results, alert state), the counterpart of prometheus_rule_group_last_duration_seconds; its
// CPU time is the evaluating thread's.
// Thread-safety: none; runs on the calling thread.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bench/common/probe_fleet.h"
#include "bench/rule_eval/alert_series.h"
#include "exporter/core/status.h"
#include "exporter/promql/engine.h"
#include "exporter/promql/labels.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::bench {

struct ScrapeRecord {
  int64_t t_ms = 0;         // the sample timestamp Prometheus stored for this scrape
  int64_t run_time_ms = 0;  // what the server asked the source for
  size_t text_hash = 0;     // of the text served
  bool stored = true;       // Prometheus stored it (up == 1)
};

struct ReplayPlan {
  std::vector<std::string> rule_files;
  std::vector<ScrapeRecord> scrapes;  // in the order served
  AlertSeriesOptions alert;
  FleetOptions fleet;
  promql::Labels target_labels;  // job, instance
  promql::EvalOptions eval_options;
  int64_t interval_ms = 1000;  // of the groups (default subquery step too)
  // Per group ("FILE;GROUP"): the evaluation timestamps, and the subset to report.
  std::map<std::string, std::vector<int64_t>> evaluations;
  std::map<std::string, std::set<int64_t>> measured;
};

struct ReplayResult {
  std::map<std::string, std::vector<double>> durations;  // seconds, of the measured evaluations
  std::map<std::string, std::vector<double>> cpu;        // thread CPU seconds of the same
  std::map<std::string, size_t> rules;                   // rules per group
  size_t evaluations = 0;
  uint64_t evaluation_failures = 0;
  std::vector<std::string> errors;  // a few rule errors, for the report
  double ingest_seconds = 0;        // parsing and appending every scrape
  size_t scrapes = 0;
};

core::Result<ReplayResult> Replay(const ReplayPlan& plan, tsdb::MemoryStorage& storage);

}  // namespace smoke::bench
