// The `slos:` section: what a valid one becomes, and one bad file per kind of mistake with the
// exact message a user sees (the convention of invalid_config_test.cc, for tests/testdata/slo/).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "exporter/config/loader.h"
#include "exporter/config/slo_parser.h"
#include "tests/unit/config/config_test_util.h"

namespace smoke::config {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/slo/";

const SloSpec& FindSlo(const Config& config, const std::string& name) {
  for (const SloSpec& s : config.slos) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no slo " + name);
}

TEST(SloConfigTest, LoadsEachSliKindWithDefaultsApplied) {
  core::Result<ConfigPtr> got = LoadConfigFile(kDir + "sample.yml", test_util::Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ((*got)->slos.size(), 3u);

  const SloSpec& avail = FindSlo(**got, "api-availability");
  EXPECT_EQ(avail.sli, SloSpec::Sli::kAvailability);
  EXPECT_DOUBLE_EQ(avail.objective, 99.9);
  EXPECT_EQ(avail.period, std::chrono::hours(24 * 30));  // the default
  EXPECT_THAT(avail.selector.labels, ElementsAre(Pair("component", "api")));
  EXPECT_EQ(avail.component, "api");  // both selected probes are api probes
  EXPECT_EQ(avail.alert_name, "ApiAvailabilityErrorBudgetBurn");
  EXPECT_THAT(avail.labels, ElementsAre(Pair("team", "platform")));
  EXPECT_EQ(avail.description, "The API answers its smoke checks");
  EXPECT_EQ(avail.line, 22);

  const SloSpec& latency = FindSlo(**got, "api-latency");
  EXPECT_EQ(latency.sli, SloSpec::Sli::kLatency);
  EXPECT_DOUBLE_EQ(latency.threshold_seconds, 0.5);
  EXPECT_EQ(latency.period, std::chrono::hours(24 * 28));
  EXPECT_THAT(latency.selector.probes, ElementsAre("api_health", "api.companies"));
  EXPECT_EQ(latency.alert_name, "ApiSlow");
  EXPECT_THAT(latency.page.labels, ElementsAre(Pair("severity", "page")));
  EXPECT_FALSE(latency.page.disable);
  EXPECT_TRUE(latency.ticket.disable);

  const SloSpec& errors = FindSlo(**got, "checkout-errors");
  EXPECT_EQ(errors.sli, SloSpec::Sli::kErrorRatio);
  EXPECT_EQ(errors.errors_query,
            "sum(rate(http_requests_total{job=\"checkout\",code=~\"5..\"}[{{.window}}]))");
  EXPECT_EQ(errors.total_pos, std::make_pair(52, 16));
  EXPECT_EQ(errors.component, "");  // not probes: no component to scope by
}

TEST(SloConfigTest, ThresholdMayBeSecondsOrADurationAndMatchesCustomBuckets) {
  const std::string text = R"(global:
  histogram_buckets: [0.1, 0.3, 1]
probes:
  - {name: a, kind: tcp, target: "127.0.0.1:1"}
slos:
  - {name: fast, objective: 95, sli: {latency: {probes: [a], threshold: 0.3}}}
  - {name: slow, objective: 95, sli: {latency: {probes: [a], threshold: 1s}}}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "c.yml", test_util::Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_DOUBLE_EQ((*got)->slos[0].threshold_seconds, 0.3);
  EXPECT_DOUBLE_EQ((*got)->slos[1].threshold_seconds, 1);
  EXPECT_EQ((*got)->slos[0].component, "default");
}

TEST(SloConfigTest, SelectsByStaticLabels) {
  const std::string text = R"(global: {labels: {env: prod}}
probes:
  - {name: a, kind: tcp, component: db, target: "127.0.0.1:1", labels: {tier: gold}}
  - {name: b, kind: tcp, component: api, target: "127.0.0.1:2", labels: {tier: gold}}
slos:
  - {name: gold, objective: 99, sli: {availability: {labels: {tier: gold, env: prod}}}}
  - {name: silver, objective: 99, sli: {availability: {labels: {tier: silver}}}}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "c.yml", test_util::Env({}));
  ASSERT_FALSE(got.ok());
  // gold matches both probes (different components: no shared component); silver none.
  EXPECT_EQ(got.status().message(),
            "c.yml:7:55: \"availability\" selects no probe: no configured probe carries the "
            "labels {tier=\"silver\"}");
}

TEST(SloConfigTest, NoSlosSectionMeansNoSlos) {
  core::Result<ConfigPtr> got = LoadConfigText("probes: []\nslos:\n", "c.yml", test_util::Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_TRUE((*got)->slos.empty());
}

// `sli:` with nothing after it would otherwise read as an availability SLI over every probe.
TEST(SloConfigTest, EmptySliIsAnError) {
  core::Result<ConfigPtr> got = LoadConfigText(
      "probes: []\nslos:\n  - name: s\n    objective: 99\n    sli:\n", "c.yml", test_util::Env({}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:5:5: \"sli\" of slo \"s\" is empty; give one of availability, latency, "
            "error_ratio");
}

TEST(SloConfigTest, EmptyListItemIsAnError) {
  core::Result<ConfigPtr> got = LoadConfigText("slos:\n  -\n", "c.yml", test_util::Env({}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:2:3: an item of \"slos\" is empty; an SLO needs name, objective and sli");
}

TEST(SloConfigTest, BrokenProbeDoesNotAlsoMakeItsSloReferenceUnknown) {
  const std::string text = R"(probes:
  - {name: a, kind: http, target: "ftp://x/"}
slos:
  - {name: s, objective: 99, sli: {availability: {probes: [a]}}}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "c.yml", test_util::Env({}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:2:35: target \"ftp://x/\" must be an http:// or https:// URL");
}

TEST(SloConfigTest, DefaultAlertNameIsTheSloNameInCamelCase) {
  EXPECT_EQ(DefaultSloAlertName("api-availability"), "ApiAvailabilityErrorBudgetBurn");
  EXPECT_EQ(DefaultSloAlertName("db_core.read"), "DbCoreReadErrorBudgetBurn");
  EXPECT_EQ(DefaultSloAlertName("_x"), "XErrorBudgetBurn");
}

struct BadSlo {
  const char* file;
  std::string error;  // after "<path>:"
};

// clang-format off
const BadSlo kBadSlos[] = {
    {"invalid-unknown-probe.yml",
     "7:31: unknown probe \"api_helth\" \xE2\x80\x94 did you mean \"api_health\"?"},
    {"invalid-latency-threshold.yml",
     "7:50: \"threshold\" 300ms (0.3s) is not a bucket bound of smoke_probe_duration_seconds, "
     "so the share of runs under it cannot be measured; use one of 0.005, 0.01, 0.025, 0.05, "
     "0.1, 0.25, 0.5, 1, 2.5, 5, 10 (seconds) or add 0.3 to global.histogram_buckets"},
    {"invalid-objective.yml",
     "5:16: \"objective\" must be a percentage between 0 and 100 (exclusive), e.g. 99.9; got "
     "100 (100 leaves no error budget)"},
    {"invalid-period.yml",
     "6:13: \"period\" must be a whole number of days longer than the longest alert window "
     "(3d), e.g. 7d, 28d or 30d; got 2d"},
    {"invalid-two-slis.yml",
     "8:7: \"sli\" has more than one kind (\"availability\" and \"latency\"); an SLO measures "
     "one SLI"},
    {"invalid-missing-sli.yml",
     "4:5: missing required key \"sli\" in slo \"api\" (one of availability, latency, "
     "error_ratio)"},
    {"invalid-empty-selector.yml",
     "7:21: \"availability\" must select probes with \"probes\", \"labels\" or both"},
    {"invalid-selects-no-probe.yml",
     "7:21: \"availability\" selects no probe: no configured probe carries the labels "
     "{component=\"billing\"}"},
    {"invalid-error-ratio-window.yml",
     "8:17: \"errors\" must contain {{.window}} where the range goes, e.g. "
     "sum(rate(http_requests_total[{{.window}}])), so it can be evaluated over every alert "
     "window"},
    {"invalid-duplicate-slo.yml",
     "7:11: duplicate slo name \"api\" (first defined on line 4)"},
    {"invalid-selector-label.yml",
     "7:31: label name \"probe\" in \"labels\" cannot select probes (select by \"probes\", "
     "\"component\" or your own static labels)"},
    {"invalid-unknown-key.yml",
     "4:5: missing required key \"objective\" in slo \"api\" (the percentage of good events, e.g. "
     "99.9)\n" + std::string(kDir) + "invalid-unknown-key.yml:5:5: unknown key \"objectiv\" in slo "
     "(expected one of: alerting, description, labels, name, objective, period, sli) "
     "\xE2\x80\x94 did you mean \"objective\"?"},
    {"invalid-slo-label.yml",
     "8:14: label name \"slo\" in \"labels\" is set to the SLO's name on every generated "
     "series"},
    {"invalid-alert-name.yml",
     "9:13: invalid alert name \"api-burn\" (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)"},
};
// clang-format on

TEST(SloConfigTest, RejectsEachBadSloWithItsExactMessage) {
  for (const BadSlo& c : kBadSlos) {
    const std::string path = kDir + c.file;
    core::Result<ConfigPtr> got = LoadConfigFile(path, test_util::Env({}));
    ASSERT_FALSE(got.ok()) << c.file << " loaded";
    EXPECT_EQ(got.status().message(), path + ":" + c.error) << c.file;
  }
}

// A bad file nobody checks would rot silently.
TEST(SloConfigTest, EveryInvalidTestdataFileHasAnExpectedMessage) {
  std::set<std::string> listed;
  for (const BadSlo& c : kBadSlos) listed.insert(c.file);
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("invalid-", 0) != 0 || entry.path().extension() != ".yml") continue;
    EXPECT_TRUE(listed.count(name)) << name << " is not in kBadSlos";
  }
}

}  // namespace
}  // namespace smoke::config
