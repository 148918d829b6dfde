// Drift between what smoke_exporter exports and what its rules and dashboards read, checked
// against the real demo stack (scripts/demo.sh up: PostgreSQL, Redis, the sample API,
// Prometheus loading rules/, Alertmanager, and smoke_exporter with examples/local.yml):
//   1. Every metric name in rules/*.rules.yml and dashboards/*.json is in the exporter's
//      /metrics, is recorded by a rule, or is one of Prometheus's own (ALERTS, up). A few
//      series exist only for setups the demo does not have (TLS, replicas, ...): kNotInDemo
//      lists them with the reason, and each must still be a name the exporter's source emits.
//   2. Every dashboard query, with its variables resolved against Prometheus the way Grafana
//      resolves them, runs against the Prometheus that scraped the demo without an error, and
//      returns data by this rule, which the panel's description states:
//        - no note: data in the healthy demo;
//        - "Empty while ..." (failures, violations, firing alerts): data once the
//          `error_route` fault makes a probe fail, on each dashboard whose probe selection
//          includes a failing probe;
//        - "Empty without ..." (a probe kind or feature the demo lacks) and annotations: no
//          data required.
//      Every query also runs without an error against the exporter's own query API, which
//      dashboards/provisioning/datasources.yml offers as a second data source.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "exporter/promql/parser.h"
#include "exporter/ruler/rule_file.h"
#include "tests/support/grafana_dashboard.h"
#include "tests/support/http_client.h"
#include "tests/support/shell.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

const std::string kSource = SMOKE_SOURCE_DIR;

// Series the exporter emits only for setups the demo does not have. Keep this list short: a
// name here is checked against the exporter's source only, not against a live /metrics.
const std::map<std::string, std::string> kNotInDemo = {
    {"probe_ssl_earliest_cert_expiry", "the demo probes nothing over TLS"},
    {"pg_replication_lag_seconds", "exported by replicas only; the demo's PostgreSQL is a primary"},
    {"redis_master_link_up", "exported by replicas only; the demo's Redis is a master"},
    {"smoke_jaeger_services", "examples/local.yml has no jaeger probe"},
    {"smoke_metrics_families", "examples/local.yml has no metrics probe"},
    {"smoke_metrics_series", "examples/local.yml has no metrics probe"},
    {"probe_dns_answer_rrs", "examples/local.yml has no dns probe"},
};
// Series Prometheus makes itself: alert state and scrape health.
const std::set<std::string> kPrometheusSeries = {"ALERTS", "ALERTS_FOR_STATE", "up"};

// The fault the data phase switches on: /api/v1/companies answers 500, so the API probes of
// that route fail while the database and cache stay healthy (their panels keep their data).
constexpr char kFault[] = "error_route";

// --- the demo ---------------------------------------------------------------------------------

