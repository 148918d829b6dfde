#pragma once
// Lookups into a ProbeResult for probe tests (unit and integration).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/probe_result.h"

namespace smoke::testing {

// The named assertion's result, or nullptr.
const core::AssertionResult* FindAssertion(const core::ProbeResult& r, std::string_view name);
// The value of the measurement with exactly these labels, if emitted.
std::optional<double> Measured(const core::ProbeResult& r, std::string_view name,
                               const std::vector<std::pair<std::string, std::string>>& labels = {});
std::optional<double> PhaseSeconds(const core::ProbeResult& r, std::string_view name);
// An evidence detail, "" if absent.
std::string Detail(const core::ProbeResult& r, std::string_view key);
// Every string a person, a log or a scraper could see (for "secret never shown" checks).
std::string EverythingShown(const core::ProbeResult& r);
// "outcome/reason: everything shown", for failure messages.
std::string Describe(const core::ProbeResult& r);

}  // namespace smoke::testing
