// The openapi, not_found and invalid_input contracts against servers that comply and that violate
// each in a named way (seed 000's "API Endpoint Tests", seed 003's "Error Handling (404)").

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

// The demo API's document (scripts/demo_api.py).
constexpr char kOpenApi[] = R"({"openapi":"3.0.3","info":{"title":"demo","version":"1.0"},)"
                            R"("paths":{"/health":{},"/api/v1/companies":{}}})";

TEST(OpenApiContractTest, PassesForAValidDocumentWithTheRequiredPaths) {
  FakeHttpServer server;
  server.Respond("/openapi.json", 200, kOpenApi, kJson);
  const core::ProbeResult r =
      RunContract(server.base_url() + "/openapi.json",
                  "{contract: {openapi: {required_paths: [/health, /api/v1/companies]}}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(FailedChecks(r), "");
  ASSERT_NE(FindAssertion(r, "openapi_path_api_v1_companies"), nullptr);
  EXPECT_EQ(Detail(r, "openapi_version"), "3.0.3");
  EXPECT_EQ(Detail(r, "openapi_paths"), "2");
}

TEST(OpenApiContractTest, AcceptsSwagger2) {
  FakeHttpServer server;
  server.Respond("/swagger.json", 200,
                 R"({"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/a":{}}})",
                 kJson);
  const core::ProbeResult r =
      RunContract(server.base_url() + "/swagger.json", "{contract: openapi}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
}

TEST(OpenApiContractTest, NamesWhatIsWrongWithTheDocument) {
  struct Case {
    const char* name;
    int status;
    const char* body;
    Reason reason;
    const char* failed;
  };
  const Case cases[] = {
      {"docs not served", 404, R"({"detail":"Not Found"})", Reason::kStatus,
       "status, openapi_version, openapi_info, openapi_paths, openapi_path_health"},
      {"the Swagger UI page instead of the document", 200, "<html>Swagger UI</html>",
       Reason::kOpenApiInvalid,
       "openapi_json, openapi_version, openapi_info, openapi_paths, openapi_path_health"},
      {"no version field", 200, R"({"info":{"title":"t","version":"1"},"paths":{"/health":{}}})",
       Reason::kOpenApiInvalid, "openapi_version"},
      {"OpenAPI 4 is not a version we know", 200,
       R"({"openapi":"4.0","info":{"title":"t","version":"1"},"paths":{"/health":{}}})",
       Reason::kOpenApiInvalid, "openapi_version"},
      {"no info", 200, R"({"openapi":"3.1.0","paths":{"/health":{}}})", Reason::kOpenApiInvalid,
       "openapi_info"},
      {"paths is a list", 200,
       R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":["/health"]})",
       Reason::kOpenApiInvalid, "openapi_paths, openapi_path_health"},
      {"a required path is missing", 200,
       R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/other":{}}})",
       Reason::kOpenApiInvalid, "openapi_path_health"},
  };
  FakeHttpServer server;
  for (const Case& c : cases) {
    server.Respond("/openapi.json", c.status, c.body, kJson);
    const core::ProbeResult r = RunContract(server.base_url() + "/openapi.json",
                                            "{contract: {openapi: {required_paths: [/health]}}}");
    EXPECT_EQ(r.outcome, Outcome::kFailed) << c.name;
    EXPECT_EQ(r.reason, c.reason) << c.name << ": " << Describe(r);
    EXPECT_EQ(FailedChecks(r), c.failed) << c.name;
  }
}

TEST(OpenApiContractTest, EmptyPathsFailUnlessMinPathsIsZero) {
  FakeHttpServer server;
  server.Respond("/openapi.json", 200,
                 R"({"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}})", kJson);
  core::ProbeResult r = RunContract(server.base_url() + "/openapi.json", "{contract: openapi}");
  EXPECT_EQ(FailedChecks(r), "openapi_paths");
  EXPECT_EQ(FindAssertion(r, "openapi_paths")->actual, "0 path(s)");
  r = RunContract(server.base_url() + "/openapi.json", "{contract: {openapi: {min_paths: 0}}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
}

// Seed 003: "Endpoint: /nonexistent-endpoint-test-12345 ... Proper error format with detail".
TEST(NotFoundContractTest, PassesFor404WithDetail) {
  FakeHttpServer server;  // answers unknown paths with 404 {"detail":"Not Found"}
  const core::ProbeResult r =
      RunContract(server.base_url() + "/nonexistent-endpoint-test-12345", "{contract: not_found}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(Detail(r, "error"), "\"Not Found\"");
}

TEST(NotFoundContractTest, NamesEachViolation) {
  struct Case {
    const char* name;
    int status;
    const char* body;
    Reason reason;
    const char* failed;
    const char* status_actual;
  };
  const Case cases[] = {
      {"a catch-all route serves it", 200, R"({"detail":"ok"})", Reason::kStatus, "status",
       "200 (the unknown path was served)"},
      {"the router crashes", 500, R"({"detail":"Internal Server Error"})", Reason::kServerError,
       "status", "500 (a server error instead of a refusal)"},
      {"plain-text 404", 404, "Not Found", Reason::kJson, "error_field", "404"},
      {"JSON 404 without detail", 404, R"({"error":"not found"})", Reason::kJson, "error_field",
       "404"},
  };
  FakeHttpServer server;
  for (const Case& c : cases) {
    server.Respond("/missing", c.status, c.body, kJson);
    const core::ProbeResult r =
        RunContract(server.base_url() + "/missing", "{contract: not_found}");
    EXPECT_EQ(r.reason, c.reason) << c.name << ": " << Describe(r);
    EXPECT_EQ(FailedChecks(r), c.failed) << c.name;
    EXPECT_EQ(FindAssertion(r, "status")->actual, c.status_actual) << c.name;
  }
}

TEST(NotFoundContractTest, ErrorFieldIsConfigurable) {
  FakeHttpServer server;
  server.Respond("/missing", 404, R"({"error":{"message":"no such route"}})", kJson);
  const core::ProbeResult r = RunContract(
      server.base_url() + "/missing", "{contract: {not_found: {error_field: $.error.message}}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
}

TEST(InvalidInputContractTest, AnyClientErrorPassesAndA5xxIsAServerError) {
  struct Case {
    int status;
    Outcome outcome;
    Reason reason;
  };
  const Case cases[] = {
      {404, Outcome::kOk, Reason::kNone},
      {400, Outcome::kOk, Reason::kNone},
      {422, Outcome::kOk, Reason::kNone},
      {500, Outcome::kFailed, Reason::kServerError},
      {503, Outcome::kFailed, Reason::kServerError},
      {200, Outcome::kFailed, Reason::kStatus},
  };
  FakeHttpServer server;
  for (const Case& c : cases) {
    server.Respond("/api/v1/companies/NOT-A-TICKER", c.status, R"({"detail":"x"})", kJson);
    const core::ProbeResult r = RunContract(server.base_url() + "/api/v1/companies/NOT-A-TICKER",
                                            "{contract: invalid_input}");
    EXPECT_EQ(r.outcome, c.outcome) << c.status << ": " << Describe(r);
    EXPECT_EQ(r.reason, c.reason) << c.status;
  }
}

TEST(InvalidInputContractTest, UserAssertionsStillApply) {
  FakeHttpServer server;
  server.Respond("/api/v1/companies/-1", 422, R"({"detail":"x"})", kJson);
  const core::ProbeResult r = RunContract(server.base_url() + "/api/v1/companies/-1",
                                          "{contract: {invalid_input: {expect_status: 422}}, "
                                          "assertions: [{body_regex: 'ticker'}]}");
  EXPECT_EQ(FailedChecks(r), "body_regex") << Describe(r);
  EXPECT_EQ(r.reason, Reason::kBody);
  EXPECT_EQ(r.assertions.front().name, "status");  // the contract's checks come first
}

}  // namespace
}  // namespace smoke::probes
