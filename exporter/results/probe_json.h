#pragma once
// JSON views of probe state for /api/v1/probes and run-once --format json.

#include <nlohmann/json.hpp>

#include "exporter/core/probe_result.h"
#include "exporter/results/result_store.h"

namespace smoke::results {

// Serialises with invalid UTF-8 (from probed targets) replaced instead of throwing.
std::string DumpJson(const nlohmann::json& j, int indent = -1);

// RFC 3339 with milliseconds, UTC ("2026-11-22T02:21:00.123Z").
std::string FormatTimestamp(core::TimePoint t);

nlohmann::json ResultToJson(const core::ProbeResult& result);
nlohmann::json EntryToJson(const HistoryEntry& entry);
// Summary of one probe; `now` gives ages.
nlohmann::json SnapshotToJson(const ProbeSnapshot& snapshot, core::TimePoint now);

}  // namespace smoke::results
