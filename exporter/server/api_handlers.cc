#include "exporter/results/probe_json.h"
#include "exporter/server/handlers.h"

namespace smoke::server {

HttpResponse HandleProbesList(Runtime& rt, const HttpRequest&) {
  const core::TimePoint now = rt.clock().Now();
  nlohmann::json probes = nlohmann::json::array();
  for (const results::ProbeSnapshot& s : rt.results().Snapshots()) {
    probes.push_back(results::SnapshotToJson(s, now));
  }
  return HttpResponse::Json(200, results::DumpJson({{"status", "success"}, {"data", probes}}));
}

HttpResponse HandleProbeDetail(Runtime& rt, const HttpRequest& req) {
  const std::string name = req.path.substr(std::string("/api/v1/probes/").size());
  std::optional<results::ProbeSnapshot> snap = rt.results().Snapshot(name);
  if (!snap) {
    return HttpResponse::Json(
        404, results::DumpJson({{"status", "error"}, {"error", "unknown probe \"" + name + "\""}}));
  }
  nlohmann::json data = results::SnapshotToJson(*snap, rt.clock().Now());
  nlohmann::json history = nlohmann::json::array();
  for (const results::HistoryEntry& e : rt.results().History(name)) {
    history.push_back(results::EntryToJson(e));
  }
  nlohmann::json failures = nlohmann::json::array();
  for (const results::HistoryEntry& e : rt.results().Failures(name)) {
    failures.push_back(results::EntryToJson(e));
  }
  data["history"] = std::move(history);
  data["failures"] = std::move(failures);
  return HttpResponse::Json(200, results::DumpJson({{"status", "success"}, {"data", data}}));
}

}  // namespace smoke::server
