#include "exporter/probes/assertion_evaluator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Reason;
using core::Severity;
using namespace testutil;  // NOLINT: test builders

constexpr char kBody[] =
    R"({"status":"ok","dependencies":{"database":"degraded"},"latency_ms":42,"items":[1,2,3]})";

const std::vector<std::pair<std::string, std::string>> kHeaders = {
    {"Content-Type", "application/json"},
    {"Cache-Control", "no-store"},
    {"Cache-Control", "private"},
    {"Set-Cookie", "sid=abc"},
};

ResponseView View(int status = 200, std::string_view body = kBody) {
  ResponseView v;
  v.status_code = status;
  v.headers = &kHeaders;
  v.body = body;
  v.latency_seconds = 0.25;
  v.now = core::TimePoint(std::chrono::seconds(1'800'000'000));
  v.earliest_cert_expiry = 1'800'000'000 + 10 * 86400;  // 10 days left
  return v;
}

core::AssertionResult EvaluateOne(const Assertion& a, const ResponseView& view) {
  core::Result<AssertionEvaluator> e = AssertionEvaluator::Create({a});
  EXPECT_TRUE(e.ok()) << e.status().message();
  if (!e.ok()) return {};
  Evaluation ev = e->Evaluate(view);
  EXPECT_EQ(ev.results.size(), 1u);
  return ev.results.empty() ? core::AssertionResult{} : ev.results[0];
}

Assertion Status(std::vector<std::pair<int, int>> ranges) {
  Assertion a = StatusIn("status", 0, 0);
  a.status_ranges = std::move(ranges);
  return a;
}

Assertion Latency(std::chrono::milliseconds max) {
  Assertion a;
  a.name = "latency";
  a.kind = Assertion::Kind::kLatency;
  a.max_latency = max;
  return a;
}

Assertion CertExpiry(std::chrono::hours min) {
  Assertion a;
  a.name = "cert";
  a.kind = Assertion::Kind::kCertExpiry;
  a.min_validity = min;
  return a;
}

struct Case {
  const char* name;
  Assertion assertion;
  int status;
  bool passed;
  Reason reason;
  const char* expected;
  const char* actual;
};

TEST(AssertionEvaluatorTest, ExplainsEveryKindInWords) {
  const Case cases[] = {
      {"2xx", Status({{200, 299}}), 204, true, Reason::kStatus, "status in 200-299", "204"},
      {"503", Status({{200, 299}}), 503, false, Reason::kStatus, "status in 200-299", "503"},
      {"list", Status({{200, 200}, {301, 302}}), 302, true, Reason::kStatus,
       "status in 200, 301-302", "302"},
      {"empty ranges mean 2xx", Status({}), 500, false, Reason::kStatus, "status in 200-299",
       "500"},
      {"401", Status({{200, 299}}), 401, false, Reason::kAuthRequired, "status in 200-299",
       "401 (credentials required)"},
      {"body", BodyMatches("b", R"("status":"ok")"), 200, true, Reason::kBody,
       R"(body matches ""status":"ok"")", R"(found ""status":"ok"")"},
      {"body missing", BodyMatches("b", "healthy"), 200, false, Reason::kBody,
       R"(body matches "healthy")", "no match in 86 bytes"},
      {"body negated", BodyMatches("b", "degraded", true), 200, false, Reason::kBody,
       R"(body does not match "degraded")", R"(found "degraded")"},
      {"json", Json("db", "$.dependencies.database", config::JsonOp::kEq, {JString("healthy")}),
       200, false, Reason::kJson, R"($.dependencies.database == "healthy")", R"("degraded")"},
      {"json number", Json("n", "$.latency_ms", config::JsonOp::kLt, {JNumber(100)}), 200, true,
       Reason::kJson, "$.latency_ms < 100", "42"},
      {"json last", Json("l", "$.items[-1]", config::JsonOp::kEq, {JNumber(3)}), 200, true,
       Reason::kJson, "$.items[-1] == 3", "3"},
      {"header present", HeaderPresent("h", "content-type"), 200, true, Reason::kHeader,
       "header content-type present", R"("application/json")"},
      {"header missing", HeaderPresent("h", "X-Frame-Options"), 200, false, Reason::kHeader,
       "header X-Frame-Options present", "absent"},
      {"header any value matches", HeaderMatches("h", "Cache-Control", "^private$"), 200, true,
       Reason::kHeader, R"(header Cache-Control matches "^private$")", R"("no-store", "private")"},
      {"header wrong", HeaderMatches("h", "Content-Type", "^text/html"), 200, false,
       Reason::kHeader, R"(header Content-Type matches "^text/html")", R"("application/json")"},
      {"header absent", HeaderAbsent("h", "Server"), 200, true, Reason::kHeader,
       "header Server absent", "absent"},
      {"header not absent", HeaderAbsent("h", "Set-Cookie"), 200, false, Reason::kHeader,
       "header Set-Cookie absent", "present: <redacted>"},
      {"latency ok", Latency(std::chrono::milliseconds(500)), 200, true, Reason::kLatency,
       "latency <= 500ms", "0.250s"},
      {"latency slow", Latency(std::chrono::milliseconds(100)), 200, false, Reason::kLatency,
       "latency <= 100ms", "0.250s"},
      {"cert ok", CertExpiry(std::chrono::hours(24 * 7)), 200, true, Reason::kCertExpiry,
       "certificate valid for at least 1w", "expires 2027-01-25T08:00:00Z (in 1w3d)"},
      {"cert soon", CertExpiry(std::chrono::hours(24 * 30)), 200, false, Reason::kCertExpiry,
       "certificate valid for at least 4w2d", "expires 2027-01-25T08:00:00Z (in 1w3d)"},
  };
  for (const Case& tc : cases) {
    const core::AssertionResult r = EvaluateOne(tc.assertion, View(tc.status));
    EXPECT_EQ(r.passed, tc.passed) << tc.name;
    EXPECT_EQ(r.reason, tc.reason) << tc.name;
    EXPECT_EQ(r.expected, tc.expected) << tc.name;
    EXPECT_EQ(r.actual, tc.actual) << tc.name;
  }
}

TEST(AssertionEvaluatorTest, ReportsCredentialsRejectedOn401WhenTheyWereSent) {
  ResponseView view = View(401);
  view.credentials_sent = true;
  const core::AssertionResult r = EvaluateOne(Status({{200, 299}}), view);
  EXPECT_EQ(r.reason, Reason::kAuthFailed);
  EXPECT_EQ(r.actual, "401 (credentials rejected)");
}

TEST(AssertionEvaluatorTest, CertExpiryFailsWithoutTlsAndWhenExpired) {
  ResponseView view = View();
  view.earliest_cert_expiry.reset();
  EXPECT_EQ(EvaluateOne(CertExpiry(std::chrono::hours(1)), view).actual, "no TLS certificate");
  view.earliest_cert_expiry = 1'800'000'000 - 3600;
  const core::AssertionResult r = EvaluateOne(CertExpiry(std::chrono::hours(0)), view);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.actual, "expired 2027-01-15T07:00:00Z (1h ago)");
}

TEST(AssertionEvaluatorTest, JsonAssertionsOnANonJsonBodySayWhy) {
  const core::AssertionResult r =
      EvaluateOne(Json("db", "$.db", config::JsonOp::kExists), View(200, "<html>oops</html>"));
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.reason, Reason::kJson);
  EXPECT_EQ(r.actual.rfind("body is not valid JSON: ", 0), 0u) << r.actual;
}

