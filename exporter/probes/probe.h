#pragma once
// One small interface per probe kind (blackbox_exporter's prober/<kind>.go is the model):
// http_probe.h, tcp_probe.h, ... each implement Probe. A Probe is built once from a validated
// ProbeSpec (regexes compiled, secrets resolved) and run many times.
// Thread-safety: Run() may be called concurrently on the same Probe from different threads (the
// scheduler never does so for one scheduled probe, but /probe may).

#include <memory>

#include "exporter/config/config.h"
#include "exporter/core/clock.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"

namespace smoke::probes {

struct RunContext {
  // Absolute deadline: the probe must return by then (plus scheduling slack), whatever the target
  // does. Derived from the spec's timeout by the caller.
  core::TimePoint deadline;
  const core::Clock* clock = &core::SystemClock::Default();
};

class Probe {
 public:
  virtual ~Probe() = default;
  // Never throws; every failure is a result with a reason.
  virtual core::ProbeResult Run(const RunContext& ctx) const = 0;
  // Whether Run waits only inside libcurl transfers (clients::CurlEasy::Perform), so that it may
  // run as a task of a clients::CurlLoop, suspended while it waits, instead of on a thread.
  virtual bool RunsOnCurlLoop() const { return false; }
};

using ProbePtr = std::unique_ptr<Probe>;

// Builds the probe for spec.kind. Fails for an unknown kind or an invalid spec.
core::Result<ProbePtr> MakeProbe(const config::ProbeSpec& spec);

}  // namespace smoke::probes
