#include "exporter/ruler/alert_state_file.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "exporter/core/atomic_file.h"

namespace smoke::ruler {
namespace {

using nlohmann::json;

constexpr int kVersion = 1;

json LabelsToJson(const promql::Labels& labels) {
  json out = json::object();
  for (const promql::Label& l : labels) out[l.name] = l.value;
  return out;
}

promql::Labels LabelsFromJson(const json& j) {
  std::vector<promql::Label> labels;
  for (const auto& [name, value] : j.items()) labels.push_back({name, value.get<std::string>()});
  return promql::Labels(std::move(labels));
}

AlertState StateFromName(const std::string& name) {
  if (name == "firing") return AlertState::kFiring;
  if (name == "pending") return AlertState::kPending;
  return AlertState::kInactive;
}

}  // namespace

core::Status WriteAlertState(const std::string& path, const SavedAlertState& state) {
  json rules = json::array();
  for (const SavedRuleAlerts& r : state.rules) {
    json alerts = json::array();
    for (const Alert& a : r.alerts) {
      alerts.push_back({{"labels", LabelsToJson(a.labels)},
                        {"annotations", LabelsToJson(a.annotations)},
                        {"state", std::string(AlertStateName(a.state))},
                        {"value", a.value},
                        {"active_at_ms", a.active_at_ms},
                        {"fired_at_ms", a.fired_at_ms},
                        {"resolved_at_ms", a.resolved_at_ms},
                        {"last_sent_at_ms", a.last_sent_at_ms},
                        {"valid_until_ms", a.valid_until_ms},
                        {"keep_firing_since_ms", a.keep_firing_since_ms}});
    }
    rules.push_back(
        {{"group", r.group_key}, {"rule", r.rule}, {"index", r.index}, {"alerts", alerts}});
  }
  const json doc = {{"version", kVersion}, {"saved_at_ms", state.saved_at_ms}, {"rules", rules}};
  // NaN values (possible for $value) are not JSON: dump writes them as null, read back as 0.
  return core::WriteFileAtomically(path, doc.dump() + "\n");
}

core::Result<std::optional<SavedAlertState>> ReadAlertState(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::optional<SavedAlertState>();
  core::Result<std::string> text = core::ReadWholeFile(path);
  if (!text.ok()) return text.status();
  try {
    const json doc = json::parse(*text);
    if (doc.value("version", 0) != kVersion) {
      return core::Status::Error(path + ": unsupported alert state version " +
                                 doc.value("version", json()).dump());
    }
    SavedAlertState state;
    state.saved_at_ms = doc.at("saved_at_ms").get<int64_t>();
    for (const json& r : doc.at("rules")) {
      SavedRuleAlerts rule;
      rule.group_key = r.at("group").get<std::string>();
      rule.rule = r.at("rule").get<std::string>();
      rule.index = r.at("index").get<int>();
      for (const json& a : r.at("alerts")) {
        Alert alert;
        alert.labels = LabelsFromJson(a.at("labels"));
        alert.annotations = LabelsFromJson(a.at("annotations"));
        alert.state = StateFromName(a.at("state").get<std::string>());
        alert.value = a.at("value").is_number() ? a.at("value").get<double>() : 0.0;
        alert.active_at_ms = a.at("active_at_ms").get<int64_t>();
        alert.fired_at_ms = a.at("fired_at_ms").get<int64_t>();
        alert.resolved_at_ms = a.at("resolved_at_ms").get<int64_t>();
        alert.last_sent_at_ms = a.at("last_sent_at_ms").get<int64_t>();
        alert.valid_until_ms = a.at("valid_until_ms").get<int64_t>();
        alert.keep_firing_since_ms = a.at("keep_firing_since_ms").get<int64_t>();
        rule.alerts.push_back(std::move(alert));
      }
      state.rules.push_back(std::move(rule));
    }
    return std::optional<SavedAlertState>(std::move(state));
  } catch (const json::exception& e) {
    return core::Status::Error(path + ": malformed alert state: " + e.what());
  }
}

}  // namespace smoke::ruler
