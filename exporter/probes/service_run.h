#pragma once
// One run of a probe that makes several requests to one service (the monitoring-stack probes):
// each request is a phase named after what it checks ("healthy", "ready", "targets"); the
// connection facts of the first response become the evidence's address and the connection gauges
// (probe_dns_lookup_time_seconds, probe_ip_protocol, TLS expiry); the status of every response
// goes into the evidence as "<phase>_status". A transport failure ends the run with its reason
// and a message naming the request ("GET /-/ready: Connection refused"); checks made before it
// are kept, so the report shows what still worked. A configured secret that could not be read
// skips the run before anything is sent.
// Thread-safety: not thread-safe; one instance per run, on the running thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/clients/http_client.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/probe.h"
#include "exporter/probes/service_client.h"

namespace smoke::probes {

class ServiceRun {
 public:
  // `timeout` bounds the run when ctx has no deadline.
  ServiceRun(const ServiceClient& client, const RunContext& ctx, core::Duration timeout);

  // True once the run was skipped or a request failed below HTTP: make no further requests.
  bool ended() const { return ended_; }

  // The response, or nullopt when the run has ended (now or before).
  std::optional<clients::HttpResponse> Get(const std::string& phase, std::string_view path,
                                           const std::string& accept = "application/json");
  std::optional<clients::HttpResponse> PostJson(const std::string& phase, std::string_view path,
                                                std::string body);

  // Records a named check; `actual` is masked and made printable.
  void Check(std::string name, core::Reason reason, bool passed, std::string expected,
             std::string actual, core::Severity severity = core::Severity::kFail);
  void Detail(std::string key, std::string value);
  void Measure(core::Measurement m) { result_.measurements.push_back(std::move(m)); }
  // Keeps the response's status, headers (redacted) and a body snippet as the evidence. Never
  // call it for a body that may hold secrets (Alertmanager's /api/v2/status carries its config).
  void KeepResponse(const clients::HttpResponse& response);

  // The masked, printable first `max_bytes` of a response body, whitespace trimmed: for
  // "actual" values in checks.
  std::string Snippet(std::string_view body, size_t max_bytes = 200) const;

  clients::SteadyTime deadline() const { return deadline_; }
  const core::Clock& clock() const { return *ctx_.clock; }

  // Settles the outcome from the checks (unless skipped or failed) and sets the duration.
  core::ProbeResult Finish();

 private:
  std::optional<clients::HttpResponse> Record(const std::string& phase, std::string_view method,
                                              std::string_view path, clients::HttpResponse response,
                                              double seconds);

  const ServiceClient& client_;
  const RunContext& ctx_;
  clients::SteadyTime deadline_;
  std::chrono::steady_clock::time_point started_;
  bool ended_ = false;
  bool connection_recorded_ = false;
  core::ProbeResult result_;
};

// GETs `path` (a health or readiness endpoint such as /-/healthy) and records check `check`:
// status 200, else `reason` with the status and the start of the body as the actual value.
// Returns the response (nullopt if the run ended).
std::optional<clients::HttpResponse> CheckOkEndpoint(ServiceRun& run, const std::string& phase,
                                                     std::string_view path,
                                                     const std::string& check, core::Reason reason);

}  // namespace smoke::probes
