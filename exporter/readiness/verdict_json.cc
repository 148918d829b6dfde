#include "exporter/readiness/verdict_json.h"

#include <cmath>

#include "exporter/ruler/rules_json.h"

namespace smoke::readiness {
namespace {

using nlohmann::json;

json TimeOrNull(int64_t ms) { return ms == 0 ? json(nullptr) : json(ruler::FormatRfc3339Ms(ms)); }

}  // namespace

json ViolationToJson(const Violation& v) {
  json value = nullptr;
  if (v.value && std::isfinite(*v.value)) value = *v.value;
  return {{"alert", v.alert},
          {"reason", v.reason},
          {"component", v.component},
          {"probe", v.probe},
          {"severity", v.severity},
          {"since", TimeOrNull(v.since_ms)},
          {"value", value},
          {"summary", v.summary},
          {"evidence", v.evidence.is_null() ? json::object() : v.evidence},
          {"runbook", v.runbook}};
}

json VerdictToJson(const Verdict& verdict) {
  json scope = json::object();
  for (const auto& [name, value] : verdict.scope) scope[name] = value;
  json violations = json::array();
  for (const Violation& v : verdict.violations) violations.push_back(ViolationToJson(v));
  json waived = json::array();
  for (const Waiver& w : verdict.waived) {
    json j = ViolationToJson(w.violation);
    j["silence_id"] = w.silence_id;
    j["created_by"] = w.created_by;
    j["comment"] = w.comment;
    j["ends_at"] = TimeOrNull(w.ends_at_ms);
    waived.push_back(std::move(j));
  }
  json waivers = {{"enabled", verdict.waivers_enabled},
                  {"available", verdict.waivers_enabled && !verdict.waivers_unavailable}};
  if (verdict.waivers_unavailable) waivers["error"] = verdict.waivers_error;
  return {{"ready", verdict.ready},
          {"decision_id", verdict.decision_id},
          {"evaluated_at", TimeOrNull(verdict.evaluated_at_ms)},
          {"scope", scope},
          {"evaluations", verdict.evaluations},
          {"last_evaluation", TimeOrNull(verdict.last_evaluation_ms)},
          {"violations", violations},
          {"waived", waived},
          {"waivers", waivers},
          {"waivers_unavailable", verdict.waivers_unavailable}};
}

}  // namespace smoke::readiness
