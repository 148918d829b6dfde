#include "exporter/probes/http_probe.h"

#include <civetweb.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "tests/support/fake_http_server.h"
#include "tests/support/fake_tcp_server.h"
#include "tests/support/gate.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::FakeHttpServer;
using smoke::testing::FakeRequest;
using smoke::testing::FakeTcpServer;
using smoke::testing::Gate;
using smoke::testing::GateOpener;
using namespace testutil;  // NOLINT: test builders

constexpr char kHealthy[] =
    R"({"status":"ok","dependencies":{"database":"healthy","cache":"healthy"},"version":"2.4.1"})";

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(HttpProbeTest, SucceedsWhenEveryAssertionPasses) {
  FakeHttpServer server;
  server.Respond("/health", 200, kHealthy,
                 {{"Content-Type", "application/json"}, {"X-Frame-Options", "DENY"}});
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/health");
  Assertion latency;
  latency.name = "fast";
  latency.kind = Assertion::Kind::kLatency;
  latency.max_latency = std::chrono::seconds(5);
  spec.http.assertions = {
      StatusIn("status", 200, 299),
      BodyMatches("says_ok", R"("status":"ok")"),
      Json("db_healthy", "$.dependencies.database", config::JsonOp::kEq, {JString("healthy")}),
      HeaderMatches("frame_options", "x-frame-options", "^(DENY|SAMEORIGIN)$"),
      latency,
  };

  const core::ProbeResult r = RunProbe(spec);

  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_TRUE(r.passed());
  ASSERT_EQ(r.assertions.size(), 5u);
  for (const core::AssertionResult& a : r.assertions) EXPECT_TRUE(a.passed) << a.name;
  EXPECT_EQ(Measured(r, "probe_http_status_code"), 200);
  EXPECT_EQ(Measured(r, "probe_http_content_length"), sizeof(kHealthy) - 1);
  EXPECT_EQ(Measured(r, "probe_http_uncompressed_body_length"), sizeof(kHealthy) - 1);
  EXPECT_EQ(Measured(r, "probe_http_redirects"), 0);
  EXPECT_EQ(Measured(r, "probe_http_ssl"), 0);
  EXPECT_EQ(Measured(r, "probe_http_version"), 1.1);
  EXPECT_EQ(Measured(r, "probe_ip_protocol"), 4);
  EXPECT_EQ(Measured(r, "probe_failed_due_to_regex"), 0);
  EXPECT_FALSE(Measured(r, "probe_ssl_earliest_cert_expiry").has_value());
  ASSERT_TRUE(Measured(r, "probe_dns_lookup_time_seconds").has_value());
  for (const char* phase : {"resolve", "connect", "tls", "processing", "transfer"}) {
    ASSERT_TRUE(PhaseSeconds(r, phase).has_value()) << phase;
    EXPECT_GE(*PhaseSeconds(r, phase), 0) << phase;
    EXPECT_EQ(Measured(r, "probe_http_duration_seconds", {{"phase", phase}}), *PhaseSeconds(r, phase));
  }
  EXPECT_GT(*PhaseSeconds(r, "connect"), 0);
  EXPECT_EQ(*PhaseSeconds(r, "tls"), 0);
  EXPECT_GT(r.duration_seconds, 0);
  EXPECT_EQ(r.evidence.resolved_address, "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(r.evidence.status_code, 200);
  EXPECT_EQ(r.evidence.body_snippet, kHealthy);
  EXPECT_EQ(Detail(r, "http_version"), "1.1");
  const auto& headers = r.evidence.headers;
  EXPECT_NE(std::find(headers.begin(), headers.end(),
                      std::pair<std::string, std::string>{"X-Frame-Options", "DENY"}),
            headers.end());
}

TEST(HttpProbeTest, AppliesTheDefaultStatusAssertionWhenNoneIsConfigured) {
  FakeHttpServer server;
  server.Respond("/health", 503, R"({"status":"down"})");
  const core::ProbeResult r = RunProbe(HttpSpec(server.base_url() + "/health"));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kStatus);
  ASSERT_EQ(r.assertions.size(), 1u);
  EXPECT_EQ(r.assertions[0].name, "status");
  EXPECT_EQ(r.assertions[0].expected, "status in 200-299");
  EXPECT_EQ(r.assertions[0].actual, "503");
  EXPECT_EQ(Measured(r, "probe_http_status_code"), 503);
}

TEST(HttpProbeTest, FailsWithReasonStatusWhenServerAnswers500) {
  FakeHttpServer server;
  server.Respond("/api", 500, "internal error");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/api");
  spec.http.assertions = {StatusIn("status_ok", 200, 299)};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kStatus);
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.message, "assertion status_ok failed: expected status in 200-299, got 500");
  EXPECT_EQ(r.evidence.status_code, 500);
  EXPECT_EQ(r.evidence.body_snippet, "internal error");
}

