#include "exporter/probes/prometheus_api.h"

#include <nlohmann/json.hpp>

namespace smoke::probes {
namespace {

using nlohmann::json;

std::string StringAt(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The `data` member of a successful v1 response.
core::Result<json> Data(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return core::Status::Error("response is not a JSON object");
  }
  const std::string status = StringAt(doc, "status");
  if (status == "error") {
    return core::Status::Error("API error " + StringAt(doc, "errorType") + ": " +
                               StringAt(doc, "error"));
  }
  if (status != "success") {
    return core::Status::Error("response has no \"status\": \"success\"");
  }
  auto data = doc.find("data");
  if (data == doc.end() || !data->is_object()) {
    return core::Status::Error("response has no \"data\" object");
  }
  return std::move(*data);
}

}  // namespace

core::Result<std::vector<PrometheusTarget>> ParsePrometheusTargets(std::string_view body) {
  core::Result<json> data = Data(body);
  if (!data.ok()) return data.status();
  auto active = data->find("activeTargets");
  if (active == data->end() || !active->is_array()) {
    return core::Status::Error("response has no \"data.activeTargets\" list");
  }
  std::vector<PrometheusTarget> out;
  out.reserve(active->size());
  for (const json& t : *active) {
    PrometheusTarget target;
    if (auto labels = t.find("labels"); labels != t.end()) {
      target.job = StringAt(*labels, "job");
      target.instance = StringAt(*labels, "instance");
    }
    target.health = StringAt(t, "health");
    target.last_error = StringAt(t, "lastError");
    target.scrape_pool = StringAt(t, "scrapePool");
    out.push_back(std::move(target));
  }
  return out;
}

core::Result<std::vector<PrometheusRule>> ParsePrometheusRules(std::string_view body) {
  core::Result<json> data = Data(body);
  if (!data.ok()) return data.status();
  auto groups = data->find("groups");
  if (groups == data->end() || !groups->is_array()) {
    return core::Status::Error("response has no \"data.groups\" list");
  }
  std::vector<PrometheusRule> out;
  for (const json& g : *groups) {
    auto rules = g.find("rules");
    if (rules == g.end() || !rules->is_array()) continue;
    for (const json& r : *rules) {
      PrometheusRule rule;
      rule.group = StringAt(g, "name");
      rule.file = StringAt(g, "file");
      rule.name = StringAt(r, "name");
      rule.type = StringAt(r, "type");
      rule.health = StringAt(r, "health");
      rule.last_error = StringAt(r, "lastError");
      out.push_back(std::move(rule));
    }
  }
  return out;
}

}  // namespace smoke::probes
