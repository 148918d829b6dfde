// Static checks of the Grafana dashboards in dashboards/: what Grafana needs to import them
// (valid JSON, a current schemaVersion, unique panel ids, a gridPos on every panel) and what
// makes them portable (a templated datasource; env, component and probe variables), and that
// every query parses with our PromQL parser once Grafana has expanded its variables. Whether the
// queries find data is tests/integration/drift_test.cc's job.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "exporter/promql/parser.h"
#include "tests/support/grafana_dashboard.h"
#include "tests/support/shell.h"

namespace smoke::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr int kSchemaVersion = 39;  // Grafana 10.3 / 11
const std::string kDashboardsDir = std::string(SMOKE_SOURCE_DIR) + "/dashboards";

std::vector<Dashboard> LoadAll() {
  auto dashboards = LoadDashboards(kDashboardsDir);
  EXPECT_TRUE(dashboards.ok()) << dashboards.status().message();
  return dashboards.ok() ? *dashboards : std::vector<Dashboard>{};
}

std::string Title(const json& panel) {
  return "panel " + std::to_string(panel.value("id", 0)) + " \"" +
         panel.value("title", std::string()) + "\"";
}

// Values Grafana could substitute: "All" of env and component (their allValue), a selection of
// two probes (a regex that needs escaping), and the built-ins.
std::map<std::string, std::string> PlaceholderValues(const Dashboard& d) {
  auto values = GrafanaBuiltins(d);
  values["env"] = ".*";
  values["component"] = ".*";
  values["probe"] = MultiValueRegex({"api_health", "db.core"});
  values["datasource"] = "prometheus";
  return values;
}

TEST(DashboardFilesTest, TheOverviewAndOneDashboardPerComponentExist) {
  std::set<std::string> files;
  for (const Dashboard& d : LoadAll()) files.insert(d.file);
  EXPECT_EQ(files, (std::set<std::string>{"api.json", "cache.json", "database.json",
                                          "monitoring.json", "overview.json"}));
}

TEST(DashboardFilesTest, EachHasCurrentSchemaUniqueUidTitleAndTag) {
  std::set<std::string> uids;
  for (const Dashboard& d : LoadAll()) {
    SCOPED_TRACE(d.file);
    EXPECT_EQ(d.json.value("schemaVersion", 0), kSchemaVersion);
    const std::string uid = d.json.value("uid", "");
    EXPECT_FALSE(uid.empty());
    EXPECT_LE(uid.size(), 40u) << "Grafana limits uids to 40 characters";
    EXPECT_TRUE(uids.insert(uid).second) << "duplicate uid " << uid;
    EXPECT_FALSE(d.json.value("title", "").empty());
    EXPECT_TRUE(d.json.contains("tags") && d.json["tags"].get<std::vector<std::string>>() ==
                                               std::vector<std::string>{"smoke_exporter"})
        << "the dashboards link to each other by this tag";
    EXPECT_TRUE(d.json["id"].is_null()) << "a provisioned dashboard must not carry a database id";
  }
}

TEST(DashboardFilesTest, PanelIdsAreUniqueAndEveryPanelHasAGridPosThatFits) {
  for (const Dashboard& d : LoadAll()) {
    SCOPED_TRACE(d.file);
    std::set<int> ids;
    struct Box {
      int x, y, w, h;
      std::string title;
    };
    std::vector<Box> boxes;
    const auto panels = d.Panels();
    ASSERT_FALSE(panels.empty());
    for (const json* p : panels) {
      ASSERT_TRUE(p->contains("id") && (*p)["id"].is_number_integer()) << Title(*p);
      EXPECT_TRUE(ids.insert((*p)["id"].get<int>()).second) << "duplicate id: " << Title(*p);
      ASSERT_TRUE(p->contains("gridPos")) << Title(*p);
      const json& g = (*p)["gridPos"];
      for (const char* k : {"x", "y", "w", "h"}) {
        ASSERT_TRUE(g.contains(k) && g[k].is_number_integer()) << Title(*p) << " gridPos." << k;
      }
      const Box b{g["x"], g["y"], g["w"], g["h"], Title(*p)};
      EXPECT_GE(b.x, 0) << b.title;
      EXPECT_GE(b.w, 1) << b.title;
      EXPECT_LE(b.x + b.w, 24) << b.title << " is wider than the grid";
      EXPECT_GE(b.h, 1) << b.title;
      for (const Box& o : boxes) {
        const bool overlap =
            b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h;
        EXPECT_FALSE(overlap) << b.title << " overlaps " << o.title;
      }
      boxes.push_back(b);
    }
  }
}

