#include "exporter/probes/dns_probe.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "exporter/clients/dns_resolver.h"
#include "exporter/config/dns_parser.h"
#include "exporter/core/duration.h"
#include "exporter/probes/monitoring_checks.h"
#include "exporter/probes/probe_measurements.h"
#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {

core::Result<ProbePtr> DnsProbe::Create(const config::ProbeSpec& spec) {
  if (std::optional<std::string> error = config::DnsTargetError(spec.target)) {
    return core::Status::Error("probe \"" + spec.name + "\": " + *error);
  }
  clients::IpFamily family = clients::IpFamily::kAny;
  if (spec.dns.ip_protocol == "ip4") {
    family = clients::IpFamily::kIp4;
  } else if (spec.dns.ip_protocol == "ip6") {
    family = clients::IpFamily::kIp6;
  } else if (spec.dns.ip_protocol != "any" && !spec.dns.ip_protocol.empty()) {
    return core::Status::Error("probe \"" + spec.name + "\": unknown ip_protocol \"" +
                               spec.dns.ip_protocol + "\" (want any, ip4 or ip6)");
  }
  return ProbePtr(new DnsProbe(spec, family));
}

core::ProbeResult DnsProbe::Run(const RunContext& ctx) const {
  core::ProbeResult result;
  result.started = ctx.clock->Now();
  const auto t0 = std::chrono::steady_clock::now();
  const clients::DnsAnswer answer = clients::Resolve(
      spec_.target, family_,
      SteadyDeadline(ctx, spec_.timeout > core::Duration::zero() ? spec_.timeout
                                                                 : kMonitoringFallbackTimeout));
  result.phases.push_back({"resolve", answer.seconds});
  result.measurements.push_back(Gauge(kDnsLookupTimeSeconds, answer.seconds));
  result.measurements.push_back(
      MonitoringGauge("probe_dns_answer_rrs", static_cast<double>(answer.addresses.size())));
  result.measurements.push_back(
      Gauge(kIpProtocol, answer.addresses.empty() ? 0 : IpProtocolOf(answer.addresses.front())));
  std::string joined;
  for (const std::string& a : answer.addresses) joined += (joined.empty() ? "" : ", ") + a;
  if (!answer.addresses.empty()) {
    result.evidence.resolved_address = answer.addresses.front();
    result.evidence.details.emplace_back("addresses", joined);
  }

  if (!answer.status.ok()) {
    result.outcome = core::Outcome::kFailed;
    result.reason = ReasonFor(answer.status.error);
    result.message = answer.status.message;
  } else {
    result.outcome = core::Outcome::kOk;
    result.reason = core::Reason::kNone;
    const config::DnsSpec& dns = spec_.dns;
    if (!dns.expected_addresses.empty()) {
      std::vector<std::string> missing;
      for (const std::string& want : dns.expected_addresses) {
        if (std::find(answer.addresses.begin(), answer.addresses.end(), want) ==
            answer.addresses.end()) {
          missing.push_back(want);
        }
      }
      std::string expected;
      for (const std::string& a : dns.expected_addresses) {
        expected += (expected.empty() ? "" : ", ") + a;
      }
      std::string actual = "answers " + joined;
      if (!missing.empty()) actual += " (missing " + JoinProblems(missing, 10) + ")";
      result.assertions.push_back({"expected_addresses", core::Reason::kDnsMismatch,
                                   core::Severity::kFail, missing.empty(),
                                   "answers include " + expected, actual});
    }
    if (dns.max_resolve_time) {
      const double limit = core::ToSeconds(*dns.max_resolve_time);
      char actual[32];
      std::snprintf(actual, sizeof actual, "%.3fs", answer.seconds);
      result.assertions.push_back(
          {"resolve_time", core::Reason::kLatency, core::Severity::kFail, answer.seconds <= limit,
           "resolved within " + core::FormatDuration(*dns.max_resolve_time), actual});
    }
    core::SettleOutcome(result);
    if (result.outcome == core::Outcome::kOk) result.message = "resolved to " + joined;
  }
  result.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace smoke::probes
