#pragma once
// The parts of Alertmanager's API v2 the alertmanager and alert_pipeline probes use: the status
// (GET /api/v2/status: cluster state and version; its config is never read, it can hold
// receiver credentials), the alerts list (GET /api/v2/alerts), and the body of a heartbeat
// alert for POST /api/v2/alerts.
// Thread-safety: pure functions.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"

namespace smoke::probes {

struct AlertmanagerStatus {
  std::string cluster_status;  // "ready" | "settling" | "disabled"
  int peers = 0;
  std::string version;  // versionInfo.version, "" if absent
};

struct AlertmanagerAlert {
  std::map<std::string, std::string> labels;
  std::vector<std::string> receivers;
  std::string state;  // status.state: "active" | "suppressed" | "unprocessed"
};

core::Result<AlertmanagerStatus> ParseAlertmanagerStatus(std::string_view body);
core::Result<std::vector<AlertmanagerAlert>> ParseAlertmanagerAlerts(std::string_view body);

// [{"labels":{...},"annotations":{...},"startsAt":...,"endsAt":...}] with RFC 3339 UTC times.
std::string HeartbeatAlertJson(const std::vector<std::pair<std::string, std::string>>& labels,
                               const std::vector<std::pair<std::string, std::string>>& annotations,
                               core::TimePoint starts_at, core::TimePoint ends_at);

// The query of GET /api/v2/alerts selecting alerts whose labels equal `labels` exactly:
// "filter=name%3D%22value%22&filter=..." (matchers escaped, then percent-encoded).
std::string AlertFilterQuery(const std::vector<std::pair<std::string, std::string>>& labels);

// RFC 3339 with milliseconds in UTC: 2025-10-17T18:48:30.123Z.
std::string Rfc3339(core::TimePoint t);

}  // namespace smoke::probes
