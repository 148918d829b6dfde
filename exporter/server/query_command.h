#pragma once
// `smoke_exporter query 'EXPR' [--time T] [--url URL]`: asks a running exporter (or any
// Prometheus) through /api/v1/query and prints the answer as `promtool query instant` does:
//   up{instance="a:9100", job="node"} => 1 @[1435781451.781]    one line per sample (vector)
//   scalar: 1 @[1435781451.781]                                   a scalar
//   up{job="node"} =>                                             a range vector: the series,
//   1 @[1435781436.781]                                           then one line per point
// A string result prints its value. Warnings go to stderr.
// Exit codes: 0 answered; 1 the API answered with an error (printed with its errorType);
// 2 no API answer at all (unreachable, timeout, or a response that is not the API's JSON).
// Thread-safety: the functions are reentrant.

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>

#include "exporter/core/clock.h"

namespace smoke::server {

inline constexpr int kQueryExitOk = 0;
inline constexpr int kQueryExitApiError = 1;
inline constexpr int kQueryExitUnreachable = 2;

struct QueryCommandOptions {
  std::string expr;
  std::string time;  // RFC 3339 or Unix seconds; "" lets the server use its "now"
  std::string url = "http://127.0.0.1:9117";
  core::Duration timeout = std::chrono::seconds(30);
};

// Performs the query and prints the result to `out`, errors to `err`; returns the exit code.
int RunQueryCommand(const QueryCommandOptions& options, std::ostream& out, std::ostream& err);

// Prints one /api/v1/query answer (HTTP status and body) and returns the exit code. `source` names
// the server in messages.
int PrintQueryResponse(int http_status, std::string_view body, std::string_view source,
                       std::ostream& out, std::ostream& err);

}  // namespace smoke::server
