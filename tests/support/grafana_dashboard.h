#pragma once
// Reading the Grafana dashboards in dashboards/*.json the way Grafana does, for the tests that
// check them: the static checks (tests/unit/promql/dashboard_queries_test.cc) and the drift test
// against a real Prometheus (tests/integration/drift_test.cc). Both expand the queries'
// variables with the same rules, so a query the static test parses is the query Prometheus runs.
// Thread-safety: plain values and free functions; no shared state.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/status.h"

namespace smoke::testing {

// One PromQL query of a dashboard: a panel's target or an annotation.
struct DashboardQuery {
  std::string where;        // "panel 7 \"Probe outcome\" target B" / "annotation \"...\""
  int panel_id = 0;         // 0 for annotations
  std::string description;  // the panel's description ("" for annotations)
  std::string expr;         // as written, with Grafana variables
  bool instant = false;     // an instant query (tables); otherwise a range query
};

// A `query` variable whose definition is label_values(SELECTOR, LABEL).
struct DashboardVariable {
  std::string name;
  std::string selector;  // with Grafana variables
  std::string label;
  std::optional<std::string> all_value;  // custom "All" value; none: the regex of every value
};

struct Dashboard {
  std::string file;  // base name, e.g. "overview.json"
  nlohmann::json json;

  // Every panel, rows included, and the panels inside collapsed rows.
  std::vector<const nlohmann::json*> Panels() const;
  std::vector<DashboardQuery> Queries() const;
  // The label_values() variables in the order Grafana resolves them (each may use the earlier).
  core::Result<std::vector<DashboardVariable>> QueryVariables() const;
  // $__range for the dashboard's default time range ("now-3h" -> "3h").
  std::string Range() const;
};

// dashboards/*.json under `dir`, sorted by name; an error names the file that is not valid JSON.
core::Result<std::vector<Dashboard>> LoadDashboards(const std::string& dir);

// Replaces $name, ${name}, ${name:format} and [[name]] by values[name]. Grafana's built-ins
// ($__rate_interval, $__interval, $__range, $__range_s, $__range_ms) must be in `values` too.
// An unknown variable is an error naming it, so a typo cannot survive as literal text.
core::Result<std::string> ExpandVariables(std::string_view expr,
                                          const std::map<std::string, std::string>& values);

// The built-ins for a dashboard: $__rate_interval as Grafana computes it for a datasource
// scrape interval of 15s (4 x 15s), $__interval 15s, and $__range from the dashboard.
std::map<std::string, std::string> GrafanaBuiltins(const Dashboard& dashboard);

// A multi-value or "All" selection as Grafana's Prometheus datasource writes it into a query:
// each value regex-escaped (inside a PromQL string, hence two backslashes) and joined as (a|b).
std::string MultiValueRegex(const std::vector<std::string>& values);

}  // namespace smoke::testing
