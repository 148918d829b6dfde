#include "exporter/ruler/rules_json.h"

#include <charconv>
#include <cmath>
#include <ctime>

#include "exporter/core/clock.h"

namespace smoke::ruler {
namespace {

using nlohmann::json;

json PairsToJson(const StringPairs& pairs) {
  json out = json::object();
  for (const auto& [k, v] : pairs) out[k] = v;
  return out;
}

json LabelsToJson(const promql::Labels& labels) {
  json out = json::object();
  for (const promql::Label& l : labels) out[l.name] = l.value;
  return out;
}

json AlertToJson(const Alert& a) {
  json out = {{"labels", LabelsToJson(a.labels)},
              {"annotations", LabelsToJson(a.annotations)},
              {"state", std::string(AlertStateName(a.state))},
              {"activeAt", FormatRfc3339Ms(a.active_at_ms)},
              {"value", FormatAlertValue(a.value)}};
  if (a.keep_firing_since_ms != 0) out["keepFiringSince"] = FormatRfc3339Ms(a.keep_firing_since_ms);
  return out;
}

json RuleToJson(const RuleStatus& r) {
  json out = {{"name", r.name},
              {"query", r.query},
              {"labels", PairsToJson(r.labels)},
              {"health", std::string(RuleHealthName(r.health))},
              {"evaluationTime", r.last_duration_seconds},
              {"lastEvaluation", FormatRfc3339Ms(r.last_eval_ms)}};
  if (!r.last_error.empty()) out["lastError"] = r.last_error;
  if (!r.alerting) {
    out["type"] = "recording";
    return out;
  }
  out["type"] = "alerting";
  out["state"] = std::string(AlertStateName(r.state));
  out["duration"] = core::ToSeconds(r.for_duration);
  out["keepFiringFor"] = core::ToSeconds(r.keep_firing_for);
  out["annotations"] = PairsToJson(r.annotations);
  json alerts = json::array();
  for (const Alert& a : r.alerts) {
    if (a.state != AlertState::kInactive) alerts.push_back(AlertToJson(a));
  }
  out["alerts"] = std::move(alerts);
  return out;
}

}  // namespace

std::string FormatRfc3339Ms(int64_t unix_ms) {
  if (unix_ms == 0) return "0001-01-01T00:00:00Z";
  int64_t secs = unix_ms / 1000;
  int64_t ms = unix_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    --secs;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (ms != 0) {
    char frac[8];
    std::snprintf(frac, sizeof(frac), ".%03d", static_cast<int>(ms));
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

std::string FormatAlertValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  return std::string(buf, res.ptr);
}

json RulesToJson(const std::vector<GroupStatus>& groups, const std::string& type) {
  json out = json::array();
  for (const GroupStatus& g : groups) {
    json rules = json::array();
    for (const RuleStatus& r : g.rules) {
      if ((type == "alert" && !r.alerting) || (type == "record" && r.alerting)) continue;
      rules.push_back(RuleToJson(r));
    }
    if (!type.empty() && rules.empty()) continue;
    out.push_back({{"name", g.name},
                   {"file", g.file},
                   {"interval", core::ToSeconds(g.interval)},
                   {"limit", g.limit},
                   {"evaluationTime", g.last_duration_seconds},
                   {"lastEvaluation", FormatRfc3339Ms(g.last_eval_ms)},
                   {"rules", std::move(rules)}});
  }
  return {{"groups", std::move(out)}};
}

json AlertsToJson(const std::vector<GroupStatus>& groups) {
  json alerts = json::array();
  for (const GroupStatus& g : groups) {
    for (const RuleStatus& r : g.rules) {
      for (const Alert& a : r.alerts) {
        if (a.state != AlertState::kInactive) alerts.push_back(AlertToJson(a));
      }
    }
  }
  return {{"alerts", std::move(alerts)}};
}

}  // namespace smoke::ruler