TEST(AssertionEvaluatorTest, CombinesChildrenWithAllOfAndAnyOf) {
  const Assertion ok = Json("status_ok", "$.status", config::JsonOp::kEq, {JString("ok")});
  const Assertion db =
      Json("db_healthy", "$.dependencies.database", config::JsonOp::kEq, {JString("healthy")});
  const Assertion fast = Latency(std::chrono::milliseconds(100));
  struct Combo {
    const char* name;
    Assertion assertion;
    bool passed;
    const char* expected;
    const char* actual;
  };
  const Combo cases[] = {
      {"all pass", Composite("all", Assertion::Kind::kAllOf, {ok, Status({{200, 299}})}), true,
       "all of [status_ok, status]", "all passed"},
      {"all with failures", Composite("all", Assertion::Kind::kAllOf, {ok, db, fast}), false,
       "all of [status_ok, db_healthy, latency]",
       R"(2 of 3 failed: db_healthy: expected $.dependencies.database == "healthy", got "degraded"; latency: expected latency <= 100ms, got 0.250s)"},
      {"any with one pass", Composite("any", Assertion::Kind::kAnyOf, {db, ok}), true,
       "any of [db_healthy, status_ok]",
       R"(1 of 2 failed: db_healthy: expected $.dependencies.database == "healthy", got "degraded")"},
      {"any all fail", Composite("any", Assertion::Kind::kAnyOf, {db, fast}), false,
       "any of [db_healthy, latency]",
       R"(2 of 2 failed: db_healthy: expected $.dependencies.database == "healthy", got "degraded"; latency: expected latency <= 100ms, got 0.250s)"},
      {"nested",
       Composite("outer", Assertion::Kind::kAllOf,
                 {ok, Composite("inner", Assertion::Kind::kAnyOf, {db, fast})}),
       false, "all of [status_ok, inner]",
       R"(1 of 2 failed: inner: expected any of [db_healthy, latency], got 2 of 2 failed: db_healthy: expected $.dependencies.database == "healthy", got "degraded"; latency: expected latency <= 100ms, got 0.250s)"},
  };
  for (const Combo& tc : cases) {
    const core::AssertionResult r = EvaluateOne(tc.assertion, View());
    EXPECT_EQ(r.passed, tc.passed) << tc.name;
    EXPECT_EQ(r.reason, Reason::kAssertion) << tc.name;
    EXPECT_EQ(r.expected, tc.expected) << tc.name;
    EXPECT_EQ(r.actual, tc.actual) << tc.name;
  }
}

