#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {

core::Result<clients::ConnectOptions> MakeConnectOptions(const config::TlsSpec& tls,
                                                         config::IpProtocol ip_protocol,
                                                         bool ip_fallback) {
  clients::ConnectOptions options;
  switch (ip_protocol) {
    case config::IpProtocol::kAny:
      options.ip_family = clients::IpFamily::kAny;
      break;
    case config::IpProtocol::kIp4:
      options.ip_family = clients::IpFamily::kIp4;
      break;
    case config::IpProtocol::kIp6:
      options.ip_family = clients::IpFamily::kIp6;
      break;
  }
  options.ip_fallback = ip_fallback;
  options.tls.ca_file = tls.ca_file;
  options.tls.cert_file = tls.cert_file;
  options.tls.key_file = tls.key_file;
  options.tls.server_name = tls.server_name;
  options.tls.insecure_skip_verify = tls.insecure_skip_verify;
  if (tls.min_version == "TLS12") {
    options.tls.min_version = clients::TlsMinVersion::kTls12;
  } else if (tls.min_version == "TLS13") {
    options.tls.min_version = clients::TlsMinVersion::kTls13;
  } else if (!tls.min_version.empty()) {
    return core::Status::Error("unsupported tls min_version \"" + tls.min_version +
                               "\" (want TLS12 or TLS13)");
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return core::Status::Error("tls cert_file and key_file must be set together");
  }
  return options;
}

core::Reason ReasonFor(clients::TransportError error, core::Reason protocol_reason) {
  using clients::TransportError;
  switch (error) {
    case TransportError::kNone:
      return core::Reason::kNone;
    case TransportError::kDns:
      return core::Reason::kDns;
    case TransportError::kConnectionRefused:
      return core::Reason::kConnectionRefused;
    case TransportError::kConnect:
      return core::Reason::kConnect;
    case TransportError::kTls:
      return core::Reason::kTls;
    case TransportError::kTimeout:
      return core::Reason::kTimeout;
    case TransportError::kProtocol:
      return protocol_reason;
    case TransportError::kBodyTooLarge:
      return core::Reason::kBodyTooLarge;
    case TransportError::kInternal:
      return core::Reason::kInternal;
  }
  return core::Reason::kInternal;
}

clients::SteadyTime SteadyDeadline(const RunContext& ctx, core::Duration fallback) {
  const auto steady_now = std::chrono::steady_clock::now();
  if (ctx.deadline == core::TimePoint{}) {
    return steady_now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(fallback);
  }
  return steady_now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          ctx.deadline - ctx.clock->Now());
}

}  // namespace smoke::probes
