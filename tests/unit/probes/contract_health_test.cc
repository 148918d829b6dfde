// The health contract against in-process servers answering health documents that comply and that
// violate it in each way seed 000/003 saw (an unhealthy database, an unhealthy cache, a proxy
// error page).

#include <gtest/gtest.h>

#include <string>

#include "tests/support/fake_http_server.h"
#include "tests/unit/probes/contract_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using smoke::testing::FakeHttpServer;
using namespace testutil;  // NOLINT: test builders

const std::vector<std::pair<std::string, std::string>> kJson = {
    {"Content-Type", "application/json"}};

TEST(HealthContractTest, PassesForSeed003sHealthyDocument) {
  FakeHttpServer server;
  server.Respond("/health", 200,
                 R"({"status":"healthy","service":"AI Agents",)"
                 R"("dependencies":{"database":"healthy","redis":"healthy"}})",
                 kJson);
  const core::ProbeResult r = RunContract(server.base_url() + "/health", "{contract: health}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(FailedChecks(r), "");
  for (const char* name :
       {"dependency_database", "dependency_redis", "health_status", "status", "health_json"}) {
    ASSERT_NE(FindAssertion(r, name), nullptr) << name;
    EXPECT_EQ(FindAssertion(r, name)->reason,
              std::string_view(name).rfind("dependency_", 0) == 0 ? Reason::kDependencyUnhealthy
              : std::string_view(name) == "health_status"         ? Reason::kUnhealthy
              : std::string_view(name) == "status"                ? Reason::kStatus
                                                                  : Reason::kJson)
        << name;
  }
  EXPECT_EQ(Detail(r, "dependencies"), "2");
}

// The demo API's database_auth fault, and seed 000's root cause.
TEST(HealthContractTest, NamesTheUnhealthyDependencyFirst) {
  FakeHttpServer server;
  server.Respond("/health", 503,
                 R"({"status":"unhealthy","dependencies":{"database":"unhealthy: password )"
                 R"(authentication failed for user \"intel_user\"","redis":"healthy"}})",
                 kJson);
  const core::ProbeResult r = RunContract(server.base_url() + "/health", "{contract: health}");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kDependencyUnhealthy);
  EXPECT_EQ(FailedChecks(r), "dependency_database, health_status, status");
  EXPECT_EQ(r.message,
            "assertion dependency_database failed: expected dependency \"database\" in (healthy, "
            "ok, up, pass, passing), got \"unhealthy: password authentication failed for user "
            "\"intel_user\"\"; also failed: health_status, status");
  EXPECT_EQ(Detail(r, "unhealthy_dependencies"), "database");
  EXPECT_TRUE(FindAssertion(r, "dependency_redis")->passed);
}

TEST(HealthContractTest, NamesEveryUnhealthyDependency) {
  FakeHttpServer server;
  server.Respond("/health", 503,
                 R"({"status":"unhealthy","dependencies":{"database":"down",)"
                 R"("redis":"NOAUTH Authentication required","queue":"healthy"}})",
                 kJson);
  const core::ProbeResult r = RunContract(server.base_url() + "/health", "{contract: health}");
  EXPECT_EQ(r.reason, Reason::kDependencyUnhealthy);
  EXPECT_EQ(FailedChecks(r), "dependency_database, dependency_redis, health_status, status");
  EXPECT_EQ(Detail(r, "unhealthy_dependencies"), "database, redis");
}

TEST(HealthContractTest, ReadsEachShapeOfDependencyState) {
  struct Case {
    const char* name;
    const char* body;
    const char* failed;
  };
  const Case cases[] = {
      {"nested status objects (seed 000's /api/v1/health)",
       R"({"status":"ok","dependencies":{"database":{"status":"healthy","latency_ms":3},)"
       R"("redis":{"status":"down","error":"timeout"}}})",
       "dependency_redis"},
      {"booleans", R"({"status":"ok","dependencies":{"database":true,"redis":false}})",
       "dependency_redis"},
      {"a list of named checks",
       R"({"status":"ok","dependencies":[{"name":"database","status":"UP"},)"
       R"({"name":"redis","status":"DOWN"}]})",
       "dependency_redis"},
      {"an object without a state", R"({"status":"ok","dependencies":{"redis":{"latency":3}}})",
       "dependency_redis"},
  };
  FakeHttpServer server;
  for (const Case& c : cases) {
    server.Respond("/health", 200, c.body, kJson);
    const core::ProbeResult r = RunContract(server.base_url() + "/health", "{contract: health}");
    EXPECT_EQ(FailedChecks(r), c.failed) << c.name << ": " << Describe(r);
    EXPECT_EQ(r.reason, Reason::kDependencyUnhealthy) << c.name;
  }
}