TEST(DashboardFilesTest, DatasourceIsAVariableThatEveryPanelAndQueryUses) {
  for (const Dashboard& d : LoadAll()) {
    SCOPED_TRACE(d.file);
    const json list = d.json["templating"]["list"];
    const auto ds = std::find_if(list.begin(), list.end(),
                                 [](const json& v) { return v.value("name", "") == "datasource"; });
    ASSERT_NE(ds, list.end()) << "no ${datasource} variable";
    EXPECT_EQ((*ds)["type"], "datasource");
    EXPECT_EQ((*ds)["query"], "prometheus");
    const json templated = {{"type", "prometheus"}, {"uid", "${datasource}"}};
    for (const json* p : d.Panels()) {
      if ((*p)["type"] == "row") continue;
      EXPECT_EQ(p->value("datasource", json()), templated) << Title(*p);
      ASSERT_TRUE(p->contains("targets") && !(*p)["targets"].empty())
          << Title(*p) << " has no query";
      for (const json& t : (*p)["targets"]) {
        EXPECT_EQ(t.value("datasource", json()), templated)
            << Title(*p) << " target " << t["refId"];
      }
    }
    for (const json& v : list) {
      if (v["type"] == "query") {
        EXPECT_EQ(v.value("datasource", json()), templated) << v["name"];
      }
    }
    for (const json& a : d.json["annotations"]["list"]) {
      if (a.contains("expr")) {
        EXPECT_EQ(a.value("datasource", json()), templated) << a["name"];
      }
    }
  }
}

TEST(DashboardFilesTest, EnvComponentAndProbeAreMultiValueVariablesInThatOrder) {
  for (const Dashboard& d : LoadAll()) {
    SCOPED_TRACE(d.file);
    auto vars = d.QueryVariables();
    ASSERT_TRUE(vars.ok()) << vars.status().message();
    std::vector<std::string> names;
    for (const DashboardVariable& v : *vars) names.push_back(v.name);
    // Each one's query uses the ones before it, so the order is the order Grafana resolves them.
    EXPECT_EQ(names, (std::vector<std::string>{"env", "component", "probe"}));
    for (const json& v : d.json["templating"]["list"]) {
      if (v["type"] != "query") continue;
      EXPECT_TRUE(v.value("multi", false) && v.value("includeAll", false)) << v["name"];
    }
  }
}

TEST(DashboardFilesTest, EveryQueryParsesAfterGrafanaExpandsItsVariables) {
  int parsed = 0;
  for (const Dashboard& d : LoadAll()) {
    SCOPED_TRACE(d.file);
    const auto values = PlaceholderValues(d);
    for (const DashboardQuery& q : d.Queries()) {
      ASSERT_FALSE(q.expr.empty()) << q.where << " has an empty query";
      auto expanded = ExpandVariables(q.expr, values);
      if (!expanded.ok()) {
        ADD_FAILURE() << d.file << ": " << q.where << ": " << expanded.status().message();
        continue;
      }
      auto expr = promql::ParseExpr(*expanded);
      EXPECT_TRUE(expr.ok()) << d.file << ": " << q.where << ": " << expr.status().message()
                             << "\n  query: " << *expanded;
      if (expr.ok()) {
        EXPECT_NE((*expr)->Type(), promql::ValueType::kString) << q.where;
        ++parsed;
      }
    }
    auto vars = d.QueryVariables();
    ASSERT_TRUE(vars.ok()) << vars.status().message();
    for (const DashboardVariable& v : *vars) {
      auto selector = ExpandVariables(v.selector, values);
      ASSERT_TRUE(selector.ok()) << "variable " << v.name << ": " << selector.status().message();
      auto matchers = promql::ParseMetricSelector(*selector);
      EXPECT_TRUE(matchers.ok()) << d.file << ": variable " << v.name << ": "
                                 << matchers.status().message();
    }
  }
  EXPECT_GT(parsed, 50);
}

