#pragma once
// Building blocks the contract kinds share: a check result in one call, status ranges in words,
// header lookup, and the status check of contracts that require a request to be refused.
// Thread-safety: pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/assertion_evaluator.h"
#include "exporter/probes/contract.h"

namespace smoke::probes {

// Contract checks show at most this much of a value a target sent.
inline constexpr size_t kContractActualBytes = 200;

core::AssertionResult Check(std::string name, core::Reason reason, core::Severity severity,
                            bool passed, std::string expected, std::string actual);

// "200-299", "401, 403", "2xx" style (as the status assertion writes them).
std::string StatusRangesText(const std::vector<std::pair<int, int>>& ranges);
bool StatusIn(int code, const std::vector<std::pair<int, int>>& ranges);

// Every value of the header `name` (case-insensitive), in order received.
std::vector<std::string> HeaderValues(const ResponseView& view, std::string_view name);

// `text` as one quoted, printable line of at most kContractActualBytes.
std::string Shown(std::string_view text);

// The status check of a contract that requires a refusal: passes when the status is in
// `expected`. Otherwise the reason says what went wrong: kServerError for a 5xx (the input
// crashed the handler instead of being refused), `accepted_reason` for a 2xx/3xx (kStatus when
// invalid input was served, kAuthNotEnforced when a request without credentials got through),
// kStatus for any other code.
core::AssertionResult RefusalStatusCheck(const ResponseView& view,
                                         const std::vector<std::pair<int, int>>& expected,
                                         core::Severity severity, core::Reason accepted_reason,
                                         std::string_view accepted_note);

// A required check that could not run because an earlier one failed: failed, "not checked: why".
core::AssertionResult NotChecked(std::string name, core::Reason reason, core::Severity severity,
                                 std::string expected, std::string_view why);

// Removes every header named `name` (case-insensitive) and appends `name: value`.
void SetHeader(clients::HeaderList& headers, const std::string& name, const std::string& value);

}  // namespace smoke::probes
