#pragma once
// The rule engine's state in Prometheus's HTTP API JSON (web/api/v1/api.go), so Grafana and other
// Prometheus clients read it unchanged:
//   /api/v1/rules  -> {"groups":[{"name","file","interval","limit","evaluationTime",
//                      "lastEvaluation","rules":[{"type":"alerting"|"recording",...}]}]}
//   /api/v1/alerts -> {"alerts":[{"labels","annotations","state","activeAt","value"}]}
// These return the "data" member; the server wraps it in {"status":"success","data":...}.
// Thread-safety: pure functions.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "exporter/ruler/group_status.h"

namespace smoke::ruler {

// `type` filters as the API's type= parameter: "alert", "record" or empty for both. Inactive
// (resolved) alerts are left out, as Prometheus's API does.
nlohmann::json RulesToJson(const std::vector<GroupStatus>& groups, const std::string& type = "");
nlohmann::json AlertsToJson(const std::vector<GroupStatus>& groups);

// Go's time.Time RFC3339Nano in UTC; 0 is Go's zero time "0001-01-01T00:00:00Z".
std::string FormatRfc3339Ms(int64_t unix_ms);
// Go's strconv.FormatFloat(v, 'e', -1, 64): "1e+00", "1.5e-07", "NaN", "+Inf".
std::string FormatAlertValue(double v);

}  // namespace smoke::ruler
