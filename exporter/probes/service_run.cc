#include "exporter/probes/service_run.h"

#include <algorithm>
#include <utility>

#include "exporter/probes/probe_measurements.h"
#include "exporter/probes/redaction.h"
#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {
namespace {

constexpr size_t kMessageBytes = 300;

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The path without its query: filters may carry label values, the path is what people need.
std::string_view PathOnly(std::string_view path) { return path.substr(0, path.find('?')); }

}  // namespace

ServiceRun::ServiceRun(const ServiceClient& client, const RunContext& ctx, core::Duration timeout)
    : client_(client),
      ctx_(ctx),
      deadline_(SteadyDeadline(ctx, timeout)),
      started_(std::chrono::steady_clock::now()) {
  result_.started = ctx.clock->Now();
  result_.outcome = core::Outcome::kOk;
  result_.reason = core::Reason::kNone;
  if (std::string missing = client_.MissingSecret(); !missing.empty()) {
    result_.outcome = core::Outcome::kSkipped;
    result_.reason = core::Reason::kCredentialsMissing;
    result_.message = "not run: " + missing;
    ended_ = true;
  }
}

std::optional<clients::HttpResponse> ServiceRun::Get(const std::string& phase,
                                                     std::string_view path,
                                                     const std::string& accept) {
  if (ended_) return std::nullopt;
  const auto t0 = std::chrono::steady_clock::now();
  clients::HttpResponse response = client_.Get(path, deadline_, accept);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return Record(phase, "GET", path, std::move(response), seconds);
}

std::optional<clients::HttpResponse> ServiceRun::PostJson(const std::string& phase,
                                                          std::string_view path, std::string body) {
  if (ended_) return std::nullopt;
  const auto t0 = std::chrono::steady_clock::now();
  clients::HttpResponse response = client_.PostJson(path, std::move(body), deadline_);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return Record(phase, "POST", path, std::move(response), seconds);
}

std::optional<clients::HttpResponse> ServiceRun::Record(const std::string& phase,
                                                        std::string_view method,
                                                        std::string_view path,
                                                        clients::HttpResponse response,
                                                        double seconds) {
  // A phase run several times (polling) accumulates.
  bool found = false;
  for (core::Phase& p : result_.phases) {
    if (p.name == phase) {
      p.seconds += seconds;
      found = true;
    }
  }
  if (!found) result_.phases.push_back({phase, seconds});

  const clients::ConnectionInfo& conn = response.connection;
  if (!connection_recorded_ && (!conn.primary_ip.empty() || response.status.ok())) {
    connection_recorded_ = true;
    result_.evidence.resolved_address = FormatAddress(conn.primary_ip, conn.primary_port);
    AppendConnectionMeasurements(conn, result_.measurements);
  }
  if (response.status_code != 0) {
    // A phase run several times (polling) keeps its latest status.
    const std::string key = phase + "_status";
    auto& details = result_.evidence.details;
    auto it =
        std::find_if(details.begin(), details.end(), [&](const auto& d) { return d.first == key; });
    if (it != details.end()) {
      it->second = std::to_string(response.status_code);
    } else {
      Detail(key, std::to_string(response.status_code));
    }
  }
  if (!response.status.ok()) {
    ended_ = true;
    result_.outcome = core::Outcome::kFailed;
    result_.reason = ReasonFor(response.status.error);
    result_.message =
        std::string(method) + " " + std::string(PathOnly(path)) + ": " +
        PrintableSnippet(client_.masker().Mask(response.status.message), kMessageBytes);
    return std::nullopt;
  }
  return response;
}

void ServiceRun::Check(std::string name, core::Reason reason, bool passed, std::string expected,
                       std::string actual, core::Severity severity) {
  core::AssertionResult a;
  a.name = std::move(name);
  a.reason = reason;
  a.severity = severity;
  a.passed = passed;
  a.expected = std::move(expected);
  a.actual = PrintableSnippet(client_.masker().Mask(std::move(actual)), 1024);
  result_.assertions.push_back(std::move(a));
}

void ServiceRun::Detail(std::string key, std::string value) {
  result_.evidence.details.emplace_back(
      std::move(key), PrintableSnippet(client_.masker().Mask(std::move(value)), 1024));
}

void ServiceRun::KeepResponse(const clients::HttpResponse& response) {
  result_.evidence.status_code = response.status_code;
  result_.evidence.headers =
      RedactHeaders(response.headers, client_.secret_header_names(), client_.masker());
  result_.evidence.body_snippet = BodySnippet(response.body, client_.masker());
}

std::string ServiceRun::Snippet(std::string_view body, size_t max_bytes) const {
  // Masked before it is cut, so that a secret straddling the cut cannot show in part.
  const std::string masked = client_.masker().Mask(
      std::string(body.substr(0, max_bytes * 2 + client_.masker().longest())));
  return PrintableSnippet(Trim(masked), max_bytes);
}

core::ProbeResult ServiceRun::Finish() {
  core::SettleOutcome(result_);  // leaves failed and skipped results as they are
  result_.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return std::move(result_);
}

std::optional<clients::HttpResponse> CheckOkEndpoint(ServiceRun& run, const std::string& phase,
                                                     std::string_view path,
                                                     const std::string& check,
                                                     core::Reason reason) {
  std::optional<clients::HttpResponse> response = run.Get(phase, path, "text/plain, */*");
  if (!response) return std::nullopt;
  const bool ok = response->status_code == 200;
  std::string actual = std::to_string(response->status_code);
  if (!ok) {
    const std::string body = run.Snippet(response->body);
    if (!body.empty()) actual += " \"" + body + "\"";
  }
  run.Check(check, reason, ok, "GET " + std::string(path) + " answers 200", std::move(actual));
  return response;
}

}  // namespace smoke::probes
