#include "exporter/scheduler/run_probe.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "exporter/core/logging.h"

namespace smoke::scheduler {
namespace {

// Exception text is arbitrary; keep log lines bounded.
constexpr size_t kMaxErrorLength = 256;

}  // namespace

core::ProbeResult InternalFailure(core::TimePoint started, core::TimePoint finished,
                                  std::string message) {
  core::ProbeResult result;
  result.outcome = core::Outcome::kFailed;
  result.reason = core::Reason::kInternal;
  result.message = std::move(message);
  result.started = started;
  result.duration_seconds = std::max(0.0, core::ToSeconds(finished - started));
  return result;
}

core::ProbeResult RunProbeSafely(const probes::Probe& probe, const probes::RunContext& ctx,
                                 const std::string& name) {
  const core::TimePoint started = ctx.clock->Now();
  std::string error;
  try {
    return probe.Run(ctx);
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown exception";
  }
  if (error.size() > kMaxErrorLength) error.resize(kMaxErrorLength);
  core::LogError("probe threw an exception; this is a bug in the probe",
                 {{"probe", name}, {"error", error}});
  return InternalFailure(started, ctx.clock->Now(),
                         "internal error: the probe threw an exception (see the exporter log)");
}

void DeliverSafely(const ResultSink& sink, const std::string& name,
                   const core::ProbeResult& result) {
  if (!sink) return;
  try {
    sink(name, result);
  } catch (const std::exception& e) {
    core::LogError("scheduler: result sink threw", {{"probe", name}, {"error", e.what()}});
  } catch (...) {
    core::LogError("scheduler: result sink threw", {{"probe", name}});
  }
}

}  // namespace smoke::scheduler
