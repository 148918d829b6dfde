#pragma once
// SLOs (config/slo_spec.h) → Prometheus rules, in the shape Sloth generates, one group per SLO
// named "slo-<name>", every series and alert labelled slo="<name>" (plus the SLO's labels and the
// component its probes share):
//   slo:sli_error:ratio_rate{5m,30m,1h,2h,6h,1d,3d}  error ratio over each alert window
//   slo:sli_error:ratio_rate<period>                 average of the 5m ratio over the period
//   slo:objective:ratio, slo:error_budget:ratio, slo:time_period:days
//   slo:burn_rate:ratio_rate<window>                 error ratio / error budget, every window
//   slo:error_budget:remaining                       1 - burn rate over the period
//   <AlertName> slo_severity="page"    burn rate > 14.4 over 1h and 5m, or > 6 over 6h and 30m
//   <AlertName> slo_severity="ticket"  burn rate > 3 over 1d and 2h, or > 1 over 3d and 6h
// (factors for a 30d period; slo_windows.h scales them to others). A window without any
// measured event records nothing rather than NaN, so one quiet window cannot poison the
// period's average. The text runs unchanged in Prometheus (`promtool check rules` accepts it)
// and in the embedded engine, which loads the same groups.
// Thread-safety: pure functions.

#include <string>
#include <vector>

#include "exporter/config/slo_spec.h"
#include "exporter/core/status.h"
#include "exporter/ruler/rule_file.h"

namespace smoke::ruler {

// Where the runbook sections of the generated alerts are (the default runbook_url annotation).
inline constexpr const char* kSloPageRunbook = "docs/runbooks.md#slo-error-budget-burn-page";
inline constexpr const char* kSloTicketRunbook = "docs/runbooks.md#slo-error-budget-burn-ticket";

// The rule file for `slos`. `source` (the config file, as the user named it) is mentioned in
// the header comment. Errors in
// what the user wrote (an error_ratio query that does not parse, an annotation template that
// does not) name the config file, line and column and the SLO.
core::Result<std::string> GenerateSloRuleText(const std::vector<config::SloSpec>& slos,
                                              const std::string& source = "");

// The same rules as groups for the embedded engine, loaded from that text with LoadRuleText, so
// they are exactly what Prometheus would load. `file` is the groups' file (the rule_group label
// is FILE;GROUP); by default "<config file>#slos". No SLOs: no groups.
core::Result<std::vector<GroupSpec>> GenerateSloGroups(const std::vector<config::SloSpec>& slos,
                                                       const std::string& file = "");

}  // namespace smoke::ruler
