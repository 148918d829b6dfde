#include "exporter/server/readiness_inputs.h"

#include <chrono>

#include "exporter/results/probe_json.h"
#include "exporter/server/engine.h"

namespace smoke::server {
namespace {

int64_t UnixMs(core::TimePoint t) {
  if (t == core::TimePoint{}) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

int64_t ToMs(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// FILE;GROUP, as the smoke_rule_group_* metrics' rule_group label.
std::string GroupKey(const ruler::GroupStatus& g) { return g.file + ";" + g.name; }

readiness::LabelMap ToMap(const promql::Labels& labels) {
  readiness::LabelMap m;
  for (const promql::Label& l : labels) m[l.name] = l.value;
  return m;
}

// The last failure as evidence: what failed and what was seen, without the passing checks.
nlohmann::json FailureEvidence(const core::ProbeResult& r) {
  nlohmann::json j = results::ResultToJson(r);
  j.erase("phases");
  nlohmann::json failed = nlohmann::json::array();
  for (const nlohmann::json& a : j["assertions"]) {
    if (!a.value("passed", true)) failed.push_back(a);
  }
  j["assertions"] = failed;
  return j;
}

}  // namespace

void AddRuleInputs(const std::vector<ruler::GroupStatus>& groups,
                   const std::map<std::string, std::string>& external_labels,
                   readiness::Inputs& inputs) {
  for (const ruler::GroupStatus& g : groups) {
    const std::string group = GroupKey(g);
    inputs.engine.groups.push_back({group, g.iterations});
    // Slots skipped while the engine was busy still passed: the span is counted in slots.
    const uint64_t slots = g.iterations + g.iterations_missed;
    const int64_t evaluated_for_ms =
        slots == 0 ? 0 : static_cast<int64_t>(slots - 1) * ToMs(g.interval);
    for (const ruler::RuleStatus& r : g.rules) {
      if (r.health == ruler::RuleHealth::kErr) {
        inputs.engine.rule_errors.push_back({g.name, r.name, r.last_error, r.last_eval_ms});
      }
      if (!r.alerting) continue;
      readiness::AlertingRuleInput rule{r.name, {}, group};
      for (const auto& [name, value] : r.labels) rule.labels[name] = value;
      inputs.engine.alerting_rules.push_back(std::move(rule));
      for (const ruler::Alert& a : r.alerts) {
        readiness::AlertInput in;
        in.labels = ToMap(a.labels);
        for (const auto& [name, value] : external_labels) {
          auto it = in.labels.find(name);
          if (it == in.labels.end() || it->second.empty()) in.labels[name] = value;
        }
        in.annotations = ToMap(a.annotations);
        in.state = std::string(ruler::AlertStateName(a.state));
        in.active_at_ms = a.active_at_ms;
        in.value = a.value;
        in.for_ms = ToMs(r.for_duration);
        in.evaluated_for_ms = evaluated_for_ms;
        inputs.alerts.push_back(std::move(in));
      }
    }
  }
}

readiness::ProbeInput ToProbeInput(const results::ProbeSnapshot& s) {
  readiness::ProbeInput p;
  p.name = s.identity.name;
  p.component = s.identity.component;
  for (const auto& [name, value] : s.identity.Labels()) p.labels[name] = value;
  if (s.last) {
    const core::ProbeResult& r = s.last->result;
    p.outcome = std::string(core::OutcomeName(r.outcome));
    p.reason = std::string(core::ReasonName(r.reason));
    p.message = r.message;
    p.last_run_ms = UnixMs(r.started);
    p.state_since_ms = UnixMs(s.state_since);
  } else {
    p.outcome = "pending";
  }
  if (s.last_failure) p.evidence = FailureEvidence(s.last_failure->result);
  return p;
}

readiness::AlertmanagerInput ToAlertmanagerInput(const notifier::AlertmanagerStatus& s) {
  readiness::AlertmanagerInput a;
  a.name = s.alertmanager;
  a.reachable = s.consecutive_failures == 0;
  a.last_error = s.last_error_message;
  a.last_success_ms = s.last_success ? UnixMs(*s.last_success) : 0;
  a.consecutive_failures = s.consecutive_failures;
  return a;
}

readiness::Inputs GatherReadinessInputs(const Engine& engine, const results::ResultStore& store,
                                        const std::map<std::string, std::string>& external_labels,
                                        core::TimePoint now) {
  readiness::Inputs in;
  in.now_ms = UnixMs(now);
  in.engine.iterations = engine.iterations();
  in.engine.last_iteration_ms = UnixMs(engine.last_iteration());
  in.engine.alertmanager_required = engine.alertmanager_required();
  AddRuleInputs(engine.Groups(), external_labels, in);
  for (const results::ProbeSnapshot& s : store.Snapshots()) in.probes.push_back(ToProbeInput(s));
  for (const notifier::AlertmanagerStatus& s : engine.Alertmanagers()) {
    in.alertmanagers.push_back(ToAlertmanagerInput(s));
  }
  return in;
}

}  // namespace smoke::server
