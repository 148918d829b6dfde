#pragma once
// The tcp probe, like blackbox_exporter's prober/tcp.go: connect to host:port (optionally TLS),
// optionally send a string, optionally wait for the peer to send something matching a regex.
// Failures: dns, connection_refused, connect, tls, timeout (nothing arrived in time), expect
// (the peer sent something else, closed, or sent 64 KiB without a match); then the configured
// latency / cert_expiry assertions.
// Thread-safety: immutable after Create; Run may be called concurrently.

#include <memory>

#include "exporter/clients/transport.h"
#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/assertion_evaluator.h"
#include "exporter/probes/probe.h"

namespace re2 {
class RE2;
}

namespace smoke::probes {

// How much of the peer's output the probe reads looking for `expect`.
inline constexpr size_t kTcpExpectLimitBytes = 64 * 1024;

class TcpProbe : public Probe {
 public:
  // Fails for a target that is not host:port, an invalid expect regex or assertion, or an
  // unsupported TLS setting.
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);

  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  TcpProbe(config::ProbeSpec spec, std::shared_ptr<const re2::RE2> expect,
           AssertionEvaluator evaluator, clients::ConnectOptions connect);

  config::ProbeSpec spec_;
  std::shared_ptr<const re2::RE2> expect_;  // null: connect (and send) only
  AssertionEvaluator evaluator_;
  clients::ConnectOptions connect_;
};

}  // namespace smoke::probes