// A misspelt type renders as "Panel plugin not found".
TEST(DashboardFilesTest, EveryPanelIsOfABuiltInGrafanaType) {
  const std::set<std::string> kBuiltIn = {"row",   "stat",    "timeseries", "state-timeline",
                                          "table", "heatmap", "bargauge"};
  for (const Dashboard& d : LoadAll()) {
    for (const json* p : d.Panels()) {
      EXPECT_TRUE(kBuiltIn.count(p->value("type", "")))
          << d.file << ": " << Title(*p) << " " << p->value("type", "");
    }
  }
}

// A panel says what it shows, and when it may be empty ("Empty while everything passes."):
// drift_test.cc reads that note to decide which queries must return data.
TEST(DashboardFilesTest, EveryPanelHasADescription) {
  for (const Dashboard& d : LoadAll()) {
    for (const json* p : d.Panels()) {
      if ((*p)["type"] == "row") continue;
      EXPECT_FALSE(p->value("description", "").empty()) << d.file << ": " << Title(*p);
    }
  }
}

TEST(DashboardFilesTest, JsonIsWhatGeneratePyWrites) {
  int status = 0;
  const std::string out =
      Shell("python3 " + ShellQuote(kDashboardsDir + "/generate.py") + " --check 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
}

struct ExpandCase {
  std::string name;
  std::string expr;
  std::string want;  // "" with `error` set: an error containing `error`
  std::string error;
};

void PrintTo(const ExpandCase& c, std::ostream* os) { *os << c.expr; }

class GrafanaVariablesTest : public ::testing::TestWithParam<ExpandCase> {};

TEST_P(GrafanaVariablesTest, ExpandLikeGrafana) {
  const std::map<std::string, std::string> values = {
      {"env", "prod"}, {"probe", "(a|b)"}, {"__rate_interval", "1m"}};
  auto got = ExpandVariables(GetParam().expr, values);
  if (GetParam().error.empty()) {
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(*got, GetParam().want);
  } else {
    ASSERT_FALSE(got.ok()) << *got;
    EXPECT_THAT(got.status().message(), HasSubstr(GetParam().error));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, GrafanaVariablesTest,
    ::testing::Values(
        ExpandCase{"Dollar", R"q(up{env="$env"})q", R"q(up{env="prod"})q", ""},
        ExpandCase{"Braces", R"q(up{env="${env}"})q", R"q(up{env="prod"})q", ""},
        ExpandCase{"BracesWithFormat", R"q(up{env="${env:regex}"})q", R"q(up{env="prod"})q", ""},
        ExpandCase{"DoubleBrackets", R"q(up{env="[[env]]"})q", R"q(up{env="prod"})q", ""},
        ExpandCase{"BuiltInInARange", R"q(rate(x{probe=~"$probe"}[$__rate_interval]))q",
                   R"q(rate(x{probe=~"(a|b)"}[1m]))q", ""},
        ExpandCase{"NoVariable", R"q(x[5m:1m])q", R"q(x[5m:1m])q", ""},
        ExpandCase{"UnknownVariable", R"q(up{env="$envv"})q", "", "unknown variable $envv"},
        ExpandCase{"MalformedReference", R"q(up{env="${env"})q", "",
                   "malformed variable reference"},
        ExpandCase{"Unterminated", R"q(up{env="${env")q", "", "unterminated"}),
    [](const ::testing::TestParamInfo<ExpandCase>& info) { return info.param.name; });

TEST(GrafanaMultiValueTest, EscapesRegexCharactersInsideThePromqlString) {
  EXPECT_EQ(MultiValueRegex({"api_health"}), "api_health");
  EXPECT_EQ(MultiValueRegex({"a", "b.c"}), R"((a|b\\.c))");
  auto matchers =
      promql::ParseMetricSelector("x{probe=~\"" + MultiValueRegex({"a", "b.c"}) + "\"}");
  ASSERT_TRUE(matchers.ok()) << matchers.status().message();
}

}  // namespace
}  // namespace smoke::testing