TEST(HttpProbeTest, DegradesWithReasonHeaderWhenOnlyWarnAssertionsFail) {
  FakeHttpServer server;
  server.Respond("/", 200, "<html></html>", {{"Content-Type", "text/html"}});
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/");
  spec.http.assertions = {
      StatusIn("status", 200, 299),
      HeaderPresent("hsts", "Strict-Transport-Security", core::Severity::kWarn),
  };
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kDegraded);
  EXPECT_EQ(r.reason, Reason::kHeader);
  EXPECT_TRUE(r.passed());
  const core::AssertionResult* hsts = FindAssertion(r, "hsts");
  ASSERT_NE(hsts, nullptr);
  EXPECT_EQ(hsts->expected, "header Strict-Transport-Security present");
  EXPECT_EQ(hsts->actual, "absent");
}

TEST(HttpProbeTest, FailsWithReasonTimeoutWhenServerHangs) {
  FakeHttpServer server;
  auto gate = std::make_shared<Gate>();
  server.Route("/hang", [gate](mg_connection*, const FakeRequest&) { gate->Wait(); });
  GateOpener release(gate);
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r =
      RunProbe(HttpSpec(server.base_url() + "/hang"), std::chrono::milliseconds(1000));
  const double elapsed = SecondsSince(start);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kTimeout);
  EXPECT_LT(elapsed, 2.0);
  EXPECT_GE(elapsed, 0.9);
  EXPECT_NE(r.message.find("timed out"), std::string::npos) << r.message;
  // The time went into waiting for the response, and the result says so.
  EXPECT_GT(*PhaseSeconds(r, "processing"), 0.8);
  EXPECT_EQ(Measured(r, "probe_http_status_code"), 0);
}

TEST(HttpProbeTest, FailsWithReasonTimeoutWhenServerHangsAfterHeaders) {
  FakeHttpServer server;
  auto gate = std::make_shared<Gate>();
  server.Route("/stall", [gate](mg_connection* conn, const FakeRequest&) {
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\npartial";
    mg_write(conn, head.data(), head.size());
    gate->Wait();
  });
  GateOpener release(gate);
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r =
      RunProbe(HttpSpec(server.base_url() + "/stall"), std::chrono::milliseconds(1000));
  EXPECT_LT(SecondsSince(start), 2.0);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kTimeout);
  // What did arrive is kept as evidence.
  EXPECT_EQ(r.evidence.status_code, 200);
  EXPECT_EQ(r.evidence.body_snippet, "partial");
  EXPECT_GT(*PhaseSeconds(r, "transfer"), 0.8);
}

TEST(HttpProbeTest, FailsWithReasonConnectionRefusedWhenNothingListens) {
  const int port = FakeTcpServer::UnusedPort();
  const core::ProbeResult r = RunProbe(HttpSpec("http://127.0.0.1:" + std::to_string(port) + "/"));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kConnectionRefused);
  EXPECT_EQ(r.evidence.resolved_address, "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(Measured(r, "probe_http_status_code"), 0);
  EXPECT_EQ(Measured(r, "probe_ip_protocol"), 4);
  EXPECT_FALSE(r.message.empty());
}

TEST(HttpProbeTest, FailsWithReasonDnsWhenHostDoesNotResolve) {
  const core::ProbeResult r = RunProbe(HttpSpec("http://nonexistent.invalid/health"));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kDns);
  EXPECT_NE(r.message.find("nonexistent.invalid"), std::string::npos) << r.message;
  EXPECT_EQ(Measured(r, "probe_ip_protocol"), 0);
  EXPECT_TRUE(r.evidence.resolved_address.empty());
}

TEST(HttpProbeTest, FailsWithReasonBodyTooLargeWhenBodyExceedsLimit) {
  FakeHttpServer server;
  server.Respond("/big", 200, std::string(10 * 1024 * 1024, 'x'));
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/big");
  spec.http.body_size_limit = 1024 * 1024;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kBodyTooLarge);
  EXPECT_NE(r.message.find("1048576"), std::string::npos) << r.message;
  EXPECT_EQ(Detail(r, "body_truncated"), "true");
  EXPECT_EQ(Measured(r, "probe_http_uncompressed_body_length"), 1024 * 1024);
}

