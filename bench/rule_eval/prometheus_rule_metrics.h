#pragma once
// Prometheus's own per-group rule metrics and its CPU time, read from its /metrics:
//   prometheus_rule_group_last_evaluation_timestamp_seconds{rule_group="FILE;GROUP"}
//   prometheus_rule_group_last_duration_seconds, prometheus_rule_group_iterations_total,
//   prometheus_rule_group_iterations_missed_total, prometheus_rule_evaluation_failures_total,
//   process_cpu_seconds_total
// parsed with our own exposition parser.
// Thread-safety: reentrant.

#include <cstdint>
#include <map>
#include <string>

#include "exporter/core/status.h"

namespace smoke::bench {

struct PromGroupMetrics {
  int64_t last_eval_ms = 0;  // when the latest evaluation started (wall clock, ms)
  double last_duration_seconds = 0;
  double iterations = 0;
  double iterations_missed = 0;
  double evaluation_failures = 0;  // summed over the group's rules
};

struct PromRuleMetrics {
  std::map<std::string, PromGroupMetrics> groups;  // by rule_group ("FILE;GROUP")
  double process_cpu_seconds = 0;                  // user + system, 10 ms resolution
};

core::Result<PromRuleMetrics> ReadPromRuleMetrics(const std::string& prometheus_url);

}  // namespace smoke::bench