TEST(AssertionEvaluatorTest, FlagsBodyRegexFailuresAlsoInsideComposites) {
  core::Result<AssertionEvaluator> e = AssertionEvaluator::Create(
      {Composite("any", Assertion::Kind::kAnyOf, {BodyMatches("b", "nope"), Status({{200, 299}})},
                 Severity::kWarn)});
  ASSERT_TRUE(e.ok());
  const Evaluation ev = e->Evaluate(View());
  EXPECT_TRUE(ev.results[0].passed);
  EXPECT_EQ(ev.results[0].severity, Severity::kWarn);
  EXPECT_TRUE(ev.body_regex_failed);
}

TEST(AssertionEvaluatorTest, RejectsInvalidAssertionsNamingThem) {
  struct Bad {
    Assertion assertion;
    const char* mentions;
  };
  Assertion bad_path = Json("p", "$.ok", config::JsonOp::kExists);
  bad_path.json_path_parsed.clear();
  bad_path.json_path = "$..bad";
  const Bad cases[] = {
      {BodyMatches("body_check", "(unclosed"), "body_check"},
      {HeaderMatches("hdr_check", "X", "[z-a]"), "hdr_check"},
      {Json("json_re", "$.v", config::JsonOp::kMatches, {}, "*bad"), "json_re"},
      {bad_path, "column"},
      {HeaderPresent("no_name", ""), "header_name"},
      {Composite("empty", Assertion::Kind::kAllOf, {}), "empty"},
      {Composite("outer", Assertion::Kind::kAnyOf, {BodyMatches("inner_bad", "(")}), "inner_bad"},
  };
  for (const Bad& tc : cases) {
    core::Result<AssertionEvaluator> e = AssertionEvaluator::Create({tc.assertion});
    ASSERT_FALSE(e.ok()) << tc.mentions;
    EXPECT_NE(e.status().message().find(tc.mentions), std::string::npos) << e.status().message();
  }
}

}  // namespace
}  // namespace smoke::probes
