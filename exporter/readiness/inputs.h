#pragma once
// What the release verdict is decided from: plain values the server copies out of the running
// exporter (rule engine, probe results, notifier, Alertmanager silences). The readiness module
// knows nothing about probes' or the engine's internals, so Decide() is tested with literals.
// Times are Unix milliseconds; 0 means "never" / "unknown".
// Thread-safety: plain value types.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exporter/readiness/label_match.h"
#include "exporter/readiness/silence.h"

namespace smoke::readiness {

// One alert of the embedded rule engine.
struct AlertInput {
  LabelMap labels;  // incl. alertname, with the rule engine's external labels applied
  LabelMap annotations;
  std::string state;  // "firing" | "pending" | "inactive"; only firing alerts block
  int64_t active_at_ms = 0;
  double value = 0;
  // The rule's `for`, and the time from the first evaluation of the rule's group since the
  // exporter started to its latest one. While evaluated_for_ms < for_ms, a pending alert may have
  // been active since before a restart (and firing then): readiness cannot tell yet.
  int64_t for_ms = 0;
  int64_t evaluated_for_ms = 0;
};

// One scheduled probe's latest state.
struct ProbeInput {
  std::string name;
  std::string component;
  LabelMap labels;      // its series' labels: probe, component, target, static labels
  std::string outcome;  // "ok" | "degraded" | "failed" | "skipped" | "pending" (never ran)
  std::string reason;   // of the latest run
  std::string message;  // of the latest run
  int64_t last_run_ms = 0;
  int64_t state_since_ms = 0;  // when the current outcome began
  nlohmann::json evidence;     // the last failure (outcome, reason, message, evidence), or null
};

// An alerting rule as written (its static labels), so scopes and metrics know which label values
// exist before any alert fires.
struct AlertingRuleInput {
  std::string name;
  LabelMap labels;
  std::string group{};  // RuleGroupInput::name of its group
};

// A rule group and how much of it the engine has seen since the exporter started.
struct RuleGroupInput {
  std::string name;          // FILE;GROUP, as smoke_rule_group_* label it
  uint64_t evaluations = 0;  // since start (a reload keeps the count; a restart resets it)
};

// A rule whose last evaluation failed.
struct RuleErrorInput {
  std::string group;
  std::string rule;
  std::string error;
  int64_t last_eval_ms = 0;
};

struct EngineInput {
  uint64_t iterations = 0;  // completed self-scrape + evaluation rounds since start
  int64_t last_iteration_ms = 0;
  std::vector<RuleErrorInput> rule_errors;
  std::vector<AlertingRuleInput> alerting_rules;
  std::vector<RuleGroupInput> groups;
  bool alertmanager_required = false;  // alerting.required
};

struct AlertmanagerInput {
  std::string name;
  bool reachable = true;
  std::string last_error;  // never holds credentials
  int64_t last_success_ms = 0;
  int consecutive_failures = 0;
};

struct Inputs {
  int64_t now_ms = 0;
  EngineInput engine;
  std::vector<AlertInput> alerts;
  std::vector<ProbeInput> probes;
  std::vector<AlertmanagerInput> alertmanagers;
  // Waivers. silences_available is false when Alertmanager could not be asked; then no blocker
  // is waived and the verdict says waivers_unavailable with silences_error.
  // silences_fetched says whether they were asked for at all (waivers enabled, or
  // alerting.required: an Alertmanager that cannot answer GET /api/v2/silences is unreachable
  // even before the notifier has had an alert to send).
  bool silences_fetched = false;
  bool silences_available = false;
  std::vector<Silence> silences;  // as fetched; Decide checks activity and matchers
  std::string silences_error;
};

}  // namespace smoke::readiness
