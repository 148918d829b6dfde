#pragma once
// An API contract: a named, reusable check put on an http probe (`http: {contract: ...}`). The
// contract decides the request it needs (method, headers, payload, whether credentials are sent)
// and adds named checks with reasons of their own; the probe's `assertions:` still apply on top.
// contract_parser.h has the YAML; exporter/probes/contract.h runs it.
// Thread-safety: plain data, immutable after loading.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/json_path.h"
#include "exporter/core/probe_result.h"

namespace smoke::config {

enum class ContractKind {
  kHealth,            // health JSON with dependencies; each unhealthy dependency named
  kOpenApi,           // the target is a valid OpenAPI (or Swagger 2.0) JSON document
  kNotFound,          // an unknown path answers 404 with a JSON error field
  kInvalidInput,      // an invalid id/ticker answers 4xx, never 5xx
  kAuthRequired,      // no credentials -> 401 or 403
  kSqlInjection,      // an injection payload is refused without 5xx or SQL error text
  kSecurityHeaders,   // X-Content-Type-Options, X-Frame-Options, HSTS, CSP
  kCors,              // a preflight from the configured origin is allowed
  kWebhookSignature,  // an unsigned webhook is refused with 4xx, not 500
};

// One header the security_headers contract requires.
struct SecurityHeaderSpec {
  std::string name;     // as written, e.g. "X-Frame-Options"
  std::string pattern;  // RE2 searched in the value; "" = present and non-empty is enough
  core::Severity severity = core::Severity::kFail;
};

struct ContractSpec {
  ContractKind kind = ContractKind::kHealth;
  std::string name;  // the kind as written: "security_headers"
  // Default severity of the contract's checks.
  core::Severity severity = core::Severity::kFail;

  // Statuses that satisfy the contract (inclusive ranges). Empty = the kind's default:
  // not_found 404; invalid_input 4xx; auth_required 401, 403; webhook_signature 400, 401, 403,
  // 422; sql_injection 2xx, 4xx; health, openapi 2xx; cors 2xx.
  std::vector<std::pair<int, int>> expect_status;

  // not_found / invalid_input: the JSON error field the response must carry ("" = not checked).
  std::string error_field;
  core::JsonPath error_field_parsed;

  // health.
  std::string status_field = "$.status";  // "" = not checked
  core::JsonPath status_field_parsed;
  std::string dependencies_field = "$.dependencies";
  core::JsonPath dependencies_field_parsed;
  std::vector<std::string> healthy_values;   // compared case-insensitively
  std::vector<std::string> degraded_values;  // a dependency in one of these only warns
  std::vector<std::string> required_dependencies;

  // openapi.
  std::vector<std::string> required_paths;  // each must be a key of `paths`
  int64_t min_paths = 1;

  // sql_injection: the payload goes into query parameter `param`, or (no param) becomes the last
  // path segment; URL-encoded either way.
  std::string payload;
  std::string param;
  std::vector<std::string> extra_signatures;  // RE2, on top of the built-in DB error signatures

  // security_headers.
  std::vector<SecurityHeaderSpec> headers;

  // cors.
  std::string origin;
  std::string request_method = "GET";
  std::vector<std::string> request_headers;
  bool credentials = false;  // the origin sends cookies: "*" no longer counts as allowed
  bool preflight = true;     // false: a plain GET with Origin, only Allow-Origin is checked

  // webhook_signature (and the request of the others when set): method and body to send.
  std::string method;  // "" = the probe's method (POST for webhook_signature)
  std::optional<std::string> body;
  std::string content_type;
};

}  // namespace smoke::config
