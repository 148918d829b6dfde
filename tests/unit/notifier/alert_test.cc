// The payload Alertmanager receives: timestamps, JSON shape, what it would reject, identity.

#include "exporter/notifier/alert.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace smoke::notifier {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

core::TimePoint At(int64_t unix_ms) { return core::TimePoint(milliseconds(unix_ms)); }

TEST(FormatTimestampTest, IsRfc3339UtcWithMilliseconds) {
  struct Case {
    core::TimePoint t;
    std::string want;
  };
  const std::vector<Case> cases = {
      {At(1'700'000'000'123), "2023-11-14T22:13:20.123Z"},
      {At(1'700'000'000'000), "2023-11-14T22:13:20.000Z"},
      // Sub-millisecond parts are cut, never rounded up into the next second.
      {At(1'700'000'000'999) + std::chrono::microseconds(999), "2023-11-14T22:13:20.999Z"},
      {At(951'782'400'000), "2000-02-29T00:00:00.000Z"},  // leap day
      {At(-1), "1969-12-31T23:59:59.999Z"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatTimestamp(c.t), c.want);
}

TEST(EncodeAlertsTest, WritesTheFieldsAlertmanagerReads) {
  Alert alert;
  alert.labels = {{"alertname", "ApiDown"}, {"severity", "page"}};
  alert.annotations = {{"summary", "API is down"}};
  alert.starts_at = At(1'700'000'000'123);
  alert.ends_at = At(1'700'000'240'123);
  alert.generator_url = "http://smoke:9117/graph?g0.expr=up&g0.tab=1";
  const nlohmann::json got = nlohmann::json::parse(EncodeAlerts({alert}));
  const nlohmann::json want = nlohmann::json::parse(R"([{
    "labels": {"alertname": "ApiDown", "severity": "page"},
    "annotations": {"summary": "API is down"},
    "startsAt": "2023-11-14T22:13:20.123Z",
    "endsAt": "2023-11-14T22:17:20.123Z",
    "generatorURL": "http://smoke:9117/graph?g0.expr=up&g0.tab=1"
  }])");
  EXPECT_EQ(got, want);
}

TEST(EncodeAlertsTest, LeavesUnsetFieldsForAlertmanagerToFill) {
  Alert alert;
  alert.labels = {{"alertname", "X"}};
  const nlohmann::json got = nlohmann::json::parse(EncodeAlerts({alert}));
  EXPECT_EQ(got, nlohmann::json::parse(R"([{"labels": {"alertname": "X"}, "annotations": {}}])"));
  EXPECT_EQ(EncodeAlerts({}), "[]");
}

TEST(EncodeAlertsTest, ReplacesInvalidUtf8InsteadOfFailingTheBatch) {
  Alert alert;
  alert.labels = {{"alertname", "X"}};
  alert.annotations = {{"description", std::string("bad \xff byte")}};
  const nlohmann::json got = nlohmann::json::parse(EncodeAlerts({alert}));
  EXPECT_EQ(got[0]["annotations"]["description"], "bad \xEF\xBF\xBD byte");
}

TEST(ValidateAlertTest, RejectsWhatAlertmanagerWouldReject) {
  struct Case {
    std::string name;
    Alert alert;
    std::string error;  // "" = valid
  };
  Alert ok;
  ok.labels = {{"alertname", "Ok"}, {"_private", "1"}};
  ok.annotations = {{"summary", "s"}};
  ok.starts_at = At(1000);
  ok.ends_at = At(1000);
  Alert no_labels;
  Alert bad_label;
  bad_label.labels = {{"alertname", "A"}, {"9lives", "x"}};
  Alert dashed_label;
  dashed_label.labels = {{"alertname", "A"}, {"team-name", "x"}};
  Alert bad_annotation;
  bad_annotation.labels = {{"alertname", "A"}};
  bad_annotation.annotations = {{"run book", "x"}};
  Alert backwards;
  backwards.labels = {{"alertname", "Backwards"}};
  backwards.starts_at = At(2000);
  backwards.ends_at = At(1000);
  Alert only_end;  // Alertmanager sets startsAt itself
  only_end.labels = {{"alertname", "A"}};
  only_end.ends_at = At(1000);
  const std::vector<Case> cases = {
      {"valid", ok, ""},
      {"no labels", no_labels, "alert \"<no alertname>\": has no labels"},
      {"label starting with digit", bad_label, "invalid label name \"9lives\""},
      {"label with dash", dashed_label, "invalid label name \"team-name\""},
      {"annotation with space", bad_annotation, "invalid annotation name \"run book\""},
      {"ends before start", backwards,
       "alert \"Backwards\": endsAt 1970-01-01T00:00:01.000Z is before startsAt "
       "1970-01-01T00:00:02.000Z"},
      {"only endsAt", only_end, ""},
  };
  for (const Case& c : cases) {
    const core::Status s = ValidateAlert(c.alert);
    if (c.error.empty()) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.message();
    } else {
      EXPECT_FALSE(s.ok()) << c.name;
      EXPECT_THAT(s.message(), HasSubstr(c.error)) << c.name;
    }
  }
}

TEST(LabelSetKeyTest, EqualExactlyForEqualLabelSets) {
  EXPECT_EQ(LabelSetKey({{"a", "1"}, {"b", "2"}}), LabelSetKey({{"b", "2"}, {"a", "1"}}));
  EXPECT_NE(LabelSetKey({{"a", "1"}}), LabelSetKey({{"a", "2"}}));
  // Values that contain what would be a separator in a naive encoding stay distinct.
  EXPECT_NE(LabelSetKey({{"a", "1,b=2"}}), LabelSetKey({{"a", "1"}, {"b", "2"}}));
  EXPECT_NE(LabelSetKey({{"a", "b1:c"}}), LabelSetKey({{"a", "b"}, {"c", ""}}));
}

}  // namespace
}  // namespace smoke::notifier
