#pragma once
// `smoke_exporter gate --url URL [--wait DURATION] [--interval D] [--selector k=v]...`: the deploy
// script's side of the release gate. Asks GET {url}/api/v1/readiness (scoped by the selectors)
// until the verdict is ready or --wait has passed, then prints the verdict:
//   READY: decision 01K8... evaluated 2025-10-25T04:08:00.243Z
// or the violations as a table (stdout), with progress and errors on stderr:
//   BLOCKED: 2 violations (decision 01K8..., evaluated 2025-10-25T04:08:00.243Z)
//   ALERT              REASON               COMPONENT  PROBE          SEVERITY  SINCE  EVIDENCE
//   ErrorRateCritical  error_rate_critical  api        notifications  critical  ...    HTTP 500...
// Exit codes: 0 ready; 1 blocked; 2 undecidable (unreachable, timed out, an answer that is not
// the verdict's JSON, or bad flags). With --wait, an undecidable answer is retried like a
// blocked one; the last answer decides the exit code.
// Thread-safety: reentrant.

#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "exporter/core/clock.h"

namespace smoke::server {

inline constexpr int kGateExitReady = 0;
inline constexpr int kGateExitBlocked = 1;
inline constexpr int kGateExitUndecidable = 2;

struct GateCommandOptions {
  std::string url = "http://127.0.0.1:9117";  // the exporter, or its full readiness URL
  std::string wait = "0s";                    // how long to keep asking; 0 = ask once
  std::string interval = "10s";               // between questions
  std::vector<std::string> selectors;         // "component=api": the scope
  core::Duration request_timeout = std::chrono::seconds(10);
  core::Clock* clock = nullptr;  // null: the system clock (tests pass one that skips waits)
};

int RunGateCommand(const GateCommandOptions& options, std::ostream& out, std::ostream& err);

// The table of `violations` (the verdict's JSON array); with `waived` set, the waived list with
// each silence. Cells are one line, long evidence is cut at 100 characters.
void PrintViolationsTable(const nlohmann::json& violations, std::ostream& out);
void PrintWaivedTable(const nlohmann::json& waived, std::ostream& out);

}  // namespace smoke::server
