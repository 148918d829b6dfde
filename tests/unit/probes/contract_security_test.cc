// The security contracts (security_headers, auth_required, webhook_signature, sql_injection)
// against servers that comply and that violate each in a named way: seed 003's missing headers
// and webhook 500, seed 000's "SQL Injection Prevention: PASS (connection error)".

#include <civetweb.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/fake_http_server.h"
#include "tests/unit/probes/contract_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using smoke::testing::EverythingShown;
using smoke::testing::FakeHttpServer;
using smoke::testing::FakeRequest;
using namespace testutil;  // NOLINT: test builders

using Headers = std::vector<std::pair<std::string, std::string>>;

// scripts/demo_api.py's SECURITY_HEADERS.
const Headers kSecure = {
    {"Content-Type", "application/json"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
    {"Content-Security-Policy", "default-src 'self'"},
};

Headers Without(const std::string& name) {
  Headers out;
  for (const auto& h : kSecure) {
    if (h.first != name) out.push_back(h);
  }
  return out;
}

Headers With(const std::string& name, const std::string& value) {
  Headers out = Without(name);
  out.emplace_back(name, value);
  return out;
}

TEST(SecurityHeadersContractTest, PassesWhenEveryHeaderIsSafe) {
  FakeHttpServer server;
  server.Respond("/health", 200, "{}", kSecure);
  const core::ProbeResult r =
      RunContract(server.base_url() + "/health", "{contract: security_headers}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  ASSERT_EQ(r.assertions.size(), 4u);  // no status check: a 503 page must be secure too
  EXPECT_EQ(r.assertions[0].name, "security_header_x_content_type_options");
  EXPECT_EQ(r.assertions[1].name, "security_header_x_frame_options");
  EXPECT_EQ(r.assertions[2].name, "security_header_strict_transport_security");
  EXPECT_EQ(r.assertions[3].name, "security_header_content_security_policy");
}

TEST(SecurityHeadersContractTest, NamesEachMissingHeader) {
  for (const auto& [header, value] : kSecure) {
    if (header == "Content-Type") continue;
    FakeHttpServer server;
    server.Respond("/health", 200, "{}", Without(header));
    const core::ProbeResult r =
        RunContract(server.base_url() + "/health", "{contract: security_headers}");
    EXPECT_EQ(r.outcome, Outcome::kFailed) << header;
    EXPECT_EQ(r.reason, Reason::kSecurityHeader) << header;
    std::string check = "security_header_";
    for (char c : header) check += c == '-' ? '_' : static_cast<char>(std::tolower(c));
    EXPECT_EQ(FailedChecks(r), check) << header;
    EXPECT_EQ(FindAssertion(r, check)->actual, "absent");
    EXPECT_EQ(Detail(r, "missing_security_headers"), header);
  }
}

TEST(SecurityHeadersContractTest, NamesEachUnsafeValue) {
  struct Case {
    const char* header;
    const char* value;
    const char* check;
    const char* expected;
  };
  const Case cases[] = {
      {"X-Content-Type-Options", "sniff", "security_header_x_content_type_options",
       "X-Content-Type-Options: nosniff"},
      {"X-Frame-Options", "ALLOWALL", "security_header_x_frame_options",
       "X-Frame-Options: DENY or SAMEORIGIN"},
      {"Strict-Transport-Security", "max-age=0", "security_header_strict_transport_security",
       "Strict-Transport-Security with max-age > 0"},
      {"Content-Security-Policy", " ", "security_header_content_security_policy",
       "Content-Security-Policy present and non-empty"},
  };
  for (const Case& c : cases) {
    FakeHttpServer server;
    server.Respond("/", 200, "{}", With(c.header, c.value));
    const core::ProbeResult r =
        RunContract(server.base_url() + "/", "{contract: security_headers}");
    EXPECT_EQ(FailedChecks(r), c.check) << c.header << ": " << Describe(r);
    EXPECT_EQ(FindAssertion(r, c.check)->expected, c.expected);
    EXPECT_EQ(Detail(r, "unsafe_security_headers"), c.header);
  }
}

TEST(SecurityHeadersContractTest, LowercaseAndSameoriginValuesAreSafe) {
  FakeHttpServer server;
  server.Respond("/", 200, "{}",
                 {{"x-content-type-options", "NoSniff"},
                  {"x-frame-options", "sameorigin"},
                  {"strict-transport-security", "max-age=63072000"},
                  {"content-security-policy", "frame-ancestors 'none'"}});
  const core::ProbeResult r = RunContract(server.base_url() + "/", "{contract: security_headers}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
}

// The demo API's missing_security_headers fault, with the severity seed 003 gave it.
TEST(SecurityHeadersContractTest, AllMissingWithSeverityWarnDegradesAndListsThemAll) {
  FakeHttpServer server;
  server.Respond("/health", 200, "{}", {{"Content-Type", "application/json"}});
  const core::ProbeResult r = RunContract(server.base_url() + "/health",
                                          "{contract: {security_headers: {severity: warn}}}");
  EXPECT_EQ(r.outcome, Outcome::kDegraded);
  EXPECT_EQ(r.reason, Reason::kSecurityHeader);
  EXPECT_EQ(r.message,
            "assertion security_header_x_content_type_options (warn) failed: expected "
            "X-Content-Type-Options: nosniff, got absent; also failed: "
            "security_header_x_frame_options, security_header_strict_transport_security, "
            "security_header_content_security_policy");
  EXPECT_EQ(Detail(r, "missing_security_headers"),
            "X-Content-Type-Options, X-Frame-Options, Strict-Transport-Security, "
            "Content-Security-Policy");
}

TEST(SecurityHeadersContractTest, PerHeaderSeverityExcludeAndCustomHeaders) {
  FakeHttpServer server;
  server.Respond("/", 200, "{}",
                 {{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "unsafe-url"}});
  core::ProbeResult r =
      RunContract(server.base_url() + "/",
                  "{contract: {security_headers: {headers: [X-Content-Type-Options, "
                  "{name: Strict-Transport-Security, severity: warn}]}}}");
  EXPECT_EQ(r.outcome, Outcome::kDegraded) << Describe(r);
  EXPECT_EQ(FailedChecks(r), "security_header_strict_transport_security");

  r = RunContract(server.base_url() + "/",
                  "{contract: {security_headers: {exclude: [X-Frame-Options, "
                  "Strict-Transport-Security, Content-Security-Policy]}}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);

  r = RunContract(server.base_url() + "/",
                  "{contract: {security_headers: {headers: [{name: Referrer-Policy, "
                  "regex: '^(no-referrer|strict-origin-when-cross-origin)$'}]}}}");
  EXPECT_EQ(FailedChecks(r), "security_header_referrer_policy");
  EXPECT_EQ(FindAssertion(r, "security_header_referrer_policy")->actual, "\"unsafe-url\"");
}

// Seed 003 counted "credentials not provided" as passed; this contract needs none.
TEST(AuthRequiredContractTest, SendsNoCredentialsAndPassesOn401Or403) {
  for (int status : {401, 403}) {
    FakeHttpServer server;
    server.Respond("/api/v1/agents", status, R"({"detail":"Not authenticated"})");
    const config::ProbeSpec spec =
        ContractSpecFor(server.base_url() + "/api/v1/agents",
                        "{contract: auth_required, bearer_token_env: API_TOKEN, "
                        "headers: {X-Api-Key: {value_env: API_KEY}}}",
                        {{"API_TOKEN", "tok-3f9a"}, {"API_KEY", "key-77c1"}});
    const core::ProbeResult r = RunProbe(spec);
    EXPECT_EQ(r.outcome, Outcome::kOk) << status << ": " << Describe(r);
    const std::vector<FakeRequest> requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const FakeRequest& req = requests[0];
    EXPECT_EQ(req.headers.count("authorization"), 0u);
    EXPECT_EQ(req.headers.count("x-api-key"), 0u);
  }
}

TEST(AuthRequiredContractTest, AnUnreadableSecretDoesNotSkipIt) {
  FakeHttpServer server;
  server.Respond("/admin", 401, "{}");
  // API_TOKEN is not set: an ordinary probe would be skipped (credentials_missing).
  const core::ProbeResult r = RunContract(server.base_url() + "/admin",
                                          "{contract: auth_required, bearer_token_env: API_TOKEN}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
}

TEST(AuthRequiredContractTest, NamesEachViolation) {
  struct Case {
    int status;
    Reason reason;
    const char* actual;
  };
  const Case cases[] = {
      {200, Reason::kAuthNotEnforced, "200 (served without credentials)"},
      {302, Reason::kAuthNotEnforced, "302 (served without credentials)"},
      {500, Reason::kServerError, "500 (a server error instead of a refusal)"},
      {404, Reason::kStatus, "404"},
  };
  FakeHttpServer server;
  for (const Case& c : cases) {
    server.Respond("/admin", c.status, "{}");
    const core::ProbeResult r = RunContract(server.base_url() + "/admin",
                                            "{contract: auth_required, follow_redirects: false}");
    EXPECT_EQ(r.reason, c.reason) << c.status << ": " << Describe(r);
    EXPECT_EQ(FindAssertion(r, "status")->actual, c.actual);
    EXPECT_EQ(FindAssertion(r, "status")->expected, "status in 401, 403");
  }
}

TEST(WebhookSignatureContractTest, PostsAnUnsignedJsonBodyAndPassesOnARefusal) {
  for (int status : {401, 422}) {
    FakeHttpServer server;
    server.Respond("/webhook/servicedesk", status, R"({"detail":"missing signature"})");
    const core::ProbeResult r =
        RunContract(server.base_url() + "/webhook/servicedesk", "{contract: webhook_signature}");
    EXPECT_EQ(r.outcome, Outcome::kOk) << status << ": " << Describe(r);
    const std::vector<FakeRequest> requests = server.requests();
    ASSERT_EQ(requests.size(), 1u);
    const FakeRequest& req = requests[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.body, "{}");
    EXPECT_EQ(req.headers.at("content-type"), "application/json");
  }
}

// Seed 003: "Status: 500 (expected 401 or 422 for missing signature)", reported as a warning.
TEST(WebhookSignatureContractTest, A500FailsWithReasonServerError) {
  FakeHttpServer server;
  server.Respond("/webhook/servicedesk", 500, "Internal Server Error");
  const core::ProbeResult r =
      RunContract(server.base_url() + "/webhook/servicedesk", "{contract: webhook_signature}");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kServerError);
  EXPECT_EQ(r.message,
            "assertion status failed: expected status in 400, 401, 403, 422, got 500 (a server "
            "error instead of a refusal)");
}

TEST(WebhookSignatureContractTest, AnAcceptedUnsignedWebhookIsAuthNotEnforced) {
  FakeHttpServer server;
  server.Respond("/hook", 200, R"({"ok":true})");
  const core::ProbeResult r =
      RunContract(server.base_url() + "/hook",
                  R"({contract: {webhook_signature: {method: PUT, body: '{"event":"ping"}'}}})");
  EXPECT_EQ(r.reason, Reason::kAuthNotEnforced) << Describe(r);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "PUT");
  EXPECT_EQ(server.requests()[0].body, R"({"event":"ping"})");
}

constexpr char kEncodedPayload[] = "%27%20OR%20%271%27%3D%271";  // ' OR '1'='1

TEST(SqlInjectionContractTest, SendsThePayloadEncodedAndPassesOnACleanRefusal) {
  FakeHttpServer server;
  server.Respond("/api/v1/companies", 400, R"({"detail":"invalid ticker"})");
  const core::ProbeResult r = RunContract(server.base_url() + "/api/v1/companies?limit=5",
                                          "{contract: {sql_injection: {param: ticker}}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].query, std::string("limit=5&ticker=") + kEncodedPayload);
  EXPECT_EQ(Detail(r, "payload"), "' OR '1'='1");
}

TEST(SqlInjectionContractTest, WithoutParamThePayloadIsTheLastPathSegment) {
  FakeHttpServer server;  // unknown paths: 404 {"detail":"Not Found"}
  const core::ProbeResult r =
      RunContract(server.base_url() + "/api/v1/companies", "{contract: sql_injection}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].path, "/api/v1/companies/' OR '1'='1");
}

TEST(SqlInjectionContractTest, NamesTheDatabaseWhoseErrorLeaked) {
  struct Case {
    const char* database;
    int status;
    const char* body;
  };
  const Case cases[] = {
      {"PostgreSQL", 500,
       R"({"detail":"(psycopg2.errors.SyntaxError) syntax error at or near \"1\""})"},
      {"PostgreSQL", 500, "asyncpg.exceptions.PostgresSyntaxError: unterminated quoted string"},
      {"MySQL", 500,
       "You have an error in your SQL syntax; check the manual that corresponds to your MySQL "
       "server version for the right syntax to use near ''1'' at line 1"},
      {"SQLite", 200, R"({"error":"sqlite3.OperationalError: unrecognized token: \"'1'\""})"},
      {"SQL Server", 500, "Unclosed quotation mark after the character string ''."},
      {"Oracle", 500, "ORA-01756: quoted string not properly terminated"},
      {"SQL", 400, "sqlalchemy.exc.OperationalError: database is locked"},
  };
  FakeHttpServer server;
  for (const Case& c : cases) {
    server.Respond("/search", c.status, c.body);
    const core::ProbeResult r =
        RunContract(server.base_url() + "/search", "{contract: {sql_injection: {param: q}}}");
    EXPECT_EQ(r.outcome, Outcome::kFailed) << c.body;
    EXPECT_EQ(r.reason, Reason::kSqlErrorLeak) << c.body << ": " << Describe(r);
    EXPECT_EQ(Detail(r, "sql_error_signature"), c.database) << c.body;
    EXPECT_EQ(r.assertions.front().name, "sql_error_text");
    EXPECT_NE(r.assertions.front().actual.find(std::string(c.database) + " error text: "),
              std::string::npos)
        << r.assertions.front().actual;
  }
}

TEST(SqlInjectionContractTest, A5xxWithoutSqlTextIsAServerError) {
  FakeHttpServer server;
  server.Respond("/search", 500, R"({"detail":"Internal Server Error"})");
  const core::ProbeResult r =
      RunContract(server.base_url() + "/search", "{contract: {sql_injection: {param: q}}}");
  EXPECT_EQ(r.reason, Reason::kServerError) << Describe(r);
  EXPECT_EQ(FailedChecks(r), "status");
}

TEST(SqlInjectionContractTest, OrdinaryJsonIsNotMistakenForAnSqlError) {
  FakeHttpServer server;
  server.Respond("/search", 200,
                 R"([{"ticker":"ACME","name":"Acme Corp","note":"SQL and ORM experts; error )"
                 R"(rate below 1%; syntax highlighting"}])");
  const core::ProbeResult r =
      RunContract(server.base_url() + "/search", "{contract: {sql_injection: {param: q}}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
}

TEST(SqlInjectionContractTest, ExtraSignaturesAndPayload) {
  FakeHttpServer server;
  server.Respond("/search", 400, R"({"detail":"CockroachDB: at or near \"union\": syntax"})");
  const core::ProbeResult r =
      RunContract(server.base_url() + "/search",
                  "{contract: {sql_injection: {param: q, payload: '1 UNION SELECT 1', "
                  "extra_signatures: ['CockroachDB: at or near']}}}");
  EXPECT_EQ(r.reason, Reason::kSqlErrorLeak) << Describe(r);
  EXPECT_EQ(Detail(r, "sql_error_signature"), "custom");
  EXPECT_EQ(server.requests()[0].query, "q=1%20UNION%20SELECT%201");
}