// scripts/demo.sh up in a throwaway SMOKE_DEMO_DIR, with the smoke_exporter under test;
// scripts/demo.sh down on destruction.
class DemoStack {
 public:
  DemoStack() {
    const std::string port = Shell(ShellQuote(kSource + "/scripts/free_port.sh"));
    env_prefix_ = "SMOKE_DEMO_DIR=" + ShellQuote(dir_.path().string()) +
                  " SMOKE_EXPORTER_BIN=" + ShellQuote(SMOKE_EXPORTER_BINARY) +
                  " SMOKE_DEMO_SKIP_INSTALL=1 SMOKE_PORT=" + ShellQuote(port) + " ";
    int status = 0;
    output_ = Run("up", &status);
    if (status != 0) return;
    std::ifstream in(dir_.path() / "env");
    for (std::string line; std::getline(in, line);) {
      const size_t eq = line.find('=');
      if (eq != std::string::npos) env_[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  ~DemoStack() { Run("down"); }
  DemoStack(const DemoStack&) = delete;
  DemoStack& operator=(const DemoStack&) = delete;

  // Empty unless `up` failed or wrote no URLs; then what it printed.
  std::string Error() const {
    for (const char* key : {"EXPORTER_URL", "PROMETHEUS_URL"}) {
      if (!env_.count(key))
        return "scripts/demo.sh up did not provide " + std::string(key) + ":\n" + output_;
    }
    return "";
  }
  std::string Url(const std::string& key) const { return env_.at(key); }
  std::string Run(const std::string& args, int* status = nullptr) {
    return Shell(env_prefix_ + ShellQuote(kSource + "/scripts/demo.sh") + " " + args + " 2>&1",
                 status);
  }

 private:
  TempDir dir_;  // destroyed after ~DemoStack's `down`
  std::string env_prefix_;
  std::string output_;
  std::map<std::string, std::string> env_;
};

// --- Prometheus HTTP API ----------------------------------------------------------------------

std::string UrlEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Answer {
  std::string error;  // empty: status success
  json data;
};

Answer ApiGet(const std::string& base, const std::string& path_and_query) {
  const HttpReply r = HttpGet(base + path_and_query);
  if (r.status == 0) return {"transport: " + r.error, {}};
  json body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded())
    return {"HTTP " + std::to_string(r.status) + ", not JSON: " + r.body, {}};
  if (body.value("status", "") != "success") {
    return {"HTTP " + std::to_string(r.status) + ": " + body.value("errorType", "") + ": " +
                body.value("error", ""),
            {}};
  }
  return {"", body["data"]};
}

// An instant query at now, or a range query from `range_start` to now (Grafana's default step
// for a short range is its min interval, 15s). Returns the number of series.
Answer Query(const std::string& base, const std::string& expr, bool instant, double range_start) {
  if (instant) return ApiGet(base, "/api/v1/query?query=" + UrlEncode(expr));
  const double end = Now();
  std::ostringstream q;
  q.precision(15);
  q << "/api/v1/query_range?query=" << UrlEncode(expr)
    << "&start=" << std::min(range_start, end - 1) << "&end=" << end << "&step=15";
  return ApiGet(base, q.str());
}

size_t SeriesCount(const Answer& a) {
  return a.error.empty() && a.data.contains("result") && a.data["result"].is_array()
             ? a.data["result"].size()
             : 0;
}

// --- metric names -----------------------------------------------------------------------------

void CollectMetricNames(const promql::Expr& e, std::set<std::string>* out) {
  using promql::NodeKind;
  switch (e.kind()) {
    case NodeKind::kVectorSelector:
      for (const auto& m : e.As<promql::VectorSelector>()->matchers) {
        if (m.name() == "__name__" && m.type() == promql::MatchType::kEqual) out->insert(m.value());
      }
      break;
    case NodeKind::kMatrixSelector:
      CollectMetricNames(*e.As<promql::MatrixSelector>()->vector_selector, out);
      break;
    case NodeKind::kSubquery:
      CollectMetricNames(*e.As<promql::SubqueryExpr>()->expr, out);
      break;
    case NodeKind::kParen:
      CollectMetricNames(*e.As<promql::ParenExpr>()->expr, out);
      break;
    case NodeKind::kUnary:
      CollectMetricNames(*e.As<promql::UnaryExpr>()->expr, out);
      break;
    case NodeKind::kBinary:
      CollectMetricNames(*e.As<promql::BinaryExpr>()->lhs, out);
      CollectMetricNames(*e.As<promql::BinaryExpr>()->rhs, out);
      break;
    case NodeKind::kAggregate:
      CollectMetricNames(*e.As<promql::AggregateExpr>()->expr, out);
      if (e.As<promql::AggregateExpr>()->param) {
        CollectMetricNames(*e.As<promql::AggregateExpr>()->param, out);
      }
      break;
    case NodeKind::kCall:
      for (const auto& arg : e.As<promql::Call>()->args) CollectMetricNames(*arg, out);
      break;
    case NodeKind::kNumberLiteral:
    case NodeKind::kStringLiteral:
      break;
  }
}

// Names in the text exposition: every sample line's metric name.
std::set<std::string> ExposedNames(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return out;
}

// The values of the samples of `name` (any labels) in a text exposition.
std::vector<double> SampleValues(const std::string& text, const std::string& name) {
  std::vector<double> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name, 0) != 0 || line.size() == name.size()) continue;
    if (line[name.size()] != '{' && line[name.size()] != ' ') continue;
    out.push_back(std::stod(line.substr(line.rfind(' ') + 1)));
  }
  return out;
}

