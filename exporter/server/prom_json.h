#pragma once
// Prometheus's HTTP API JSON (docs/querying/api.md), written byte for byte as Prometheus writes
// it, so Grafana, Argo Rollouts, Flagger and Keptn read our answers with their Prometheus clients:
//   {"status":"success","data":{"resultType":"vector","result":[
//     {"metric":{"__name__":"up","job":"api"},"value":[1435781451.781,"1"]}]}}
//   {"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": ..."}
// Sample values are strings (JSON has no NaN or Inf): strconv.FormatFloat with 'f', or 'e' below
// 1e-6 and from 1e21 on, as Prometheus's jsonutil does ("NaN", "+Inf", "-Inf", "1e-07").
// Timestamps are Unix seconds with up to three decimals, never rounded through a double.
// A scalar or string result is written as Prometheus's own MarshalJSON writes it: [1.5,"0.0000001"]
// (the timestamp as Go prints a float64, the value always in 'f').
// Strings are escaped as Go's encoding/json does (HTML characters as \u003c, invalid UTF-8 as
// \ufffd).
// Thread-safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/promql/labels.h"
#include "exporter/promql/value.h"

namespace smoke::server {

// The errorType values of the API and the HTTP status Prometheus answers each with.
enum class ApiErrorType {
  kBadData,      // 400: a parameter is missing or malformed, the query does not parse
  kExecution,    // 422: the query parsed but its evaluation failed
  kTimeout,      // 503: the evaluation took longer than the timeout
  kCanceled,     // 503
  kInternal,     // 500
  kNotFound,     // 404
  kUnavailable,  // 503: nothing to query yet (no storage wired)
};

struct ApiError {
  ApiErrorType type = ApiErrorType::kInternal;
  std::string message;
};

// "bad_data", "execution", "timeout", "canceled", "internal", "not_found", "unavailable".
std::string_view ApiErrorTypeName(ApiErrorType type);
int HttpStatusOf(ApiErrorType type);

// A sample value as a JSON string, quotes included: "1", "0.1", "NaN", "+Inf", "1e-07".
std::string SampleValueJson(double v);
// Unix milliseconds as JSON seconds: 1435781451781 -> 1435781451.781, 1000 -> 1,
// -1500 -> -1.500 (a fraction always has three digits).
std::string TimestampJson(int64_t t_ms);
// A JSON string literal, quotes included.
std::string JsonString(std::string_view s);
// {"__name__":"up","job":"api"}: labels in name order.
std::string LabelsJson(const promql::Labels& labels);
// ["a","b"]
std::string StringArrayJson(const std::vector<std::string>& values);

// {"resultType":"vector","result":[...]}: the data of a query or query_range answer.
std::string QueryDataJson(const promql::Value& value);

// {"status":"success","data":<data_json>} with "warnings" when there are any.
std::string SuccessJson(std::string_view data_json, const std::vector<std::string>& warnings = {});
// {"status":"error","errorType":"...","error":"..."}
std::string ErrorJson(const ApiError& error);

}  // namespace smoke::server
