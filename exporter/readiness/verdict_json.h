#pragma once
// The verdict as the readiness endpoint serves it and the decision log stores it:
//   {"ready":false,"decision_id":"01J...","evaluated_at":"2025-10-25T04:08:00.243Z",
//    "scope":{"component":"api"},"evaluations":12,"last_evaluation":"...",
//    "violations":[{"alert","reason","component","probe","severity","since","value","summary",
//                   "evidence","runbook"}],
//    "waived":[{...same fields..., "silence_id","created_by","comment","ends_at"}],
//    "waivers":{"enabled":true,"available":true},"waivers_unavailable":false}
// Times are RFC 3339 UTC (null when unknown); a value that is not a number is null.
// Thread-safety: pure functions.

#include <nlohmann/json.hpp>

#include "exporter/readiness/verdict.h"

namespace smoke::readiness {

nlohmann::json ViolationToJson(const Violation& v);
nlohmann::json VerdictToJson(const Verdict& verdict);

}  // namespace smoke::readiness
