#pragma once
// Read-only snapshots of groups and rules, for the API (/api/v1/rules, /api/v1/alerts), the status
// page, metrics and the readiness verdict.
// Thread-safety: plain value types.

#include <cstdint>
#include <string>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/ruler/alert.h"
#include "exporter/ruler/rule.h"

namespace smoke::ruler {

struct RuleStatus {
  std::string name;
  bool alerting = false;
  std::string query;
  core::Duration for_duration{0};
  core::Duration keep_firing_for{0};
  StringPairs labels;
  StringPairs annotations;
  RuleHealth health = RuleHealth::kUnknown;
  std::string last_error;
  int64_t last_eval_ms = 0;
  double last_duration_seconds = 0;
  AlertState state = AlertState::kInactive;  // alerting rules
  std::vector<Alert> alerts;                 // alerting rules, sorted by labels
};

struct GroupStatus {
  std::string name;
  std::string file;
  core::Duration interval{0};
  int limit = 0;
  int64_t last_eval_ms = 0;  // 0: never evaluated
  double last_duration_seconds = 0;
  uint64_t iterations = 0;
  uint64_t iterations_missed = 0;
  uint64_t evaluation_failures = 0;  // rule evaluations that failed, summed over rules
  uint64_t samples_written = 0;      // in the last evaluation
  std::vector<RuleStatus> rules;
};

}  // namespace smoke::ruler
