#include "exporter/readiness/verdict.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "exporter/ruler/rules_json.h"

namespace smoke::readiness {
namespace {

using nlohmann::json;

std::string Get(const LabelMap& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

bool InScope(const Scope& scope, const LabelMap& labels) {
  for (const auto& [name, value] : scope) {
    if (Get(labels, name) != value) return false;
  }
  return true;
}

bool Blocks(const Policy& policy, const LabelMap& labels) {
  for (const MatcherSet& set : policy.block_on) {
    if (MatchesAll(set, labels)) return true;
  }
  return false;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", s);
  return std::string(buf) + "s";
}

json TimeOrNull(int64_t ms) { return ms == 0 ? json(nullptr) : json(ruler::FormatRfc3339Ms(ms)); }

json ToJson(const LabelMap& m) {
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

const ProbeInput* FindProbe(const Inputs& in, const std::string& name) {
  if (name.empty()) return nullptr;
  for (const ProbeInput& p : in.probes) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

json ProbeEvidence(const ProbeInput& p) {
  json j = {{"name", p.name},
            {"outcome", p.outcome},
            {"reason", p.reason},
            {"message", p.message},
            {"last_run", TimeOrNull(p.last_run_ms)}};
  if (!p.evidence.is_null()) j["last_failure"] = p.evidence;
  return j;
}

Violation FromAlert(const AlertInput& a, const Inputs& in) {
  Violation v;
  v.alert = Get(a.labels, "alertname");
  v.reason = AlertReason(a.labels);
  v.component = Get(a.labels, "component");
  v.probe = Get(a.labels, "probe");
  v.severity = Get(a.labels, "severity");
  v.since_ms = a.active_at_ms;
  v.value = a.value;
  v.runbook = Get(a.annotations, "runbook_url");
  if (v.runbook.empty()) v.runbook = Get(a.annotations, "runbook");
  v.summary = Get(a.annotations, "summary");
  v.evidence = {{"labels", ToJson(a.labels)}};
  if (std::string d = Get(a.annotations, "description"); !d.empty()) v.evidence["description"] = d;
  if (const ProbeInput* p = FindProbe(in, v.probe)) {
    v.evidence["probe"] = ProbeEvidence(*p);
    if (v.summary.empty()) v.summary = p->message;
    if (v.component.empty()) v.component = p->component;
  }
  return v;
}

// The silence that waives an alert: active, matching, and (of several) the one ending last.
const Silence* FindWaiver(const Inputs& in, const LabelMap& labels) {
  const Silence* best = nullptr;
  for (const Silence& s : in.silences) {
    if (!IsActive(s, in.now_ms) || !SilenceMatches(s, labels)) continue;
    if (best == nullptr || s.ends_at_ms > best->ends_at_ms) best = &s;
  }
  return best;
}

// Whether a rule's alerts can match block_on, judged from the rule's own labels: labels it does
// not set may come from the series, so only the rule's own (untemplated) labels rule a set out.
bool MayBlock(const Policy& policy, const AlertingRuleInput& r) {
  LabelMap labels = r.labels;
  labels["alertname"] = r.name;
  for (const MatcherSet& set : policy.block_on) {
    bool possible = true;
    for (const promql::LabelMatcher& m : set) {
      auto it = labels.find(m.name());
      if (it != labels.end() && it->second.find("{{") == std::string::npos &&
          !m.Matches(it->second)) {
        possible = false;
        break;
      }
    }
    if (possible) return true;
  }
  return false;
}

std::string SecondsMs(int64_t ms) { return Seconds(ms / 1000.0); }

bool LabelKnown(const Inputs& in, const std::string& name, const std::string& value) {
  for (const ProbeInput& p : in.probes) {
    if (Get(p.labels, name) == value) return true;
  }
  for (const AlertInput& a : in.alerts) {
    if (Get(a.labels, name) == value) return true;
  }
  for (const AlertingRuleInput& r : in.engine.alerting_rules) {
    if (Get(r.labels, name) == value || (name == "alertname" && r.name == value)) return true;
  }
  return false;
}

void FailClosed(const Policy& policy, const Inputs& in, const Scope& scope, bool can_waive,
                std::vector<Violation>& out) {
  const EngineInput& e = in.engine;
  if (e.iterations < policy.min_evaluations) {
    Violation v;
    v.reason = kReasonNoData;
    v.value = static_cast<double>(e.iterations);
    v.since_ms = e.last_iteration_ms;
    v.summary = "the rule engine has completed " + std::to_string(e.iterations) + " of the " +
                std::to_string(policy.min_evaluations) + " evaluations required since start";
    v.evidence = {{"evaluations", e.iterations}, {"required", policy.min_evaluations}};
    out.push_back(std::move(v));
  } else if (in.now_ms - e.last_iteration_ms > policy.stale_after_ms) {
    const double age = (in.now_ms - e.last_iteration_ms) / 1000.0;
    Violation v;
    v.reason = kReasonStaleData;
    v.value = age;
    v.since_ms = e.last_iteration_ms;
    v.summary = "the last rule evaluation was " + Seconds(age) + " ago (stale after " +
                Seconds(policy.stale_after_ms / 1000.0) + ")";
    v.evidence = {{"last_evaluation", TimeOrNull(e.last_iteration_ms)},
                  {"age_seconds", age},
                  {"stale_after_seconds", policy.stale_after_ms / 1000.0}};
    out.push_back(std::move(v));
  }
  for (const ProbeInput& p : in.probes) {
    if (p.outcome != "pending" || !InScope(scope, p.labels)) continue;
    Violation v;
    v.reason = kReasonNoData;
    v.alert = p.name;
    v.probe = p.name;
    v.component = p.component;
    v.summary = "probe \"" + p.name + "\" has not run since start";
    v.evidence = {{"probe", ProbeEvidence(p)}};
    out.push_back(std::move(v));
  }
  // A group evaluates first up to one interval after start (later than the engine's first
  // iterations when its interval is longer): until then its alerts are unknown, not absent.
  for (const RuleGroupInput& g : e.groups) {
    if (g.evaluations > 0) continue;
    const bool may_block = std::any_of(
        e.alerting_rules.begin(), e.alerting_rules.end(),
        [&](const AlertingRuleInput& r) { return r.group == g.name && MayBlock(policy, r); });
    if (!may_block) continue;
    Violation v;
    v.reason = kReasonNoData;
    v.alert = g.name;
    v.summary = "rule group \"" + g.name + "\" has not been evaluated since start";
    v.evidence = {{"group", g.name}, {"evaluations", g.evaluations}};
    out.push_back(std::move(v));
  }
  // A blocking alert that is pending although the engine has not yet watched it for its whole
  // `for` since start may have been firing before a restart: wait and see.
  for (const AlertInput& a : in.alerts) {
    if (a.state != "pending" || a.for_ms <= 0 || a.evaluated_for_ms >= a.for_ms ||
        !InScope(scope, a.labels) || !Blocks(policy, a.labels)) {
      continue;
    }
    if (can_waive && FindWaiver(in, a.labels) != nullptr) continue;  // would be waived anyway
    Violation v = FromAlert(a, in);
    v.reason = kReasonNoData;
    v.summary = "alert \"" + v.alert + "\" is pending and the engine has watched it for " +
                SecondsMs(a.evaluated_for_ms) + " of its " + SecondsMs(a.for_ms) +
                " `for` since start: it may have been firing before a restart";
    v.evidence["for_seconds"] = a.for_ms / 1000.0;
    v.evidence["evaluated_for_seconds"] = a.evaluated_for_ms / 1000.0;
    out.push_back(std::move(v));
  }
  for (const RuleErrorInput& r : e.rule_errors) {
    Violation v;
    v.reason = kReasonRuleEvaluationFailed;
    v.alert = r.rule;
    v.since_ms = r.last_eval_ms;
    v.summary = "rule \"" + r.rule + "\" in group \"" + r.group + "\" failed: " + r.error;
    v.evidence = {{"group", r.group}, {"rule", r.rule}, {"error", r.error}};
    out.push_back(std::move(v));
  }
  if (!policy.allow_skipped) {
    for (const ProbeInput& p : in.probes) {
      if (p.outcome != "skipped" || !InScope(scope, p.labels)) continue;
      Violation v;
      v.reason = kReasonProbeSkipped;
      v.alert = p.name;
      v.probe = p.name;
      v.component = p.component;
      v.since_ms = p.state_since_ms;
      v.summary = "probe \"" + p.name + "\" was skipped: " + p.message;
      v.evidence = {{"probe", ProbeEvidence(p)}};
      out.push_back(std::move(v));
    }
  }
  if (e.alertmanager_required) {
    if (in.alertmanagers.empty()) {
      Violation v;
      v.reason = kReasonAlertmanagerUnreachable;
      v.summary = "alerting.required is set but no Alertmanager is being notified";
      out.push_back(std::move(v));
    }
    const bool notifier_failing =
        std::any_of(in.alertmanagers.begin(), in.alertmanagers.end(),
                    [](const AlertmanagerInput& am) { return !am.reachable; });
    // The notifier learns of an outage only when it has an alert to send; the silences request
    // finds it before the first alert would be lost.
    if (!in.alertmanagers.empty() && !notifier_failing && in.silences_fetched &&
        !in.silences_available) {
      Violation v;
      v.reason = kReasonAlertmanagerUnreachable;
      v.summary = "Alertmanager did not answer: " + in.silences_error;
      v.evidence = {{"error", in.silences_error}};
      out.push_back(std::move(v));
    }
    for (const AlertmanagerInput& am : in.alertmanagers) {
      if (am.reachable) continue;
      Violation v;
      v.reason = kReasonAlertmanagerUnreachable;
      v.alert = am.name;
      v.since_ms = am.last_success_ms;
      v.value = am.consecutive_failures;
      v.summary = "Alertmanager " + am.name + " is unreachable: " + am.last_error;
      v.evidence = {{"alertmanager", am.name},
                    {"consecutive_failures", am.consecutive_failures},
                    {"last_error", am.last_error},
                    {"last_success", TimeOrNull(am.last_success_ms)}};
      out.push_back(std::move(v));
    }
  }
  for (const auto& [name, value] : scope) {
    if (LabelKnown(in, name, value)) continue;
    Violation v;
    v.reason = kReasonScopeUnknown;
    v.summary = "no probe, alert or alerting rule has the label " + name + "=\"" + value + "\"";
    v.evidence = {{"label", name}, {"value", value}};
    out.push_back(std::move(v));
  }
}

// Oldest first (the first thing that broke is usually the cause), then by name and labels.
bool AlertOrder(const std::pair<Violation, const AlertInput*>& a,
                const std::pair<Violation, const AlertInput*>& b) {
  if (a.first.since_ms != b.first.since_ms) return a.first.since_ms < b.first.since_ms;
  if (a.first.alert != b.first.alert) return a.first.alert < b.first.alert;
  return a.second->labels < b.second->labels;
}

}  // namespace

const std::vector<std::string_view>& FailClosedReasons() {
  static const std::vector<std::string_view> kReasons = {kReasonNoData,
                                                         kReasonStaleData,
                                                         kReasonRuleEvaluationFailed,
                                                         kReasonProbeSkipped,
                                                         kReasonAlertmanagerUnreachable,
                                                         kReasonScopeUnknown};
  return kReasons;
}

std::string AlertReason(const LabelMap& labels) {
  std::string reason = Get(labels, "reason");
  return reason.empty() ? Get(labels, "alertname") : reason;
}

Verdict Decide(const Policy& policy, const Inputs& in, const Scope& scope) {
  Verdict verdict;
  verdict.evaluated_at_ms = in.now_ms;
  verdict.scope = scope;
  verdict.evaluations = in.engine.iterations;
  verdict.last_evaluation_ms = in.engine.last_iteration_ms;
  verdict.waivers_enabled = policy.waivers_enabled;
  verdict.waivers_unavailable = policy.waivers_enabled && !in.silences_available;
  if (verdict.waivers_unavailable) verdict.waivers_error = in.silences_error;

  const bool can_waive = policy.waivers_enabled && in.silences_available;
  std::vector<Violation> fail_closed;
  FailClosed(policy, in, scope, can_waive, fail_closed);
  for (std::string_view reason : FailClosedReasons()) {
    for (Violation& v : fail_closed) {
      if (v.reason == reason) verdict.violations.push_back(std::move(v));
    }
  }

  std::vector<std::pair<Violation, const AlertInput*>> blocking;
  for (const AlertInput& a : in.alerts) {
    if (a.state != "firing" || !InScope(scope, a.labels) || !Blocks(policy, a.labels)) continue;
    blocking.emplace_back(FromAlert(a, in), &a);
  }
  std::sort(blocking.begin(), blocking.end(), AlertOrder);
  for (auto& [v, alert] : blocking) {
    const Silence* s = can_waive ? FindWaiver(in, alert->labels) : nullptr;
    if (s == nullptr) {
      verdict.violations.push_back(std::move(v));
      continue;
    }
    Waiver w;
    w.violation = std::move(v);
    w.silence_id = s->id;
    w.created_by = s->created_by;
    w.comment = s->comment;
    w.ends_at_ms = s->ends_at_ms;
    verdict.waived.push_back(std::move(w));
  }
  verdict.ready = verdict.violations.empty();
  return verdict;
}

std::vector<std::string> PossibleAlertReasons(const Policy& policy,
                                              const std::vector<AlertingRuleInput>& rules) {
  std::set<std::string> reasons;
  for (const AlertingRuleInput& r : rules) {
    if (!MayBlock(policy, r)) continue;
    const std::string reason = Get(r.labels, "reason");
    if (reason.find("{{") != std::string::npos) continue;  // known only once it fires
    reasons.insert(reason.empty() ? r.name : reason);
  }
  return {reasons.begin(), reasons.end()};
}

}  // namespace smoke::readiness
