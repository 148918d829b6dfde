#pragma once
// The dns probe: resolves the target host name with the system resolver, as the application's
// own clients would, within the probe's deadline. The resolution time is the "resolve" phase and
// probe_dns_lookup_time_seconds; probe_dns_answer_rrs counts the addresses. A name that does not
// resolve fails with reason dns (timeout at the deadline). Checks: "expected_addresses" (every
// listed address is among the answers, reason dns_mismatch) and "resolve_time"
// (max_resolve_time, reason latency). The answers go into the evidence.
// Thread-safety: immutable after Create; Run may be called concurrently.

#include "exporter/clients/transport.h"
#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"

namespace smoke::probes {

class DnsProbe : public Probe {
 public:
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);
  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  DnsProbe(config::ProbeSpec spec, clients::IpFamily family)
      : spec_(std::move(spec)), family_(family) {}

  config::ProbeSpec spec_;
  clients::IpFamily family_;
};

}  // namespace smoke::probes
