#include "exporter/probes/http_probe.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "exporter/probes/http_request_builder.h"
#include "exporter/probes/probe_measurements.h"
#include "exporter/probes/redaction.h"
#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {
namespace {

// Used only when a caller runs the probe without a deadline and the spec has no timeout.
constexpr core::Duration kFallbackTimeout = std::chrono::seconds(10);
constexpr size_t kMessageBytes = 300;

// blackbox_exporter's phases from libcurl's cumulative timestamps. When the transfer failed
// part-way, the time since the last completed step goes to the phase that was in progress, so a
// timeout shows *where* it hung instead of five zeros (blackbox_exporter #579).
std::vector<core::Phase> HttpPhases(const clients::Timings& t, bool tls, bool failed) {
  double resolve = t.namelookup;
  double connect = t.connect > 0 ? t.connect - t.namelookup : 0;
  double handshake = t.appconnect > 0 ? t.appconnect - t.connect : 0;
  const double ready = std::max(t.appconnect, t.connect);
  double processing = t.starttransfer > 0 ? t.starttransfer - ready : 0;
  double transfer = t.starttransfer > 0 ? t.total - t.starttransfer : 0;
  if (failed) {
    if (t.namelookup == 0) {
      resolve = t.total;
    } else if (t.connect == 0) {
      connect = t.total - t.namelookup;
    } else if (tls && t.appconnect == 0) {
      handshake = t.total - t.connect;
    } else if (t.starttransfer == 0) {
      processing = t.total - ready;
    }
  }
  auto phase = [](const char* name, double s) { return core::Phase{name, std::max(0.0, s)}; };
  return {phase("resolve", resolve), phase("connect", connect), phase("tls", handshake),
          phase("processing", processing), phase("transfer", transfer)};
}

double HttpVersionNumber(const std::string& v) {
  if (v == "1.0") return 1.0;
  if (v == "1.1") return 1.1;
  if (v == "2") return 2.0;
  if (v == "3") return 3.0;
  return 0;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Redirect targets may carry tokens in the query; the path is what a person needs.
std::string WithoutQuery(const std::string& url) { return url.substr(0, url.find_first_of("?#")); }

}  // namespace

core::Result<ProbePtr> HttpProbe::Create(const config::ProbeSpec& spec) {
  const std::string where = "probe \"" + spec.name + "\": ";
  core::Result<clients::ConnectOptions> connect =
      MakeConnectOptions(spec.http.tls, spec.http.ip_protocol, spec.http.ip_protocol_fallback);
  if (!connect.ok()) return core::Status::Error(where + connect.status().message());
  if (core::Status s = clients::CurlHttpClient::CheckUrl(spec.target, connect->tls); !s.ok()) {
    return core::Status::Error(where + s.message());
  }
  if (spec.http.basic_auth && spec.http.bearer_token) {
    return core::Status::Error(where + "basic_auth and bearer_token are mutually exclusive");
  }
  ContractPtr contract;
  if (spec.http.contract) {
    core::Result<ContractPtr> made = MakeContract(*spec.http.contract);
    if (!made.ok()) return core::Status::Error(where + made.status().message());
    contract = std::move(made).value();
    const std::string url = contract->Url(spec.target);
    if (core::Status s = clients::CurlHttpClient::CheckUrl(url, connect->tls); !s.ok()) {
      return core::Status::Error(where + s.message());
    }
  }
  // A contract states its own status expectation, so no default status assertion is added.
  const std::vector<config::Assertion> assertions =
      spec.http.assertions.empty() && !contract
          ? std::vector<config::Assertion>{DefaultStatusAssertion()}
          : spec.http.assertions;
  core::Result<AssertionEvaluator> evaluator = AssertionEvaluator::Create(assertions);
  if (!evaluator.ok()) return core::Status::Error(where + evaluator.status().message());
  return ProbePtr(new HttpProbe(spec, std::move(evaluator).value(), std::move(connect).value(),
                                std::move(contract)));
}

HttpProbe::HttpProbe(config::ProbeSpec spec, AssertionEvaluator evaluator,
                     clients::ConnectOptions connect, ContractPtr contract)
    : spec_(std::move(spec)),
      evaluator_(std::move(evaluator)),
      connect_(std::move(connect)),
      contract_(std::move(contract)) {
  url_ = contract_ ? contract_->Url(spec_.target) : spec_.target;
  sends_configured_credentials_ = !contract_ || contract_->SendsCredentials();
  secret_header_names_ = SecretHeaderNames(spec_.http);
  sends_credentials_ = sends_configured_credentials_ &&
                       (spec_.http.basic_auth.has_value() || spec_.http.bearer_token.has_value() ||
                        !secret_header_names_.empty());
}

std::string HttpProbe::MissingSecret() const {
  if (!sends_configured_credentials_) return "";  // the contract sends none of them
  return MissingHttpSecret(spec_.http);
}

clients::HttpRequest HttpProbe::BuildRequest() const {
  clients::HttpRequest request =
      BuildHttpRequest(spec_.http, url_, connect_, sends_configured_credentials_);
  if (contract_) contract_->Prepare(request);
  return request;
}

core::ProbeResult HttpProbe::Run(const RunContext& ctx) const {
  core::ProbeResult result;
  result.started = ctx.clock->Now();
  const auto t0 = std::chrono::steady_clock::now();
  const auto finish = [&] {
    result.duration_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };

  if (std::string missing = MissingSecret(); !missing.empty()) {
    result.outcome = core::Outcome::kSkipped;
    result.reason = core::Reason::kCredentialsMissing;
    result.message = "not run: " + missing;
    finish();
    return result;
  }

  const SecretMasker masker(HttpSecretValues(spec_.http));

  const clients::HttpResponse response =
      client_.Execute(BuildRequest(), SteadyDeadline(ctx, spec_.timeout > core::Duration::zero()
                                                              ? spec_.timeout
                                                              : kFallbackTimeout));
  const clients::ConnectionInfo& conn = response.connection;
  const bool got_response = response.status_code != 0;
  const bool failed = !response.status.ok();

  core::Evidence& ev = result.evidence;
  ev.resolved_address = FormatAddress(conn.primary_ip, conn.primary_port);
  ev.status_code = response.status_code;
  ev.headers = RedactHeaders(response.headers, secret_header_names_, masker);
  ev.body_snippet = BodySnippet(response.body, masker);
  if (!response.http_version.empty())
    ev.details.emplace_back("http_version", response.http_version);
  ev.details.emplace_back("redirects", std::to_string(response.redirect_count));
  if (response.redirect_count > 0) {
    ev.details.emplace_back("final_url", masker.Mask(WithoutQuery(response.effective_url)));
  }
  if (conn.tls && !conn.tls_version.empty()) {
    ev.details.emplace_back("tls_version", conn.tls_version);
    ev.details.emplace_back("tls_cipher", conn.tls_cipher);
  }
  if (response.content_length >= 0) {
    ev.details.emplace_back("content_length", std::to_string(response.content_length));
  }
  ev.details.emplace_back("body_bytes", std::to_string(response.body.size()));
  if (response.body_truncated) ev.details.emplace_back("body_truncated", "true");

  const bool tls_intended = conn.tls || StartsWithIgnoreCase(response.effective_url, "https://") ||
                            StartsWithIgnoreCase(spec_.target, "https://");
  result.phases = HttpPhases(conn.timings, tls_intended, failed);

  std::vector<core::Measurement>& m = result.measurements;
  for (const core::Phase& p : result.phases) {
    m.push_back(Gauge(kHttpDurationSeconds, p.seconds, {{"phase", p.name}}));
  }
  m.push_back(Gauge(kHttpStatusCode, response.status_code));
  m.push_back(
      Gauge(kHttpContentLength, got_response ? static_cast<double>(response.content_length) : 0));
  m.push_back(Gauge(kHttpUncompressedBodyLength, static_cast<double>(response.body.size())));
  m.push_back(Gauge(kHttpRedirects, response.redirect_count));
  m.push_back(Gauge(kHttpSsl, got_response && conn.tls ? 1 : 0));
  m.push_back(Gauge(kHttpVersion, HttpVersionNumber(response.http_version)));
  AppendConnectionMeasurements(conn, m);

  bool regex_failed = false;
  if (failed) {
    result.outcome = core::Outcome::kFailed;
    result.reason = ReasonFor(response.status.error);
    result.message = PrintableSnippet(masker.Mask(response.status.message), kMessageBytes);
  } else {
    ResponseView view;
    view.status_code = response.status_code;
    view.headers = &response.headers;
    view.body = response.body;
    view.latency_seconds = conn.timings.total;
    view.earliest_cert_expiry = conn.earliest_cert_expiry;
    view.now = ctx.clock->Now();
    view.credentials_sent = sends_credentials_;
    Evaluation evaluation = evaluator_.Evaluate(view);
    if (contract_) {
      // The contract's checks first: SettleOutcome reports the first failed one, and the
      // contract's are the specific ones (the dependency, the header, the SQL error).
      ContractReport report;
      contract_->Check(view, report);
      for (auto& [key, value] : report.details) ev.details.emplace_back(key, masker.Mask(value));
      evaluation.results.insert(evaluation.results.begin(),
                                std::make_move_iterator(report.results.begin()),
                                std::make_move_iterator(report.results.end()));
    }
    for (core::AssertionResult& a : evaluation.results) a.actual = masker.Mask(std::move(a.actual));
    result.assertions = std::move(evaluation.results);
    regex_failed = evaluation.body_regex_failed;
    result.outcome = core::Outcome::kOk;
    result.reason = core::Reason::kNone;
    core::SettleOutcome(result);
  }
  m.push_back(Gauge(kFailedDueToRegex, regex_failed ? 1 : 0));
  finish();
  return result;
}

}  // namespace smoke::probes
