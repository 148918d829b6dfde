#include "exporter/core/probe_result.h"

namespace smoke::core {

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kOk: return "ok";
    case Outcome::kDegraded: return "degraded";
    case Outcome::kFailed: return "failed";
    case Outcome::kSkipped: return "skipped";
  }
  return "failed";
}

std::string_view ReasonName(Reason r) {
  switch (r) {
    case Reason::kNone: return "none";
    case Reason::kDns: return "dns";
    case Reason::kConnectionRefused: return "connection_refused";
    case Reason::kConnect: return "connect";
    case Reason::kTls: return "tls";
    case Reason::kTimeout: return "timeout";
    case Reason::kHttpProtocol: return "http_protocol";
    case Reason::kStatus: return "status";
    case Reason::kBody: return "body";
    case Reason::kBodyTooLarge: return "body_too_large";
    case Reason::kJson: return "json";
    case Reason::kHeader: return "header";
    case Reason::kLatency: return "latency";
    case Reason::kCertExpiry: return "cert_expiry";
    case Reason::kExpect: return "expect";
    case Reason::kAssertion: return "assertion";
    case Reason::kCredentialsMissing: return "credentials_missing";
    case Reason::kAuthRequired: return "auth_required";
    case Reason::kAuthFailed: return "auth_failed";
    case Reason::kRoleMissing: return "role_missing";
    case Reason::kDatabaseMissing: return "database_missing";
    case Reason::kPermissionDenied: return "permission_denied";
    case Reason::kTableMissing: return "table_missing";
    case Reason::kTableEmpty: return "table_empty";
    case Reason::kQueryFailed: return "query_failed";
    case Reason::kCommandFailed: return "command_failed";
    case Reason::kReadonly: return "readonly";
    case Reason::kOom: return "oom";
    case Reason::kUnhealthy: return "unhealthy";
    case Reason::kNotReady: return "not_ready";
    case Reason::kTargetsDown: return "targets_down";
    case Reason::kRulesFailing: return "rules_failing";
    case Reason::kClusterDegraded: return "cluster_degraded";
    case Reason::kDatabaseUnhealthy: return "database_unhealthy";
    case Reason::kServiceMissing: return "service_missing";
    case Reason::kAlertRejected: return "alert_rejected";
    case Reason::kAlertMissing: return "alert_missing";
    case Reason::kAlertMisrouted: return "alert_misrouted";
    case Reason::kMetricsParse: return "metrics_parse";
    case Reason::kMetricMissing: return "metric_missing";
    case Reason::kDnsMismatch: return "dns_mismatch";
    case Reason::kDependencyUnhealthy: return "dependency_unhealthy";
    case Reason::kOpenApiInvalid: return "openapi_invalid";
    case Reason::kServerError: return "server_error";
    case Reason::kAuthNotEnforced: return "auth_not_enforced";
    case Reason::kSqlErrorLeak: return "sql_error_leak";
    case Reason::kSecurityHeader: return "security_header";
    case Reason::kCors: return "cors";
    case Reason::kThroughput: return "throughput";
    case Reason::kErrorRate: return "error_rate";
    case Reason::kInternal: return "internal";
  }
  return "internal";
}

const std::vector<Reason>& AllReasons() {
  static const std::vector<Reason> kAll = [] {
    std::vector<Reason> all;
    for (int i = static_cast<int>(Reason::kNone); i <= static_cast<int>(Reason::kInternal); ++i) {
      all.push_back(static_cast<Reason>(i));
    }
    return all;
  }();
  return kAll;
}

std::string_view SeverityName(Severity s) { return s == Severity::kWarn ? "warn" : "fail"; }

void SettleOutcome(ProbeResult& result) {
  if (result.outcome != Outcome::kOk) return;
  const AssertionResult* primary = nullptr;
  for (const AssertionResult& a : result.assertions) {
    if (a.passed) continue;
    if (primary == nullptr || (a.severity == Severity::kFail && primary->severity == Severity::kWarn)) {
      primary = &a;
    }
  }
  if (primary == nullptr) {
    result.reason = Reason::kNone;
    if (result.message.empty()) result.message = "ok";
    return;
  }
  result.outcome = primary->severity == Severity::kFail ? Outcome::kFailed : Outcome::kDegraded;
  result.reason = primary->reason;
  result.message = "assertion " + primary->name +
                   (primary->severity == Severity::kWarn ? " (warn)" : "") +
                   " failed: expected " + primary->expected + ", got " + primary->actual;
  // Name every other failed assertion too: a report must not hide the second problem.
  std::string others;
  for (const AssertionResult& a : result.assertions) {
    if (a.passed || &a == primary) continue;
    others += (others.empty() ? "" : ", ") + a.name;
  }
  if (!others.empty()) result.message += "; also failed: " + others;
}

}  // namespace smoke::core