// Every source file of the exporter, concatenated: a name the exporter can emit is a string
// literal in it.
std::string ExporterSource() {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kSource + "/exporter")) {
    const auto ext = entry.path().extension();
    if (ext != ".cc" && ext != ".h") continue;
    std::ifstream in(entry.path());
    all += std::string(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

// Placeholder values for collecting names: the values do not change which metrics a query reads.
std::map<std::string, std::string> AnyValues(const Dashboard& d) {
  auto values = GrafanaBuiltins(d);
  for (const char* v : {"env", "component", "probe", "datasource"}) values[v] = ".*";
  return values;
}

TEST(DriftTest, EveryMetricInRulesAndDashboardsIsExportedByTheDemo) {
  // name -> where it is used, for the failure message
  std::map<std::string, std::set<std::string>> used;
  std::set<std::string> recorded;
  std::vector<std::filesystem::path> rule_files;
  for (const auto& e : std::filesystem::directory_iterator(kSource + "/rules")) {
    if (e.path().string().ends_with(".rules.yml")) rule_files.push_back(e.path());
  }
  ASSERT_FALSE(rule_files.empty());
  for (const auto& path : rule_files) {
    auto file = ruler::LoadRuleFile(path.string());
    ASSERT_TRUE(file.ok()) << file.status().message();
    for (const auto& group : file->groups) {
      for (const auto& rule : group.rules) {
        if (!rule.record.empty()) recorded.insert(rule.record);
        std::set<std::string> names;
        CollectMetricNames(*rule.parsed, &names);
        for (const auto& n : names)
          used[n].insert("rules/" + path.filename().string() + " " + rule.name());
      }
    }
  }
  auto dashboards = LoadDashboards(kSource + "/dashboards");
  ASSERT_TRUE(dashboards.ok()) << dashboards.status().message();
  ASSERT_FALSE(dashboards->empty());
  for (const Dashboard& d : *dashboards) {
    const auto values = AnyValues(d);
    std::vector<std::pair<std::string, std::string>> exprs;  // where, expr
    for (const DashboardQuery& q : d.Queries()) exprs.emplace_back(q.where, q.expr);
    auto vars = d.QueryVariables();
    ASSERT_TRUE(vars.ok()) << vars.status().message();
    for (const auto& v : *vars) exprs.emplace_back("variable " + v.name, v.selector);
    for (const auto& [where, text] : exprs) {
      auto expanded = ExpandVariables(text, values);
      ASSERT_TRUE(expanded.ok()) << d.file << " " << where << ": " << expanded.status().message();
      auto expr = promql::ParseExpr(*expanded);
      ASSERT_TRUE(expr.ok()) << d.file << " " << where << ": " << expr.status().message();
      std::set<std::string> names;
      CollectMetricNames(**expr, &names);
      for (const auto& n : names) used[n].insert("dashboards/" + d.file + " " + where);
    }
  }

  DemoStack demo;
  ASSERT_EQ(demo.Error(), "");
  const std::string metrics_url = demo.Url("EXPORTER_URL") + "/metrics";
  auto expected = [&](const std::string& name) {
    return !recorded.count(name) && !kPrometheusSeries.count(name) && !kNotInDemo.count(name);
  };
  // The names of every scrape count, healthy and failing: a probe's series appear with its
  // first result, failure counters with its first failure, and a few need an earlier run (the
  // Redis hit ratio needs a keyspace lookup, which the first run's round trip makes).
  std::set<std::string> exported;
  auto scrape_covers_all = [&] {
    exported.merge(ExposedNames(HttpGet(metrics_url).body));
    for (const auto& [name, where] : used) {
      if (expected(name) && !exported.count(name)) return false;
    }
    return true;
  };
  // Every probe has a result before the fault, so that healthy-only series are seen too.
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string text = HttpGet(metrics_url).body;
        exported.merge(ExposedNames(text));
        const auto configured = SampleValues(text, "smoke_probes_configured");
        const auto attempts = SampleValues(text, "smoke_probe_attempts_total");
        const auto ran =
            std::count_if(attempts.begin(), attempts.end(), [](double v) { return v > 0; });
        return configured.size() == 1 && ran > 0 && ran == configured[0];
      },
      std::chrono::seconds(90)))
      << "not every probe ran within 90s";
  int status = 0;
  const std::string out = demo.Run(std::string("fault ") + kFault, &status);
  ASSERT_EQ(status, 0) << out;
  WaitFor(scrape_covers_all, std::chrono::seconds(90));

  const std::string source = ExporterSource();
  for (const auto& [name, where] : used) {
    if (exported.count(name) || recorded.count(name) || kPrometheusSeries.count(name)) continue;
    std::ostringstream uses;
    for (const auto& w : where) uses << "\n    " << w;
    if (auto it = kNotInDemo.find(name); it != kNotInDemo.end()) {
      EXPECT_NE(source.find("\"" + name + "\""), std::string::npos)
          << name << " (not in the demo: " << it->second
          << ") is no name the exporter emits; used by:" << uses.str();
      continue;
    }
    ADD_FAILURE() << name << " is not in the demo exporter's /metrics, not recorded by a rule in "
                  << "rules/, and not a Prometheus series; used by:" << uses.str();
  }
  for (const auto& [name, reason] : kNotInDemo) {
    EXPECT_TRUE(used.count(name)) << name << " is listed in kNotInDemo but used nowhere: drop it";
  }
}

