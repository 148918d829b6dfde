// Which silences waive an alert: Alertmanager's semantics (equal, anchored regex, negative
// matchers, absent labels, active window), and parsing GET /api/v2/silences strictly.

#include "exporter/readiness/silence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace smoke::readiness {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'761'365'280'000;  // 2025-10-25T04:08:00Z

Silence With(std::vector<SilenceMatcher> matchers) {
  Silence s;
  s.id = "s1";
  s.state = "active";
  s.starts_at_ms = kNow - 60'000;
  s.ends_at_ms = kNow + 3'600'000;
  s.matchers = std::move(matchers);
  return s;
}

struct SilenceCase {
  const char* name;
  std::vector<SilenceMatcher> matchers;
  LabelMap labels;
  bool matches;
};

class SilenceMatchTest : public ::testing::TestWithParam<SilenceCase> {};

TEST_P(SilenceMatchTest, FollowsAlertmanagerSemantics) {
  const SilenceCase& c = GetParam();
  EXPECT_EQ(SilenceMatches(With(c.matchers), c.labels), c.matches) << c.name;
}

const LabelMap kAlert = {{"alertname", "ProbeFailed"},
                         {"probe", "api_notifications"},
                         {"severity", "critical"},
                         {"component", "api"}};

INSTANTIATE_TEST_SUITE_P(
    Cases, SilenceMatchTest,
    ::testing::Values(
        SilenceCase{"equal", {{"alertname", "ProbeFailed", false, true}}, kAlert, true},
        SilenceCase{
            "equal other value", {{"alertname", "ProbeDegraded", false, true}}, kAlert, false},
        SilenceCase{"all matchers must match",
                    {{"alertname", "ProbeFailed", false, true}, {"probe", "db", false, true}},
                    kAlert,
                    false},
        SilenceCase{
            "regex anchored: prefix does not match", {{"probe", "api", true, true}}, kAlert, false},
        SilenceCase{"regex anchored: full match", {{"probe", "api_.*", true, true}}, kAlert, true},
        SilenceCase{
            "regex alternation", {{"probe", "db|api_notifications", true, true}}, kAlert, true},
        SilenceCase{"not equal", {{"severity", "warning", false, false}}, kAlert, true},
        SilenceCase{
            "not equal to its own value", {{"severity", "critical", false, false}}, kAlert, false},
        SilenceCase{"regex no match", {{"component", "db|cache", true, false}}, kAlert, true},
        SilenceCase{
            "regex no match of its value", {{"component", "a.*", true, false}}, kAlert, false},
        SilenceCase{"absent label equals empty", {{"team", "", false, true}}, kAlert, true},
        SilenceCase{"absent label is not a value", {{"team", "db", false, true}}, kAlert, false},
        SilenceCase{"no matchers matches nothing", {}, kAlert, false},
        SilenceCase{"invalid regex matches nothing", {{"probe", "(", true, true}}, kAlert, false}),
    [](const ::testing::TestParamInfo<SilenceCase>& info) {
      std::string n = info.param.name;
      for (char& c : n) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return n;
    });

TEST(SilenceTest, IsActiveOnlyInsideItsWindowAndNotExpired) {
  Silence s = With({{"alertname", "X", false, true}});
  EXPECT_TRUE(IsActive(s, kNow));
  EXPECT_TRUE(IsActive(s, s.starts_at_ms));
  EXPECT_FALSE(IsActive(s, s.ends_at_ms)) << "endsAt is exclusive";
  EXPECT_FALSE(IsActive(s, s.starts_at_ms - 1)) << "pending: not started yet";
  s.state = "expired";  // expired early through the UI: endsAt was moved, but trust the state
  EXPECT_FALSE(IsActive(s, kNow));
}

TEST(ParseSilencesTest, ReadsAlertmanagerV2Answer) {
  const std::string body = R"([
    {"id":"a1b2","status":{"state":"active"},"updatedAt":"2025-10-25T04:00:00.000Z",
     "comment":"known: notifications route, fix in #123","createdBy":"alice",
     "startsAt":"2025-10-25T04:00:00.000Z","endsAt":"2025-10-25T06:00:00.5+02:00",
     "matchers":[{"name":"alertname","value":"ProbeFailed","isRegex":false,"isEqual":true},
                 {"name":"probe","value":"api_.*","isRegex":true}]}])";
  core::Result<std::vector<Silence>> parsed = ParseSilences(body);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 1u);
  const Silence& s = (*parsed)[0];
  EXPECT_EQ(s.id, "a1b2");
  EXPECT_EQ(s.created_by, "alice");
  EXPECT_EQ(s.comment, "known: notifications route, fix in #123");
  EXPECT_EQ(s.state, "active");
  EXPECT_EQ(s.starts_at_ms, 1'761'364'800'000);
  EXPECT_EQ(s.ends_at_ms, 1'761'364'800'500) << "+02:00 offset applied";
  ASSERT_EQ(s.matchers.size(), 2u);
  EXPECT_TRUE(s.matchers[1].is_regex);
  EXPECT_TRUE(s.matchers[1].is_equal) << "isEqual defaults to true (Alertmanager < 0.22)";
}

TEST(ParseSilencesTest, RejectsWhatItDoesNotUnderstand) {
  const struct {
    const char* body;
    const char* error;
  } cases[] = {
      {"<html>", "not JSON"},
      {R"({"silences":[]})", "not a JSON array"},
      {R"([{"status":{"state":"active"},"startsAt":"2025-10-25T04:00:00Z","endsAt":"2025-10-25T05:00:00Z","matchers":[]}])",
       "silence #1: missing \"id\""},
      {R"([{"id":"x","startsAt":"yesterday","endsAt":"2025-10-25T05:00:00Z","matchers":[]}])",
       "invalid RFC 3339 time \"yesterday\""},
      {R"([{"id":"x","startsAt":"2025-10-25T04:00:00Z","endsAt":"2025-10-25T05:00:00Z","matchers":[{"name":"a","value":"b","isRegex":"yes"}]}])",
       "\"isRegex\" is not a boolean"},
  };
  for (const auto& c : cases) {
    core::Result<std::vector<Silence>> parsed = ParseSilences(c.body);
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.error)) << c.body;
  }
}

TEST(ParseRfc3339Test, ParsesUtcOffsetsAndFractions) {
  EXPECT_EQ(*ParseRfc3339Ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339Ms("1970-01-01T00:00:01.25Z"), 1250);
  EXPECT_EQ(*ParseRfc3339Ms("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(*ParseRfc3339Ms("1970-01-01T00:00:00.123456789Z"), 123);
  EXPECT_FALSE(ParseRfc3339Ms("1970-01-01T00:00:00").ok()) << "a zone is required";
  EXPECT_FALSE(ParseRfc3339Ms("1970-13-01T00:00:00Z").ok());
  EXPECT_FALSE(ParseRfc3339Ms("1970-01-01T00:00:00Zjunk").ok());
}

}  // namespace
}  // namespace smoke::readiness
