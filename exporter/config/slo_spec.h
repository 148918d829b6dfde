#pragma once
// Service level objectives (`slos:`): what share of events must be good over a period, measured
// by one SLI. ruler/slo_rules.h turns each into Prometheus recording rules and multi-window
// multi-burn-rate alerts (the Google SRE workbook's, as Sloth generates them).
//   availability  probe runs that passed (ok or degraded) / runs that completed, from
//                 smoke_probe_results_total{outcome}; skipped runs count as neither
//   latency       probe runs that took at most `threshold` / all measured runs, from the
//                 smoke_probe_duration_seconds histogram (threshold is one of its bucket bounds)
//   error_ratio   two PromQL queries of the user's own (errors, total) with {{.window}} where
//                 the range goes, as in Sloth's events SLI
// Thread-safety: plain value types.

#include <string>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"

namespace smoke::config {

// Which probes' series an SLI reads. Both parts are optional but not both empty; a probe is
// selected when its name is listed (or no names are listed) and its series carry every label.
struct SloProbeSelector {
  std::vector<std::string> probes;                          // names, as written
  std::vector<std::pair<std::string, std::string>> labels;  // equality matchers, sorted by name
};

// The page or ticket alert of an SLO.
struct SloAlertSpec {
  bool disable = false;
  std::vector<std::pair<std::string, std::string>> labels;       // sorted by name
  std::vector<std::pair<std::string, std::string>> annotations;  // sorted by name
};

struct SloSpec {
  enum class Sli { kAvailability, kLatency, kErrorRatio };

  std::string name;  // unique; the `slo` label of every generated series and alert
  std::string description;
  double objective = 0;                                 // percent of good events, in (0, 100)
  core::Duration period = std::chrono::hours(24 * 30);  // a whole number of days, > 3d
  Sli sli = Sli::kAvailability;

  SloProbeSelector selector;     // availability, latency
  double threshold_seconds = 0;  // latency: equal to one of global.histogram_buckets
  std::string errors_query;      // error_ratio: PromQL with {{.window}}
  std::string total_query;
  std::pair<int, int> errors_pos{0, 0};  // line, column of errors_query (for PromQL errors)
  std::pair<int, int> total_pos{0, 0};

  // The `component` every selected probe shares, "" if they differ (or for error_ratio). Added
  // to the generated series and alerts so readiness can scope SLO alerts by component.
  std::string component;

  std::vector<std::pair<std::string, std::string>> labels;  // on every generated rule
  // alerting:
  std::string alert_name;  // default: the name in CamelCase + "ErrorBudgetBurn"
  std::vector<std::pair<std::string, std::string>> alert_labels;
  std::vector<std::pair<std::string, std::string>> alert_annotations;
  SloAlertSpec page;
  SloAlertSpec ticket;

  std::string file;  // where it was defined, for messages
  int line = 0;
  int column = 0;
};

}  // namespace smoke::config
