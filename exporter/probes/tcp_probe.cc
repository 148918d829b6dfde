#include "exporter/probes/tcp_probe.h"

#include <re2/re2.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "exporter/clients/tcp_client.h"
#include "exporter/probes/probe_measurements.h"
#include "exporter/probes/redaction.h"
#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {
namespace {

constexpr core::Duration kFallbackTimeout = std::chrono::seconds(10);
constexpr size_t kMessageBytes = 300;
constexpr size_t kActualBytes = 200;

using Clock = std::chrono::steady_clock;

double SecondsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// "host:port" or "[v6]:port" with a numeric port in 1..65535.
bool ValidHostPort(const std::string& target) {
  const size_t colon = target.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == target.size()) return false;
  const std::string host = target.substr(0, colon);
  if (host.find(':') != std::string::npos && (host.front() != '[' || host.back() != ']')) {
    return false;  // an IPv6 literal must be bracketed
  }
  int port = 0;
  for (char c : target.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return false;
    port = port * 10 + (c - '0');
  }
  return port >= 1 && port <= 65535;
}

std::vector<core::Phase> TcpPhases(const clients::Timings& t, bool tls, bool connected,
                                   double expect_seconds) {
  double resolve = t.namelookup;
  double connect = t.connect > 0 ? t.connect - t.namelookup : 0;
  double handshake = t.appconnect > 0 ? t.appconnect - t.connect : 0;
  if (!connected) {  // the time since the last completed step belongs to the step in progress
    if (t.namelookup == 0) {
      resolve = t.total;
    } else if (t.connect == 0) {
      connect = t.total - t.namelookup;
    } else if (tls && t.appconnect == 0) {
      handshake = t.total - t.connect;
    }
  }
  auto phase = [](const char* name, double s) { return core::Phase{name, std::max(0.0, s)}; };
  return {phase("resolve", resolve), phase("connect", connect), phase("tls", handshake),
          phase("expect", expect_seconds)};
}

std::string EndText(clients::CurlTcpConnection::ReadEnd end, const std::string& error) {
  using End = clients::CurlTcpConnection::ReadEnd;
  switch (end) {
    case End::kStopped:
      return "matched";
    case End::kPeerClosed:
      return "the peer closed the connection";
    case End::kLimit:
      return "read limit of " + std::to_string(kTcpExpectLimitBytes) + " bytes";
    case End::kTimeout:
      return "deadline reached";
    case End::kError:
      return "connection error: " + error;
  }
  return "";
}

}  // namespace

core::Result<ProbePtr> TcpProbe::Create(const config::ProbeSpec& spec) {
  const std::string where = "probe \"" + spec.name + "\": ";
  if (!ValidHostPort(spec.target)) {
    return core::Status::Error(where + "target \"" + spec.target + "\" is not host:port");
  }
  core::Result<clients::ConnectOptions> connect =
      MakeConnectOptions(spec.tcp.tls_config, config::IpProtocol::kAny, true);
  if (!connect.ok()) return core::Status::Error(where + connect.status().message());
  std::shared_ptr<const re2::RE2> expect;
  if (!spec.tcp.expect.empty()) {
    auto re = std::make_shared<const re2::RE2>(spec.tcp.expect, re2::RE2::Quiet);
    if (!re->ok()) {
      return core::Status::Error(where + "invalid expect regex \"" + spec.tcp.expect +
                                 "\": " + re->error());
    }
    expect = std::move(re);
  }
  core::Result<AssertionEvaluator> evaluator = AssertionEvaluator::Create(spec.tcp.assertions);
  if (!evaluator.ok()) return core::Status::Error(where + evaluator.status().message());
  return ProbePtr(new TcpProbe(spec, std::move(expect), std::move(evaluator).value(),
                               std::move(connect).value()));
}

TcpProbe::TcpProbe(config::ProbeSpec spec, std::shared_ptr<const re2::RE2> expect,
                   AssertionEvaluator evaluator, clients::ConnectOptions connect)
    : spec_(std::move(spec)),
      expect_(std::move(expect)),
      evaluator_(std::move(evaluator)),
      connect_(std::move(connect)) {}