TEST(HttpProbeTest, ReadsLargeBodyUnderTheLimitAndCapsTheSnippet) {
  FakeHttpServer server;
  const std::string body = std::string(10 * 1024 * 1024 - 3, 'x') + "END";
  server.Respond("/big", 200, body);
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/big");
  spec.http.body_size_limit = 64 * 1024 * 1024;
  spec.http.assertions = {StatusIn("status", 200, 200), BodyMatches("tail", "END$")};
  const core::ProbeResult r = RunProbe(spec, std::chrono::seconds(10));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_EQ(Measured(r, "probe_http_uncompressed_body_length"), body.size());
  EXPECT_EQ(r.evidence.body_snippet, std::string(2048, 'x'));
}

TEST(HttpProbeTest, FailsWithReasonJsonWhenBodyIsNotJson) {
  FakeHttpServer server;
  server.Respond("/health", 200, "<html>Bad gateway</html>");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/health");
  spec.http.assertions = {
      Json("db", "$.dependencies.database", config::JsonOp::kEq, {JString("healthy")})};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kJson);
  ASSERT_EQ(r.assertions.size(), 1u);
  EXPECT_NE(r.assertions[0].actual.find("body is not valid JSON: "), std::string::npos)
      << r.assertions[0].actual;
}

TEST(HttpProbeTest, FailsWithReasonJsonShowingTheValueFound) {
  FakeHttpServer server;
  server.Respond("/health", 200, R"({"dependencies":{"database":"degraded"}})");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/health");
  spec.http.assertions = {
      Json("db", "$.dependencies.database", config::JsonOp::kEq, {JString("healthy")}),
      Json("cache", "$.dependencies.cache", config::JsonOp::kEq, {JString("healthy")})};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kJson);
  EXPECT_EQ(r.assertions[0].expected, R"($.dependencies.database == "healthy")");
  EXPECT_EQ(r.assertions[0].actual, R"("degraded")");
  EXPECT_EQ(r.assertions[1].actual, "path not found");
}

TEST(HttpProbeTest, ChecksHeadersPresentAbsentAndMatching) {
  FakeHttpServer server;
  server.Respond("/", 200, "ok",
                 {{"X-Frame-Options", "ALLOWALL"},
                  {"Server", "nginx/1.18.0"},
                  {"Set-Cookie", "session=abc123"}});
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/");
  spec.http.assertions = {
      HeaderPresent("csp", "Content-Security-Policy"),
      HeaderMatches("frame", "x-frame-options", "^(DENY|SAMEORIGIN)$"),
      HeaderAbsent("no_server_banner", "Server"),
      HeaderPresent("cookie", "set-cookie"),
  };
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kHeader);
  ASSERT_EQ(r.assertions.size(), 4u);
  EXPECT_FALSE(r.assertions[0].passed);
  EXPECT_EQ(r.assertions[0].actual, "absent");
  EXPECT_FALSE(r.assertions[1].passed);
  EXPECT_EQ(r.assertions[1].expected, R"(header x-frame-options matches "^(DENY|SAMEORIGIN)$")");
  EXPECT_EQ(r.assertions[1].actual, R"("ALLOWALL")");
  EXPECT_FALSE(r.assertions[2].passed);
  EXPECT_EQ(r.assertions[2].actual, R"(present: "nginx/1.18.0")");
  EXPECT_TRUE(r.assertions[3].passed);
  EXPECT_EQ(r.assertions[3].actual, "<redacted>");  // a cookie never reaches the evidence
  for (const auto& [name, value] : r.evidence.headers) {
    if (name == "Set-Cookie") {
      EXPECT_EQ(value, "<redacted>");
    }
  }
}

TEST(HttpProbeTest, FollowsRedirectsAndCountsThem) {
  FakeHttpServer server;
  server.Respond("/old", 302, "", {{"Location", "/new?token=t0k"}});
  server.Respond("/new", 200, "moved here");
  const core::ProbeResult r = RunProbe(HttpSpec(server.base_url() + "/old"));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_EQ(Measured(r, "probe_http_redirects"), 1);
  EXPECT_EQ(Measured(r, "probe_http_status_code"), 200);
  EXPECT_EQ(r.evidence.body_snippet, "moved here");
  EXPECT_EQ(Detail(r, "final_url"), server.base_url() + "/new");  // query dropped
}

TEST(HttpProbeTest, ReportsTheRedirectItselfWhenNotFollowing) {
  FakeHttpServer server;
  server.Respond("/old", 302, "", {{"Location", "/new"}});
  server.Respond("/new", 200, "moved here");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/old");
  spec.http.follow_redirects = false;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kStatus);
  EXPECT_EQ(r.assertions[0].actual, "302");
  EXPECT_EQ(Measured(r, "probe_http_redirects"), 0);
  EXPECT_EQ(server.requests().size(), 1u);

  spec.http.assertions = {StatusIn("redirects", 301, 308)};
  const core::ProbeResult ok = RunProbe(spec);
  EXPECT_EQ(ok.outcome, Outcome::kOk) << ok.message;
}

