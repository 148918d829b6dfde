// Credentials: what is sent, what is never shown, and what happens when a secret is missing.

#include <gtest/gtest.h>

#include <string>

#include "exporter/probes/http_probe.h"
#include "tests/support/fake_http_server.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using core::Secret;
using smoke::testing::FakeHttpServer;
using smoke::testing::FakeRequest;
using namespace testutil;  // NOLINT: test builders

TEST(HttpProbeAuthTest, SendsBasicAuth) {
  FakeHttpServer server;
  server.Respond("/private", 200, "ok");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/private");
  spec.http.basic_auth = config::BasicAuth{"smoke", Secret::Resolved("s3cr3t!", "file:/run/pw")};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  const std::vector<FakeRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].headers.at("authorization"), "Basic c21va2U6czNjcjN0IQ==");  // smoke:s3cr3t!
}

TEST(HttpProbeAuthTest, SendsBearerToken) {
  FakeHttpServer server;
  server.Respond("/private", 200, "ok");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/private");
  spec.http.bearer_token = Secret::Resolved("eyJhbGciOi.token", "env:API_TOKEN");
  EXPECT_EQ(RunProbe(spec).outcome, Outcome::kOk);
  const std::vector<FakeRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].headers.at("authorization"), "Bearer eyJhbGciOi.token");
}

TEST(HttpProbeAuthTest, SendsSecretHeaderAndMasksItWhereverItIsEchoed) {
  FakeHttpServer server;
  server.Route("/echo", [](mg_connection* conn, const FakeRequest& req) {
    const std::string key = req.headers.count("x-api-key") ? req.headers.at("x-api-key") : "";
    FakeHttpServer::WriteResponse(conn, 403, "{\"error\":\"key " + key + " is revoked\"}",
                                  {{"X-Api-Key", key}, {"X-Debug", "saw " + key}});
  });
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/echo");
  spec.http.headers = {{"X-Api-Key", "", Secret::Resolved("k-123456789", "env:API_KEY")},
                       {"Accept", "application/json", std::nullopt}};
  spec.http.assertions = {StatusIn("status", 200, 299),
                          BodyMatches("no_error", "revoked", /*negate=*/true)};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kStatus);
  const std::vector<FakeRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].headers.at("x-api-key"), "k-123456789");
  EXPECT_EQ(seen[0].headers.at("accept"), "application/json");
  // The value went out, but nothing we keep shows it.
  EXPECT_EQ(r.evidence.body_snippet.find("k-123456789"), std::string::npos);
  EXPECT_NE(r.evidence.body_snippet.find("<redacted>"), std::string::npos);
  for (const auto& [name, value] : r.evidence.headers) {
    EXPECT_EQ(value.find("k-123456789"), std::string::npos) << name;
  }
  for (const core::AssertionResult& a : r.assertions) {
    EXPECT_EQ(a.actual.find("k-123456789"), std::string::npos) << a.name;
  }
  EXPECT_EQ(r.message.find("k-123456789"), std::string::npos);
}

TEST(HttpProbeAuthTest, SkipsWithReasonCredentialsMissingWithoutSendingAnything) {
  FakeHttpServer server;
  server.Respond("/private", 200, "ok");
  struct Case {
    const char* name;
    void (*configure)(config::HttpSpec&);
    const char* source;
  };
  const Case cases[] = {
      {"bearer",
       [](config::HttpSpec& h) {
         h.bearer_token = Secret::Unresolved("env:API_TOKEN", "environment variable not set");
       },
       "env:API_TOKEN"},
      {"basic",
       [](config::HttpSpec& h) {
         h.basic_auth = config::BasicAuth{"smoke", Secret::Unresolved("file:/run/pw", "missing")};
       },
       "file:/run/pw"},
      {"header",
       [](config::HttpSpec& h) {
         h.headers = {{"X-Api-Key", "", Secret::Unresolved("env:API_KEY", "not set")}};
       },
       "env:API_KEY"},
  };
  for (const Case& tc : cases) {
    config::ProbeSpec spec = HttpSpec(server.base_url() + "/private");
    tc.configure(spec.http);
    const core::ProbeResult r = RunProbe(spec);
    EXPECT_EQ(r.outcome, Outcome::kSkipped) << tc.name;
    EXPECT_EQ(r.reason, Reason::kCredentialsMissing) << tc.name;
    EXPECT_FALSE(r.passed()) << tc.name;
    EXPECT_NE(r.message.find(tc.source), std::string::npos) << tc.name << ": " << r.message;
  }
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpProbeAuthTest, Reports401AsAuthRequiredOrAuthFailed) {
  FakeHttpServer server;
  server.Respond("/private", 401, "unauthorized", {{"WWW-Authenticate", "Bearer"}});
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/private");
  const core::ProbeResult anonymous = RunProbe(spec);
  EXPECT_EQ(anonymous.outcome, Outcome::kFailed);
  EXPECT_EQ(anonymous.reason, Reason::kAuthRequired);

  spec.http.bearer_token = Secret::Resolved("expired-token", "env:API_TOKEN");
  const core::ProbeResult rejected = RunProbe(spec);
  EXPECT_EQ(rejected.outcome, Outcome::kFailed);
  EXPECT_EQ(rejected.reason, Reason::kAuthFailed);
  EXPECT_EQ(rejected.assertions[0].actual, "401 (credentials rejected)");
}

TEST(HttpProbeAuthTest, RejectsBasicAuthTogetherWithBearerToken) {
  config::ProbeSpec spec = HttpSpec("http://127.0.0.1:1/");
  spec.http.basic_auth = config::BasicAuth{"u", Secret::Resolved("p", "env:P")};
  spec.http.bearer_token = Secret::Resolved("t", "env:T");
  EXPECT_FALSE(HttpProbe::Create(spec).ok());
}

}  // namespace
}  // namespace smoke::probes
