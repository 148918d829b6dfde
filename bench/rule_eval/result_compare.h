#pragma once
// Comparing instant-vector results of the two engines: ours (promql::Value) and Prometheus's
// (/api/v1/query JSON), keyed by label set.
// Thread-safety: pure functions.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "exporter/promql/value.h"

namespace smoke::bench {

// Sorted "name=value," pairs -> sample value.
using ResultMap = std::map<std::string, double>;

// The vector in a query's `data` ({"resultType":"vector","result":[...]}).
ResultMap FromPrometheusJson(const nlohmann::json& data);
// An instant vector of ours; anything else gives an empty map.
ResultMap FromValue(const promql::Value& value);

// "N/M agree": series with the same labels on both sides and values equal to 1e-9 relative
// (NaN equals NaN), out of all distinct series; "DIFFER" and the first differences otherwise.
std::string Agreement(const ResultMap& ours, const ResultMap& theirs);

}  // namespace smoke::bench