core::ProbeResult TcpProbe::Run(const RunContext& ctx) const {
  core::ProbeResult result;
  result.started = ctx.clock->Now();
  const auto t0 = Clock::now();
  const clients::SteadyTime deadline = SteadyDeadline(
      ctx, spec_.timeout > core::Duration::zero() ? spec_.timeout : kFallbackTimeout);

  clients::CurlTcpConnection conn;
  const clients::TransportStatus connected =
      conn.Connect(spec_.target, spec_.tcp.tls, connect_, deadline);
  const auto t_connected = Clock::now();
  const clients::ConnectionInfo& info = conn.info();
  result.evidence.resolved_address = FormatAddress(info.primary_ip, info.primary_port);
  if (info.tls && !info.tls_version.empty()) {
    result.evidence.details.emplace_back("tls_version", info.tls_version);
    result.evidence.details.emplace_back("tls_cipher", info.tls_cipher);
  }

  bool expect_failed = false;
  std::string received;
  if (!connected.ok()) {
    result.outcome = core::Outcome::kFailed;
    result.reason = ReasonFor(connected.error, core::Reason::kConnect);
    result.message = PrintableSnippet(connected.message, kMessageBytes);
  } else {
    result.outcome = core::Outcome::kOk;
    result.reason = core::Reason::kNone;
    clients::TransportStatus sent;
    if (!spec_.tcp.send.empty()) sent = conn.SendAll(spec_.tcp.send, deadline);
    if (!sent.ok()) {
      result.outcome = core::Outcome::kFailed;
      result.reason = sent.error == clients::TransportError::kTimeout ? core::Reason::kTimeout
                                                                      : core::Reason::kConnect;
      result.message = "sending failed: " + PrintableSnippet(sent.message, kMessageBytes);
    } else if (expect_) {
      const re2::RE2& re = *expect_;
      const clients::CurlTcpConnection::ReadResult read = conn.ReadUntil(
          [&re](std::string_view data) {
            return RE2::PartialMatch(re2::StringPiece(data.data(), data.size()), re);
          },
          kTcpExpectLimitBytes, deadline);
      received = read.data;
      const bool matched = read.end == clients::CurlTcpConnection::ReadEnd::kStopped;
      core::AssertionResult expect;
      expect.name = "expect";
      expect.reason = core::Reason::kExpect;
      expect.severity = core::Severity::kFail;
      expect.passed = matched;
      expect.expected = "received data matches \"" + PrintableSnippet(spec_.tcp.expect, 400) + "\"";
      const std::string end = EndText(read.end, read.status.message);
      expect.actual = received.empty() ? "nothing received (" + end + ")"
                                       : "\"" + PrintableSnippet(received, kActualBytes) + "\"" +
                                             (matched ? "" : " (" + end + ")");
      if (!matched && read.end == clients::CurlTcpConnection::ReadEnd::kTimeout &&
          received.empty()) {
        // Silence until the deadline is a timeout, not a wrong answer.
        result.outcome = core::Outcome::kFailed;
        result.reason = core::Reason::kTimeout;
        result.message = "timed out waiting for the peer to send data matching \"" +
                         PrintableSnippet(spec_.tcp.expect, 200) + "\"";
      }
      expect_failed = !matched && result.outcome == core::Outcome::kOk;
      result.assertions.push_back(std::move(expect));
    }
  }
  const auto t_done = Clock::now();

  result.evidence.body_snippet = BodySnippet(received, SecretMasker());
  result.evidence.details.emplace_back("bytes_received", std::to_string(received.size()));
  result.phases = TcpPhases(info.timings, spec_.tcp.tls, connected.ok(),
                            connected.ok() ? SecondsBetween(t_connected, t_done) : 0);

  if (result.outcome == core::Outcome::kOk) {
    ResponseView view;
    view.body = received;
    view.latency_seconds = SecondsBetween(t0, t_done);
    view.earliest_cert_expiry = info.earliest_cert_expiry;
    view.now = ctx.clock->Now();
    Evaluation evaluation = evaluator_.Evaluate(view);
    for (core::AssertionResult& a : evaluation.results) result.assertions.push_back(std::move(a));
    expect_failed = expect_failed || evaluation.body_regex_failed;
    core::SettleOutcome(result);
  }

  std::vector<core::Measurement>& m = result.measurements;
  AppendConnectionMeasurements(info, m);
  m.push_back(Gauge(kFailedDueToRegex, expect_failed ? 1 : 0));
  result.duration_seconds = SecondsBetween(t0, Clock::now());
  return result;
}

}  // namespace smoke::probes