// --- dashboard queries against Prometheus -----------------------------------------------------

enum class DataRule { kHealthy, kWhenProbesFail, kNone };

DataRule RuleOf(const DashboardQuery& q) {
  if (q.panel_id == 0) return DataRule::kNone;  // annotations mark events; there may be none
  if (q.description.find("Empty while ") != std::string::npos) return DataRule::kWhenProbesFail;
  if (q.description.find("Empty without ") != std::string::npos) return DataRule::kNone;
  return DataRule::kHealthy;
}

struct Check {
  std::string name;  // "overview.json panel 3 ... target A"
  std::string expr;  // expanded
  bool instant = false;
  DataRule rule = DataRule::kHealthy;
  std::vector<std::string> probes;  // the dashboard's probe selection
  bool has_data = false;            // in the current phase
  std::string error;                // the first error in the current phase
};

// Resolves each dashboard's variables against Prometheus as Grafana does (label_values with
// the earlier variables expanded; "All" is allValue, or the regex of every value) and expands
// every query. Fails (returns false) until every variable has values.
bool ResolveQueries(const std::string& prometheus, const std::vector<Dashboard>& dashboards,
                    std::vector<Check>* checks, std::string* why) {
  auto fail = [why](std::string message) {
    *why = std::move(message);
    return false;
  };
  checks->clear();
  for (const Dashboard& d : dashboards) {
    auto values = GrafanaBuiltins(d);
    values["datasource"] = "prometheus";
    std::vector<std::string> probes;
    auto vars = d.QueryVariables();
    if (!vars.ok()) return fail(vars.status().message());
    for (const DashboardVariable& v : *vars) {
      auto selector = ExpandVariables(v.selector, values);
      if (!selector.ok()) return fail(d.file + ": " + selector.status().message());
      const Answer a = ApiGet(
          prometheus, "/api/v1/label/" + v.label + "/values?match[]=" + UrlEncode(*selector));
      std::vector<std::string> list;
      if (a.error.empty()) list = a.data.get<std::vector<std::string>>();
      if (list.empty()) {
        return fail(d.file + ": variable " + v.name + " (label_values(" + *selector + ", " +
                    v.label + ")) has no values" + (a.error.empty() ? "" : ": " + a.error));
      }
      values[v.name] = v.all_value ? *v.all_value : MultiValueRegex(list);
      if (v.name == "probe") probes = list;
    }
    for (const DashboardQuery& q : d.Queries()) {
      auto expanded = ExpandVariables(q.expr, values);
      if (!expanded.ok()) return fail(d.file + " " + q.where + ": " + expanded.status().message());
      Check c;
      c.name = d.file + " " + q.where;
      c.expr = *expanded;
      c.instant = q.instant;
      c.rule = RuleOf(q);
      c.probes = probes;
      checks->push_back(std::move(c));
    }
  }
  return true;
}

