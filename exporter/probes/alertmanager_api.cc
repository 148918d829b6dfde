#include "exporter/probes/alertmanager_api.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace smoke::probes {
namespace {

using nlohmann::json;

std::string StringAt(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// RFC 3986 unreserved characters stay, everything else is %XX.
std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// A matcher value in double quotes, as Alertmanager's matcher parser reads it.
std::string QuoteMatcherValue(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

core::Result<AlertmanagerStatus> ParseAlertmanagerStatus(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return core::Status::Error("response is not a JSON object");
  }
  auto cluster = doc.find("cluster");
  if (cluster == doc.end() || !cluster->is_object()) {
    return core::Status::Error("response has no \"cluster\" object");
  }
  AlertmanagerStatus status;
  status.cluster_status = StringAt(*cluster, "status");
  if (status.cluster_status.empty()) {
    return core::Status::Error("response has no \"cluster.status\"");
  }
  if (auto peers = cluster->find("peers"); peers != cluster->end() && peers->is_array()) {
    status.peers = static_cast<int>(peers->size());
  }
  if (auto info = doc.find("versionInfo"); info != doc.end()) {
    status.version = StringAt(*info, "version");
  }
  return status;
}

core::Result<std::vector<AlertmanagerAlert>> ParseAlertmanagerAlerts(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_array()) {
    return core::Status::Error("response is not a JSON list of alerts");
  }
  std::vector<AlertmanagerAlert> out;
  for (const json& a : doc) {
    if (!a.is_object()) continue;
    AlertmanagerAlert alert;
    if (auto labels = a.find("labels"); labels != a.end() && labels->is_object()) {
      for (const auto& [name, value] : labels->items()) {
        if (value.is_string()) alert.labels[name] = value.get<std::string>();
      }
    }
    if (auto receivers = a.find("receivers"); receivers != a.end() && receivers->is_array()) {
      for (const json& r : *receivers) {
        const std::string name = StringAt(r, "name");
        if (!name.empty()) alert.receivers.push_back(name);
      }
    }
    if (auto status = a.find("status"); status != a.end()) alert.state = StringAt(*status, "state");
    out.push_back(std::move(alert));
  }
  return out;
}

std::string HeartbeatAlertJson(const std::vector<std::pair<std::string, std::string>>& labels,
                               const std::vector<std::pair<std::string, std::string>>& annotations,
                               core::TimePoint starts_at, core::TimePoint ends_at) {
  json alert = json::object();
  alert["labels"] = json::object();
  for (const auto& [name, value] : labels) alert["labels"][name] = value;
  alert["annotations"] = json::object();
  for (const auto& [name, value] : annotations) alert["annotations"][name] = value;
  alert["startsAt"] = Rfc3339(starts_at);
  alert["endsAt"] = Rfc3339(ends_at);
  return json::array({alert}).dump();
}

std::string AlertFilterQuery(const std::vector<std::pair<std::string, std::string>>& labels) {
  std::string out;
  for (const auto& [name, value] : labels) {
    if (!out.empty()) out += "&";
    out += "filter=" + PercentEncode(name + "=" + QuoteMatcherValue(value));
  }
  return out;
}

std::string Rfc3339(core::TimePoint t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

}  // namespace smoke::probes