TEST(HttpProbeTest, SendsPostBodyAndCustomMethods) {
  FakeHttpServer server;
  server.Respond("/items", 201, R"({"id":7})");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/items");
  spec.http.method = "POST";
  spec.http.body = R"({"name":"smoke"})";
  spec.http.headers = {{"Content-Type", "application/json", std::nullopt}};
  spec.http.assertions = {StatusIn("created", 201, 201)};
  EXPECT_EQ(RunProbe(spec).outcome, Outcome::kOk);

  spec.http.method = "PUT";
  spec.http.assertions = {StatusIn("any", 200, 299)};
  EXPECT_EQ(RunProbe(spec).outcome, Outcome::kOk);

  spec.http.method = "DELETE";
  spec.http.body.clear();
  EXPECT_EQ(RunProbe(spec).outcome, Outcome::kOk);

  const std::vector<FakeRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].body, R"({"name":"smoke"})");
  EXPECT_EQ(seen[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(seen[0].headers.count("expect"), 0u);
  EXPECT_EQ(seen[1].method, "PUT");
  EXPECT_EQ(seen[1].body, R"({"name":"smoke"})");
  EXPECT_EQ(seen[2].method, "DELETE");
  EXPECT_EQ(seen[2].body, "");
}

// Faults CivetWeb will not produce: a raw server that breaks the protocol.
TEST(HttpProbeTest, FailsWithReasonHttpProtocolOnBrokenReplies) {
  struct Case {
    const char* name;
    FakeTcpServer::Handler handler;
  };
  const Case cases[] = {
      {"garbage",
       [](FakeTcpServer::Connection& c) {
         c.ReadUntil("\r\n\r\n");
         c.Write("SSH-2.0-OpenSSH_9.2\r\nthis is not http\r\n\r\n");
       }},
      {"empty reply", [](FakeTcpServer::Connection& c) { c.ReadUntil("\r\n\r\n"); }},
      {"reset",
       [](FakeTcpServer::Connection& c) {
         c.ReadUntil("\r\n\r\n");
         c.Reset();
       }},
      {"short body",
       [](FakeTcpServer::Connection& c) {
         c.ReadUntil("\r\n\r\n");
         c.Write("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nonly part");
       }},
  };
  for (const Case& tc : cases) {
    FakeTcpServer server(tc.handler);
    const core::ProbeResult r = RunProbe(HttpSpec("http://" + server.address() + "/"));
    EXPECT_EQ(r.outcome, Outcome::kFailed) << tc.name;
    EXPECT_EQ(r.reason, Reason::kHttpProtocol) << tc.name << ": " << r.message;
    EXPECT_FALSE(r.message.empty()) << tc.name;
  }
}

TEST(HttpProbeTest, SucceedsAgainstASlowButTimelyServer) {
  FakeTcpServer server([](FakeTcpServer::Connection& c) {
    c.ReadUntil("\r\n\r\n");
    c.Write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n");
    for (char ch : std::string("slow")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      c.Write(std::string(1, ch));
    }
  });
  const core::ProbeResult r = RunProbe(HttpSpec("http://" + server.address() + "/"));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.evidence.body_snippet, "slow");
  EXPECT_GT(*PhaseSeconds(r, "transfer"), 0.1);
}

// tls.server_name reroutes the connection (CONNECT_TO) so that the name is verified, but the
// request must still carry the URL's own Host.
TEST(HttpProbeTest, KeepsTheUrlHostWhenServerNameIsSet) {
  FakeHttpServer server;
  server.Respond("/health", 200, "ok");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/health");
  spec.http.tls.server_name = "localhost";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.evidence.resolved_address, "127.0.0.1:" + std::to_string(server.port()));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].headers.at("host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(HttpProbeTest, RejectsInvalidSpecsAtCreation) {
  config::ProbeSpec bad_regex = HttpSpec("http://127.0.0.1:1/");
  bad_regex.http.assertions = {BodyMatches("broken", "(unclosed")};
  core::Result<ProbePtr> r1 = HttpProbe::Create(bad_regex);
  ASSERT_FALSE(r1.ok());
  EXPECT_NE(r1.status().message().find("broken"), std::string::npos);

  EXPECT_FALSE(HttpProbe::Create(HttpSpec("ftp://example.com/")).ok());
  EXPECT_FALSE(HttpProbe::Create(HttpSpec("not a url")).ok());
  config::ProbeSpec bad_tls = HttpSpec("https://127.0.0.1:1/");
  bad_tls.http.tls.min_version = "SSL3";
  EXPECT_FALSE(HttpProbe::Create(bad_tls).ok());
}

}  // namespace
}  // namespace smoke::probes
