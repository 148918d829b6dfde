#include "exporter/notifier/alert.h"

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace smoke::notifier {
namespace {

bool IsValidLabelName(const std::string& name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

std::string AlertName(const Alert& alert) {
  auto it = alert.labels.find("alertname");
  return it == alert.labels.end() ? "<no alertname>" : it->second;
}

bool IsSet(core::TimePoint t) { return t != core::TimePoint{}; }

}  // namespace

std::string FormatTimestamp(core::TimePoint t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
  // Floor division so that times before 1970 still get a millisecond part in [0, 999].
  int64_t seconds = ms / 1000;
  int64_t millis = ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

std::string EncodeAlerts(const std::vector<Alert>& alerts) {
  nlohmann::json array = nlohmann::json::array();
  for (const Alert& alert : alerts) {
    nlohmann::json item = nlohmann::json::object();
    item["labels"] = alert.labels;
    item["annotations"] = alert.annotations;
    if (IsSet(alert.starts_at)) item["startsAt"] = FormatTimestamp(alert.starts_at);
    if (IsSet(alert.ends_at)) item["endsAt"] = FormatTimestamp(alert.ends_at);
    if (!alert.generator_url.empty()) item["generatorURL"] = alert.generator_url;
    array.push_back(std::move(item));
  }
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

core::Status ValidateAlert(const Alert& alert) {
  const std::string what = "alert \"" + AlertName(alert) + "\": ";
  if (alert.labels.empty()) return core::Status::Error(what + "has no labels");
  for (const auto& [name, value] : alert.labels) {
    if (!IsValidLabelName(name)) {
      return core::Status::Error(what + "invalid label name \"" + name + "\"");
    }
  }
  for (const auto& [name, value] : alert.annotations) {
    if (!IsValidLabelName(name)) {
      return core::Status::Error(what + "invalid annotation name \"" + name + "\"");
    }
  }
  if (IsSet(alert.starts_at) && IsSet(alert.ends_at) && alert.ends_at < alert.starts_at) {
    return core::Status::Error(what + "endsAt " + FormatTimestamp(alert.ends_at) +
                               " is before startsAt " + FormatTimestamp(alert.starts_at));
  }
  return core::Status::Ok();
}

std::string LabelSetKey(const LabelMap& labels) {
  std::string key;
  for (const auto& [name, value] : labels) {
    key += std::to_string(name.size());
    key += ':';
    key += name;
    key += std::to_string(value.size());
    key += ':';
    key += value;
  }
  return key;
}

}  // namespace smoke::notifier
