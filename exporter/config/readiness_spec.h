#pragma once
// The `readiness:` section: when the release verdict (/api/v1/readiness, `smoke_exporter gate`)
// says "ready". All optional; the defaults block on alerts labelled gate="release" or
// severity="critical", need two engine evaluations after start and fresh data, never count a
// skipped probe as passed, take no waivers, and keep decisions in memory only.
// Thread-safety: plain value types.

#include <cstdint>
#include <string>
#include <vector>

#include "exporter/core/clock.h"

namespace smoke::config {

// One label matcher as Alertmanager writes it: name, operator, value.
struct LabelMatcherSpec {
  enum class Op { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };
  std::string name;
  Op op = Op::kEqual;
  std::string value;  // unquoted; for regexes the pattern (matched fully anchored)
};
// All must match (AND).
using MatcherSetSpec = std::vector<LabelMatcherSpec>;

struct WaiversSpec {
  bool enabled = false;  // active Alertmanager silences waive blocking alerts
  core::Duration cache = std::chrono::seconds(5);    // how long silences are reused
  core::Duration timeout = std::chrono::seconds(2);  // per request to an Alertmanager
};

struct DecisionLogSpec {
  std::string path;                      // "" = kept in memory only (and says so)
  int64_t max_bytes = 10 * 1024 * 1024;  // rotate before the file grows beyond this
  int keep = 5;                          // rotated files kept besides the current one
};

struct ReadinessSpec {
  // A firing alert blocks when any set matches (OR of ANDed sets).
  std::vector<MatcherSetSpec> block_on = {{{"gate", LabelMatcherSpec::Op::kEqual, "release"}},
                                          {{"severity", LabelMatcherSpec::Op::kEqual, "critical"}}};
  int64_t min_evaluations = 2;
  // The loader sets 3 x rules.evaluation_interval unless configured.
  core::Duration stale_after = std::chrono::seconds(45);
  bool allow_skipped = false;
  WaiversSpec waivers;
  DecisionLogSpec decision_log;
};

}  // namespace smoke::config
