#pragma once
// The `slos:` section (slo_spec.h):
//   slos:
//     - name: api-availability
//       description: The public API answers its health checks
//       objective: 99.9            # percent of good events
//       period: 30d                # default 30d; whole days, longer than 3d
//       sli:                       # exactly one of:
//         availability: {probes: [api_health], labels: {component: api}}
//         # latency: {probes: [...], labels: {...}, threshold: 500ms}   (a histogram bucket bound)
//         # error_ratio: {errors: 'sum(rate(x{code=~"5.."}[{{.window}}]))', total: '...'}
//       labels: {team: platform}   # on every generated series and alert
//       alerting:
//         name: ApiAvailabilityBurn               # default: <Name>ErrorBudgetBurn
//         labels: {}, annotations: {}             # both alerts
//         page: {labels: {}, annotations: {}, disable: false}
//         ticket: {labels: {}, annotations: {}, disable: false}
// Probe names are checked against the configured probes ("did you mean"), a selector must match
// at least one probe, and a latency threshold must be one of global.histogram_buckets (a share
// under any other bound cannot be read from the histogram). PromQL and templates are checked by
// the generator (ruler/slo_rules.h), which knows PromQL.
// Thread-safety: stateless functions.

#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// `node` is the section's value, or null when it is absent. `probes` and `global` are the
// already parsed config; when `check_probe_references` is false (the probes had errors of their
// own), selectors are not matched against probes, so a broken probe does not also produce
// "unknown probe" errors.
std::vector<SloSpec> ParseSlos(const YamlNode* node, const std::vector<ProbeSpec>& probes,
                               const GlobalSpec& global, bool check_probe_references,
                               Diagnostics& diag);

// "api-availability" -> "ApiAvailabilityErrorBudgetBurn": the default alert name.
std::string DefaultSloAlertName(const std::string& slo_name);

}  // namespace smoke::config
