#pragma once
// The seam between config/core types and the libcurl adapters: connection options from a
// TlsSpec, a transport error as a bounded Reason, and a RunContext's deadline as a monotonic one.
// Thread-safety: pure functions.

#include "exporter/clients/transport.h"
#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"

namespace smoke::probes {

// Fails for an unknown tls min_version ("", "TLS12" and "TLS13" are accepted).
core::Result<clients::ConnectOptions> MakeConnectOptions(const config::TlsSpec& tls,
                                                         config::IpProtocol ip_protocol,
                                                         bool ip_fallback);

// kProtocol becomes `protocol_reason` (http_protocol for HTTP; TCP has no protocol to violate).
core::Reason ReasonFor(clients::TransportError error,
                       core::Reason protocol_reason = core::Reason::kHttpProtocol);

// ctx.deadline measured on the steady clock from now. An unset deadline (the epoch) falls back
// to now + `fallback` so a caller that forgot it gets a bounded probe, not an instant timeout.
clients::SteadyTime SteadyDeadline(const RunContext& ctx, core::Duration fallback);

}  // namespace smoke::probes