// Seed 000 passed "SQL Injection Prevention" on a connection error; nothing was learned.
TEST(SqlInjectionContractTest, AnUnreachableTargetIsAFailureNotAPass) {
  int port;
  {
    FakeHttpServer server;
    port = server.port();
  }
  const core::ProbeResult r = RunContract("http://127.0.0.1:" + std::to_string(port) + "/search",
                                          "{contract: {sql_injection: {param: q}}}");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kConnectionRefused) << Describe(r);
  EXPECT_TRUE(r.assertions.empty());
}

TEST(ContractSecretsTest, ConfiguredSecretsNeverAppearInContractEvidence) {
  FakeHttpServer server;
  // A handler that echoes what it got, including the payload.
  server.Route("/search", [](mg_connection* conn, const FakeRequest& req) {
    FakeHttpServer::WriteResponse(conn, 500,
                                  "syntax error at or near \"" + req.query + "\" token=tok-3f9a");
  });
  const config::ProbeSpec spec =
      ContractSpecFor(server.base_url() + "/search",
                      "{contract: {sql_injection: {param: q}}, bearer_token_env: API_TOKEN}",
                      {{"API_TOKEN", "tok-3f9a"}});
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.reason, Reason::kSqlErrorLeak);
  EXPECT_EQ(EverythingShown(r).find("tok-3f9a"), std::string::npos) << EverythingShown(r);
}

}  // namespace
}  // namespace smoke::probes
