#pragma once
// The safety net under one probe run. Probe::Run promises never to throw, but a worker thread
// that dies on a stray exception would silently shrink the pool and (uncaught) terminate the
// process, so every run the scheduler makes goes through here, and so does every result it hands
// to the sink.

#include <functional>
#include <string>

#include "exporter/core/probe_result.h"
#include "exporter/probes/probe.h"

namespace smoke::scheduler {

// Runs `probe`; an exception becomes a failed result with reason kInternal (the exception text
// goes to the log, not to the result, because nothing has redacted it).
// Thread-safety: as thread-safe as probe.Run().
core::ProbeResult RunProbeSafely(const probes::Probe& probe, const probes::RunContext& ctx,
                                 const std::string& name);

// Receives every result (scheduler.h).
using ResultSink = std::function<void(const std::string& name, const core::ProbeResult& result)>;

// Calls `sink` (if set); an exception it throws is logged.
void DeliverSafely(const ResultSink& sink, const std::string& name,
                   const core::ProbeResult& result);

// A failed result with reason kInternal, for runs that could not produce one of their own.
core::ProbeResult InternalFailure(core::TimePoint started, core::TimePoint finished,
                                  std::string message);

}  // namespace smoke::scheduler