// Runs every check once, then re-runs those `needs_data` says must have data until they all do
// or `timeout` passes (at most one round a second: each round is many HTTP queries).
void RunPhase(const std::string& base, std::vector<Check>* checks, double range_start,
              const std::function<bool(const Check&)>& needs_data, std::chrono::seconds timeout) {
  auto run = [&](Check& c) {
    const Answer a = Query(base, c.expr, c.instant, range_start);
    if (!a.error.empty() && c.error.empty()) c.error = a.error;
    c.has_data = c.has_data || SeriesCount(a) > 0;
  };
  for (Check& c : *checks) {
    c.has_data = false;
    c.error.clear();
    run(c);
  }
  auto last = std::chrono::steady_clock::now();
  WaitFor(
      [&] {
        bool done = true;
        for (const Check& c : *checks) done = done && (c.has_data || !needs_data(c));
        if (done || std::chrono::steady_clock::now() - last < std::chrono::seconds(1)) return done;
        last = std::chrono::steady_clock::now();
        for (Check& c : *checks) {
          if (!c.has_data && needs_data(c)) run(c);
        }
        return false;
      },
      timeout);
}

std::string Report(const std::vector<Check>& checks, const std::function<bool(const Check&)>& pick,
                   const std::function<std::string(const Check&)>& what) {
  std::string out;
  for (const Check& c : checks) {
    if (pick(c)) out += "\n  " + c.name + ": " + what(c) + "\n    " + c.expr;
  }
  return out;
}

void ExpectNone(const std::string& report, const std::string& what) {
  EXPECT_TRUE(report.empty()) << what << ":" << report;
}