TEST(HealthContractTest, DegradedDependencyOnlyWarns) {
  FakeHttpServer server;
  server.Respond(
      "/health", 200,
      R"({"status":"healthy","dependencies":{"database":"healthy","search":"degraded"}})", kJson);
  const core::ProbeResult r = RunContract(server.base_url() + "/health", "{contract: health}");
  EXPECT_EQ(r.outcome, Outcome::kDegraded) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kDependencyUnhealthy);
  EXPECT_EQ(FindAssertion(r, "dependency_search")->severity, core::Severity::kWarn);
  EXPECT_EQ(Detail(r, "degraded_dependencies"), "search");
  EXPECT_TRUE(r.passed());
}

TEST(HealthContractTest, RequiredDependencyThatIsNotReportedFails) {
  FakeHttpServer server;
  server.Respond("/health", 200, R"({"status":"healthy","dependencies":{"database":"healthy"}})",
                 kJson);
  const core::ProbeResult r =
      RunContract(server.base_url() + "/health",
                  "{contract: {health: {required_dependencies: [database, redis]}}}");
  EXPECT_EQ(r.reason, Reason::kDependencyUnhealthy);
  EXPECT_EQ(FailedChecks(r), "dependency_redis");
  EXPECT_EQ(FindAssertion(r, "dependency_redis")->actual, "not reported in $.dependencies");
}

TEST(HealthContractTest, AProxyErrorPageFailsOnTheStatusNotOnJson) {
  FakeHttpServer server;
  server.Respond("/health", 502, "<html><body>502 Bad Gateway</body></html>",
                 {{"Content-Type", "text/html"}});
  const core::ProbeResult r = RunContract(
      server.base_url() + "/health", "{contract: {health: {required_dependencies: [database]}}}");
  EXPECT_EQ(r.reason, Reason::kStatus) << Describe(r);
  EXPECT_EQ(FailedChecks(r), "status, health_json, health_status, dependency_database");
  EXPECT_EQ(FindAssertion(r, "dependency_database")->actual, "not checked: the body is not JSON");
}

TEST(HealthContractTest, CustomFieldsAndValues) {
  FakeHttpServer server;
  server.Respond("/health", 200, R"({"state":"GREEN","checks":{"db":"GREEN","cache":"RED"}})",
                 kJson);
  const core::ProbeResult r =
      RunContract(server.base_url() + "/health",
                  "{contract: {health: {status_field: state, dependencies_field: '$.checks', "
                  "healthy_values: [green]}}}");
  EXPECT_EQ(FailedChecks(r), "dependency_cache") << Describe(r);
  EXPECT_EQ(FindAssertion(r, "dependency_cache")->expected, "dependency \"cache\" in (green)");
}

TEST(HealthContractTest, ManyDependenciesShareOneCheckPastTheCap) {
  std::string deps;
  for (int i = 0; i < 20; ++i) {
    deps += (deps.empty() ? "" : ",") + std::string("\"svc") + std::to_string(i) +
            "\":" + (i == 9 ? "\"down\"" : "\"healthy\"");
  }
  FakeHttpServer server;
  server.Respond("/health", 200, R"({"status":"healthy","dependencies":{)" + deps + "}}", kJson);
  const core::ProbeResult r = RunContract(server.base_url() + "/health", "{contract: health}");
  EXPECT_EQ(FailedChecks(r), "dependency_others") << Describe(r);
  // Members are read in key order (svc0, svc1, svc10..svc19, svc2, ...): svc9 is past the cap.
  EXPECT_EQ(FindAssertion(r, "dependency_others")->actual, "svc9=\"down\"");
  size_t dependency_checks = 0;
  for (const core::AssertionResult& a : r.assertions) {
    dependency_checks += a.name.rfind("dependency_", 0) == 0;
  }
  EXPECT_EQ(dependency_checks, 17u);  // 16 named + dependency_others: bounded label values
}

}  // namespace
}  // namespace smoke::probes
