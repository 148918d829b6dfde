#include "exporter/results/probe_json.h"

#include <cstdio>
#include <ctime>

namespace smoke::results {

using nlohmann::json;

std::string DumpJson(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string FormatTimestamp(core::TimePoint t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

json ResultToJson(const core::ProbeResult& r) {
  json phases = json::object();
  for (const core::Phase& p : r.phases) phases[p.name] = p.seconds;
  json assertions = json::array();
  for (const core::AssertionResult& a : r.assertions) {
    assertions.push_back({{"name", a.name},
                          {"passed", a.passed},
                          {"severity", core::SeverityName(a.severity)},
                          {"reason", core::ReasonName(a.reason)},
                          {"expected", a.expected},
                          {"actual", a.actual}});
  }
  json headers = json::object();
  for (const auto& [name, value] : r.evidence.headers) headers[name] = value;
  json details = json::object();
  for (const auto& [name, value] : r.evidence.details) details[name] = value;
  json evidence = {{"resolved_address", r.evidence.resolved_address},
                   {"status_code", r.evidence.status_code},
                   {"headers", headers},
                   {"body_snippet", r.evidence.body_snippet},
                   {"details", details}};
  return {{"outcome", core::OutcomeName(r.outcome)},
          {"reason", core::ReasonName(r.reason)},
          {"message", r.message},
          {"started", FormatTimestamp(r.started)},
          {"duration_seconds", r.duration_seconds},
          {"phases", phases},
          {"assertions", assertions},
          {"evidence", evidence}};
}

json EntryToJson(const HistoryEntry& entry) {
  json j = ResultToJson(entry.result);
  j["sequence"] = entry.sequence;
  return j;
}

json SnapshotToJson(const ProbeSnapshot& s, core::TimePoint now) {
  json labels = json::object();
  for (const auto& [name, value] : s.identity.static_labels) labels[name] = value;
  json j = {{"name", s.identity.name},
            {"component", s.identity.component},
            {"kind", s.identity.kind},
            {"target", s.identity.target},
            {"labels", labels},
            {"attempts", s.attempts},
            {"consecutive_failures", s.consecutive_failures},
            {"state", s.last ? core::OutcomeName(s.last->result.outcome) : "pending"}};
  if (s.last) {
    j["last"] = EntryToJson(*s.last);
    j["state_since"] = FormatTimestamp(s.state_since);
    j["age_seconds"] = core::ToSeconds(now - s.last->result.started);
  }
  if (s.last_failure) j["last_failure"] = EntryToJson(*s.last_failure);
  return j;
}

}  // namespace smoke::results