TEST(DriftTest, EveryDashboardQueryRunsAgainstPrometheusThatScrapedTheDemo) {
  auto dashboards = LoadDashboards(kSource + "/dashboards");
  ASSERT_TRUE(dashboards.ok()) << dashboards.status().message();
  DemoStack demo;
  ASSERT_EQ(demo.Error(), "");
  const std::string prometheus = demo.Url("PROMETHEUS_URL");
  const double start = Now();

  std::vector<Check> checks;
  std::string why;
  ASSERT_TRUE(WaitFor([&] { return ResolveQueries(prometheus, *dashboards, &checks, &why); },
                      std::chrono::seconds(90)))
      << why;
  auto errors = [](const Check& c) { return !c.error.empty(); };
  auto error_text = [](const Check& c) { return c.error; };
  auto no_data = [](const Check&) { return std::string("no data"); };

  // 1. Healthy: panels without an "Empty ..." note show data as soon as Prometheus has scraped
  //    enough for their rate()s and the SLO rules have recorded.
  auto healthy_needs = [](const Check& c) { return c.rule == DataRule::kHealthy; };
  RunPhase(prometheus, &checks, start, healthy_needs, std::chrono::seconds(120));
  ExpectNone(Report(checks, errors, error_text), "queries that failed in the healthy demo");
  ExpectNone(Report(
                 checks, [&](const Check& c) { return healthy_needs(c) && !c.has_data; }, no_data),
             "queries without data in the healthy demo (within 120s)");

  // 2. A fault: the "Empty while ..." panels fill on the dashboards that show a failing probe.
  int status = 0;
  const std::string out = demo.Run(std::string("fault ") + kFault, &status);
  ASSERT_EQ(status, 0) << out;
  const double fault_start = Now();
  std::set<std::string> failing;
  ASSERT_TRUE(WaitFor(
      [&] {
        const Answer a =
            ApiGet(prometheus, "/api/v1/query?query=" +
                                   UrlEncode("smoke_probe_outcome{outcome=\"failed\"} == 1"));
        for (const json& s : a.data.value("result", json::array()))
          failing.insert(s["metric"].value("probe", ""));
        return !failing.empty();
      },
      std::chrono::seconds(60)))
      << "no probe failed within 60s of `demo.sh fault " << kFault << "`";
  auto fault_needs = [&](const Check& c) {
    if (c.rule != DataRule::kWhenProbesFail) return false;
    for (const std::string& p : c.probes) {
      if (failing.count(p)) return true;
    }
    return false;
  };
  RunPhase(prometheus, &checks, fault_start, fault_needs, std::chrono::seconds(120));
  ExpectNone(Report(checks, errors, error_text), "queries that failed with a probe failing");
  ExpectNone(Report(
                 checks, [&](const Check& c) { return fault_needs(c) && !c.has_data; }, no_data),
             "\"Empty while ...\" panels still empty 120s after these probes started failing: " +
                 ::testing::PrintToString(failing));
  int failure_panels = 0;
  for (const Check& c : checks) failure_panels += fault_needs(c) ? 1 : 0;
  EXPECT_GE(failure_panels, 6) << "the overview's and the API dashboard's failure panels";

  // 3. The same queries against the exporter's own query API (the second data source).
  RunPhase(
      demo.Url("EXPORTER_URL"), &checks, fault_start, [](const Check&) { return false; },
      std::chrono::seconds(0));
  ExpectNone(Report(checks, errors, error_text),
             "queries that the exporter's query API (/api/v1/query) refuses");
}

// --- provisioning -----------------------------------------------------------------------------

TEST(DashboardProvisioningTest, GrafanaLoadsTheDashboardFilesAndADefaultPrometheus) {
  const YAML::Node providers = YAML::LoadFile(kSource + "/dashboards/provisioning/dashboards.yml");
  EXPECT_EQ(providers["apiVersion"].as<int>(), 1);
  ASSERT_EQ(providers["providers"].size(), 1u);
  const YAML::Node p = providers["providers"][0];
  EXPECT_EQ(p["type"].as<std::string>(), "file");
  EXPECT_FALSE(p["options"]["path"].as<std::string>().empty());

  const YAML::Node sources = YAML::LoadFile(kSource + "/dashboards/provisioning/datasources.yml");
  EXPECT_EQ(sources["apiVersion"].as<int>(), 1);
  int defaults = 0;
  std::set<std::string> uids;
  for (const YAML::Node& ds : sources["datasources"]) {
    EXPECT_EQ(ds["type"].as<std::string>(), "prometheus");  // what ${datasource} lists
    EXPECT_TRUE(uids.insert(ds["uid"].as<std::string>()).second) << ds["uid"];
    EXPECT_NE(ds["url"].as<std::string>(), "");
    if (ds["isDefault"] && ds["isDefault"].as<bool>()) ++defaults;
  }
  EXPECT_EQ(defaults, 1) << "the dashboards' ${datasource} starts at the default data source";
}

}  // namespace
}  // namespace smoke::testing
