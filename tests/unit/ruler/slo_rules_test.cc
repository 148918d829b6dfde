// SLOs → rules: the golden rule file of a sample config, the groups the embedded engine loads,
// the burn-rate factors per period, and errors in what the user wrote. promtool (2.42, Debian
// package `prometheus`) checks the generated file and runs its unit test
// (tests/testdata/slo/sample.test.yml: the page fires at 100% errors, not at 0.05%); without
// promtool those tests fail in CI (env CI set) and are skipped elsewhere.
// Regenerate the goldens after an intended change with SMOKE_UPDATE_GOLDEN=1.

#include "exporter/ruler/slo_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "exporter/config/loader.h"
#include "exporter/core/atomic_file.h"
#include "exporter/ruler/slo_windows.h"
#include "tests/support/shell.h"
#include "tests/support/temp_dir.h"

namespace smoke::ruler {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr const char* kPromtool = "/usr/bin/promtool";
const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/slo/";

config::LoadOptions NoEnv() {
  config::LoadOptions options;
  options.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return options;
}

std::vector<config::SloSpec> LoadSlos(const std::string& path) {
  core::Result<config::ConfigPtr> cfg = config::LoadConfigFile(path, NoEnv());
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  return cfg.ok() ? (*cfg)->slos : std::vector<config::SloSpec>{};
}

std::vector<config::SloSpec> SlosFromText(const std::string& text) {
  core::Result<config::ConfigPtr> cfg = config::LoadConfigText(text, "c.yml", NoEnv());
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  return cfg.ok() ? (*cfg)->slos : std::vector<config::SloSpec>{};
}

// Compares `got` with the golden file; rewrites it instead with SMOKE_UPDATE_GOLDEN set.
void ExpectGolden(const std::string& got, const std::string& golden_path) {
  if (std::getenv("SMOKE_UPDATE_GOLDEN") != nullptr) {
    ASSERT_TRUE(core::WriteFileAtomically(golden_path, got).ok());
    return;
  }
  core::Result<std::string> want = core::ReadWholeFile(golden_path);
  ASSERT_TRUE(want.ok()) << want.status().message();
  EXPECT_EQ(got, *want) << "generated rules differ from " << golden_path
                        << " (SMOKE_UPDATE_GOLDEN=1 rewrites it)";
}

bool HavePromtool() { return access(kPromtool, X_OK) == 0; }

#define REQUIRE_PROMTOOL()                                                           \
  do {                                                                               \
    if (!HavePromtool()) {                                                           \
      if (std::getenv("CI") != nullptr) FAIL() << kPromtool << " is required in CI"; \
      GTEST_SKIP() << kPromtool << " not found (Debian package 'prometheus')";       \
    }                                                                                \
  } while (0)

TEST(SloRulesTest, GeneratesTheGoldenRuleFileForTheSampleConfig) {
  core::Result<std::string> text = GenerateSloRuleText(LoadSlos(kDir + "sample.yml"), "sample.yml");
  ASSERT_TRUE(text.ok()) << text.status().message();
  ExpectGolden(*text, kDir + "sample.rules.yml");
}

// rules/slo.rules.yml is what `slo generate` writes for tests/testdata/slo/bundled.yml.
TEST(SloRulesTest, BundledSloRulesAreUpToDateWithTheirConfig) {
  core::Result<std::string> text =
      GenerateSloRuleText(LoadSlos(kDir + "bundled.yml"), "tests/testdata/slo/bundled.yml");
  ASSERT_TRUE(text.ok()) << text.status().message();
  ExpectGolden(*text, std::string(SMOKE_SOURCE_DIR) + "/rules/slo.rules.yml");
}

TEST(SloRulesTest, GroupsHoldEveryRuleAndTheAlertLabelsReadinessReadsFromTheSameText) {
  const std::vector<config::SloSpec> slos = LoadSlos(kDir + "sample.yml");
  core::Result<std::vector<GroupSpec>> groups = GenerateSloGroups(slos);
  ASSERT_TRUE(groups.ok()) << groups.status().message();
  ASSERT_EQ(groups->size(), 3u);
  const GroupSpec& g = (*groups)[0];
  EXPECT_EQ(g.name, "slo-api-availability");
  EXPECT_EQ(g.file, kDir + "sample.yml#slos");
  // 7 windows + the period, 3 metadata series, 8 burn rates, budget remaining, page + ticket.
  ASSERT_EQ(g.rules.size(), 22u);
  EXPECT_EQ(g.rules[0].record, "slo:sli_error:ratio_rate5m");
  EXPECT_EQ(g.rules[7].record, "slo:sli_error:ratio_rate30d");
  EXPECT_EQ(g.rules[19].record, "slo:error_budget:remaining");
  EXPECT_THAT(g.rules[0].labels,
              ElementsAre(Pair("component", "api"), Pair("slo", "api-availability"),
                          Pair("team", "platform")));
  const RuleSpec& page = g.rules[20];
  EXPECT_EQ(page.alert, "ApiAvailabilityErrorBudgetBurn");
  EXPECT_THAT(page.labels,
              ElementsAre(Pair("gate", "release"), Pair("reason", "error_budget_burn_page"),
                          Pair("severity", "critical"), Pair("slo_severity", "page"),
                          Pair("team", "platform")));
  const RuleSpec& ticket = g.rules[21];
  EXPECT_THAT(ticket.labels,
              ElementsAre(Pair("reason", "error_budget_burn_ticket"), Pair("severity", "warning"),
                          Pair("slo_severity", "ticket"), Pair("team", "platform")));
  // The latency SLO's ticket alert is disabled and its page severity overridden.
  const GroupSpec& latency = (*groups)[1];
  ASSERT_EQ(latency.rules.size(), 21u);
  EXPECT_EQ(latency.rules.back().alert, "ApiSlow");
  EXPECT_THAT(latency.rules.back().labels, ::testing::Contains(Pair("severity", "page")));
  EXPECT_EQ((*groups)[2].rules[7].record, "slo:sli_error:ratio_rate7d");
}

TEST(SloRulesTest, GroupsMayBeNamedAfterAFileOfTheCallersChoice) {
  core::Result<std::vector<GroupSpec>> groups =
      GenerateSloGroups(LoadSlos(kDir + "sample.yml"), "slos.rules.yml");
  ASSERT_TRUE(groups.ok()) << groups.status().message();
  EXPECT_EQ((*groups)[0].file, "slos.rules.yml");
}

struct FactorCase {
  int days;
  double page_fast, page_slow, ticket_fast, ticket_slow;
};

TEST(SloRulesTest, BurnRateFactorsScaleWithThePeriodAsSlothDoes) {
  for (const FactorCase& c :
       {FactorCase{30, 14.4, 6, 3, 1}, FactorCase{28, 13.44, 5.6, 2.8, 0.9333333},
        FactorCase{7, 3.36, 1.4, 0.7, 0.2333333}}) {
    const core::Duration period = std::chrono::hours(24 * c.days);
    EXPECT_NEAR(BurnRateFactor(PageWindows()[0], period), c.page_fast, 1e-6) << c.days;
    EXPECT_NEAR(BurnRateFactor(PageWindows()[1], period), c.page_slow, 1e-6) << c.days;
    EXPECT_NEAR(BurnRateFactor(TicketWindows()[0], period), c.ticket_fast, 1e-6) << c.days;
    EXPECT_NEAR(BurnRateFactor(TicketWindows()[1], period), c.ticket_slow, 1e-6) << c.days;
  }
  EXPECT_EQ(PageWindows()[0].long_name, "1h");
  EXPECT_EQ(PageWindows()[0].short_name, "5m");
  EXPECT_EQ(TicketWindows()[1].long_name, "3d");
  EXPECT_EQ(TicketWindows()[1].short_name, "6h");
}

TEST(SloRulesTest, LatencyThresholdIsTheLeLabelTheExporterWrites) {
  struct Case {
    const char* threshold;
    const char* le;
  };
  for (const Case& c : {Case{"25ms", "le=\"0.025\""}, Case{"1s", "le=\"1\""},
                        Case{"2.5", "le=\"2.5\""}, Case{"0.005", "le=\"0.005\""}}) {
    const std::string text = std::string(R"(probes:
  - {name: a, kind: tcp, target: "127.0.0.1:1"}
slos:
  - {name: s, objective: 99, sli: {latency: {probes: [a], threshold: )") +
                             c.threshold + "}}}\n";
    core::Result<std::string> rules = GenerateSloRuleText(SlosFromText(text));
    ASSERT_TRUE(rules.ok()) << rules.status().message();
    EXPECT_THAT(*rules, HasSubstr(std::string("smoke_probe_duration_seconds_bucket{probe=\"a\",") +
                                  c.le + "}[5m]"))
        << c.threshold;
  }
}

TEST(SloRulesTest, ProbeNamesAreMatchedLiterallyInTheRegex) {
  core::Result<std::string> rules = GenerateSloRuleText(SlosFromText(R"(probes:
  - {name: api.v1, kind: tcp, target: "127.0.0.1:1"}
  - {name: api_v2, kind: tcp, target: "127.0.0.1:2"}
slos:
  - {name: s, objective: 99, sli: {availability: {probes: [api.v1, api_v2]}}}
)"));
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_THAT(*rules, HasSubstr(R"(probe=~"api\\.v1|api_v2")"));
}

TEST(SloRulesTest, ErrorsInUserQueriesAndTemplatesNameTheConfigPosition) {
  const std::string text = R"(probes: []
slos:
  - name: checkout
    objective: 99
    sli:
      error_ratio:
        errors: sum(rate(http_requests_total{code=~"5.."[{{.window}}]))
        total: http_requests_total[{{.window}}]
    alerting:
      annotations: {summary: '{{ $labels.slo '}
)";
  core::Result<std::string> got = GenerateSloRuleText(SlosFromText(text));
  ASSERT_FALSE(got.ok());
  const std::vector<std::string> lines = [&] {
    std::vector<std::string> out;
    std::istringstream in(got.status().message());
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }();
  ASSERT_EQ(lines.size(), 3u) << got.status().message();
  EXPECT_THAT(lines[0],
              ::testing::StartsWith("c.yml:7:17: slo \"checkout\": invalid \"errors\" query: "));
  EXPECT_EQ(lines[1],
            "c.yml:8:16: slo \"checkout\": \"total\" must return an instant vector (e.g. "
            "sum(rate(x[{{.window}}]))), not a matrix");
  EXPECT_THAT(lines[2],
              ::testing::StartsWith("c.yml:3:5: slo \"checkout\": alert annotation \"summary\": "));
  // The groups the engine loads fail the same way.
  core::Result<std::vector<GroupSpec>> groups = GenerateSloGroups(SlosFromText(text));
  ASSERT_FALSE(groups.ok());
  EXPECT_EQ(groups.status().message(), got.status().message());
}

// An empty value removes a label in Prometheus: the documented way to keep a page from gating.
TEST(SloRulesTest, PageLabelsOverrideTheDefaultsUpToRemovingTheGate) {
  core::Result<std::vector<GroupSpec>> groups = GenerateSloGroups(SlosFromText(R"(probes:
  - {name: a, kind: tcp, target: "127.0.0.1:1"}
slos:
  - name: s
    objective: 99
    sli: {availability: {probes: [a]}}
    labels: {severity: info}
    alerting: {page: {labels: {gate: "", severity: warning}}}
)"));
  ASSERT_TRUE(groups.ok()) << groups.status().message();
  const std::vector<RuleSpec>& rules = (*groups)[0].rules;
  EXPECT_THAT(rules[rules.size() - 2].labels,
              ElementsAre(Pair("gate", ""), Pair("reason", "error_budget_burn_page"),
                          Pair("severity", "warning"), Pair("slo_severity", "page")));
  // The SLO's own labels beat the defaults where page/ticket labels say nothing.
  EXPECT_THAT(rules.back().labels, ::testing::Contains(Pair("severity", "info")));
}

TEST(SloRulesTest, NoSlosGiveAnEmptyRuleFileAndNoGroups) {
  core::Result<std::string> text = GenerateSloRuleText({});
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("\ngroups: []\n"));
  ASSERT_TRUE(LoadRuleText(*text, "empty.yml").ok());
  core::Result<std::vector<GroupSpec>> groups = GenerateSloGroups({});
  ASSERT_TRUE(groups.ok());
  EXPECT_TRUE(groups->empty());
}

TEST(SloRulesPromtoolTest, PromtoolAcceptsTheGeneratedFiles) {
  REQUIRE_PROMTOOL();
  for (const char* path : {"tests/testdata/slo/sample.rules.yml", "rules/slo.rules.yml"}) {
    int status = 0;
    const std::string out = testing::Shell(
        std::string(kPromtool) + " check rules " +
            testing::ShellQuote(std::string(SMOKE_SOURCE_DIR) + "/" + path) + " 2>&1",
        &status);
    EXPECT_EQ(status, 0) << path << ":\n" << out;
    EXPECT_THAT(out, HasSubstr("SUCCESS")) << path;
  }
}

// sample.test.yml: the page alert fires at 100% errors within minutes and stays silent at
// 0.05% errors (half the 99.9% SLO's budget); the latency and error-ratio SLOs likewise.
// The embedded engine's `rules test` runner will run the same file once it exists.
TEST(SloRulesPromtoolTest, GeneratedAlertsPassTheirPromtoolUnitTests) {
  REQUIRE_PROMTOOL();
  int status = 0;
  const std::string out =
      testing::Shell(std::string(kPromtool) + " test rules " +
                         testing::ShellQuote(kDir + "sample.test.yml") + " 2>&1",
                     &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_THAT(out, HasSubstr("SUCCESS"));
}

}  // namespace
}  // namespace smoke::ruler
