#pragma once
// The result contract shared by probes (which produce it), results (which turn it into metrics
// and history) and run-once (which prints it). Pure data; no third-party types.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"

namespace smoke::core {

// ok: every assertion passed. degraded: only warn-severity assertions failed. failed: the probe
// could not complete or a fail-severity assertion failed. skipped: the check could not run (e.g.
// credentials missing) and is never counted as passed.
enum class Outcome { kOk, kDegraded, kFailed, kSkipped };

// Bounded failure reasons: the only values the `reason` label ever takes. Raw error text goes to
// ProbeResult::message and the history, never into a label.
enum class Reason {
  kNone,                // ok
  kDns,                 // name did not resolve
  kConnectionRefused,   // RST on connect
  kConnect,             // other connect failure (unreachable, reset during connect)
  kTls,                 // handshake or certificate verification failed
  kTimeout,             // deadline reached in any phase
  kHttpProtocol,        // malformed response, connection reset mid-response, empty reply
  kStatus,              // status-code assertion failed
  kBody,                // body regex assertion failed
  kBodyTooLarge,        // body exceeded body_size_limit
  kJson,                // body is not JSON or a JSON-path assertion failed
  kHeader,              // header assertion failed
  kLatency,             // latency assertion failed
  kCertExpiry,          // TLS certificate expires too soon
  kExpect,              // TCP expect regex did not match
  kAssertion,           // composite (all_of / any_of) assertion failed
  kCredentialsMissing,  // a *_file / *_env secret could not be read: the probe is skipped
  kAuthRequired,        // target demands credentials we did not send (Redis NOAUTH, HTTP 401)
  kAuthFailed,          // credentials rejected
  kRoleMissing,
  kDatabaseMissing,
  kPermissionDenied,
  kTableMissing,
  kTableEmpty,
  kQueryFailed,
  kCommandFailed,
  kReadonly,
  kOom,
  // The monitoring-stack probes (prometheus, alertmanager, grafana, jaeger, alert_pipeline,
  // metrics, dns).
  kUnhealthy,           // a health endpoint answered, but not healthy (/-/healthy, /api/health)
  kNotReady,            // /-/ready answered, but not ready
  kTargetsDown,         // Prometheus scrape targets are down, or a required job has none
  kRulesFailing,        // Prometheus rules fail to evaluate
  kClusterDegraded,     // the Alertmanager cluster is settling or has too few peers
  kDatabaseUnhealthy,   // Grafana reports its database not ok
  kServiceMissing,      // Jaeger has no traces of a required service
  kAlertRejected,       // Alertmanager refused the heartbeat alert
  kAlertMissing,        // the heartbeat alert could not be read back before the deadline
  kAlertMisrouted,      // Alertmanager routes the heartbeat to another receiver than expected
  kMetricsParse,        // a /metrics body is not valid text exposition format
  kMetricMissing,       // a required metric or series is absent
  kDnsMismatch,         // the name resolved, but not to the expected addresses
  // API contracts (exporter/probes/contract*.h) and the burst probe.
  kDependencyUnhealthy,  // a health document reports a dependency not healthy (or missing)
  kOpenApiInvalid,       // not a valid OpenAPI/Swagger JSON document, or a required path missing
  kServerError,          // a 5xx where the contract requires the request be refused with a 4xx
  kAuthNotEnforced,      // a request without credentials or signature was accepted
  kSqlErrorLeak,         // the response shows database error text
  kSecurityHeader,       // a security header is missing or has an unsafe value
  kCors,                 // the CORS answer does not allow the configured origin/method/headers
  kThroughput,           // burst throughput (or success rate) fell below its bound
  kErrorRate,            // too many burst requests failed
  kInternal,            // a bug or resource exhaustion in the exporter itself
};

std::string_view OutcomeName(Outcome o);
std::string_view ReasonName(Reason r);
// All reasons, in declaration order (for documentation and validation).
const std::vector<Reason>& AllReasons();

enum class Severity { kFail, kWarn };
std::string_view SeverityName(Severity s);

struct Phase {
  std::string name;  // resolve | connect | tls | processing | transfer | auth | query:<n> ...
  double seconds = 0;
};

struct AssertionResult {
  std::string name;
  Reason reason = Reason::kAssertion;  // the reason this assertion reports when it fails
  Severity severity = Severity::kFail;
  bool passed = false;
  std::string expected;  // human readable, e.g. "status in 200-299"
  std::string actual;    // e.g. "503"
};

// A probe-kind-specific gauge such as probe_http_status_code or probe_ssl_earliest_cert_expiry.
// The results layer adds the probe's identifying labels.
struct Measurement {
  std::string name;
  std::string help;
  double value = 0;
  std::vector<std::pair<std::string, std::string>> labels;
};

// What a person needs to understand a failure without rerunning it. Redacted by the producer:
// no credentials, bodies capped.
struct Evidence {
  std::string resolved_address;  // ip:port actually used
  int status_code = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // response headers (redacted)
  std::string body_snippet;                                  // capped, secrets masked
  std::vector<std::pair<std::string, std::string>> details;  // kind-specific facts
};

struct ProbeResult {
  Outcome outcome = Outcome::kFailed;
  Reason reason = Reason::kInternal;
  std::string message;  // one line, human readable, redacted
  TimePoint started{};
  double duration_seconds = 0;
  std::vector<Phase> phases;
  std::vector<AssertionResult> assertions;
  std::vector<Measurement> measurements;
  Evidence evidence;

  bool passed() const { return outcome == Outcome::kOk || outcome == Outcome::kDegraded; }
};

// Called by a probe whose transport succeeded (outcome kOk) once its assertions are evaluated:
// the first failed fail-severity assertion fails the probe with that assertion's reason;
// otherwise the first failed warn-severity one degrades it; otherwise it stays ok with reason
// none. A result that already failed or was skipped is left untouched.
void SettleOutcome(ProbeResult& result);

}  // namespace smoke::core
