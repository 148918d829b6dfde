#include "exporter/probes/tcp_probe.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "tests/support/fake_tcp_server.h"
#include "tests/support/openssl_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tls_cert.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::FakeTcpServer;
using namespace testutil;  // NOLINT: test builders

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A Redis-like line protocol: answers "PING" with "+PONG".
void Pong(FakeTcpServer::Connection& c) {
  if (c.ReadUntil("\r\n").find("PING") != std::string::npos) c.Write("+PONG\r\n");
  c.WaitForStop();
}

TEST(TcpProbeTest, SucceedsWhenConnectOnly) {
  FakeTcpServer server([](FakeTcpServer::Connection& c) { c.WaitForStop(); });
  const core::ProbeResult r = RunProbe(TcpSpec(server.address()));
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_EQ(r.evidence.resolved_address, server.address());
  EXPECT_EQ(Measured(r, "probe_ip_protocol"), 4);
  EXPECT_EQ(Measured(r, "probe_failed_due_to_regex"), 0);
  ASSERT_TRUE(Measured(r, "probe_dns_lookup_time_seconds").has_value());
  EXPECT_FALSE(Measured(r, "probe_ssl_earliest_cert_expiry").has_value());
  for (const char* phase : {"resolve", "connect", "tls", "expect"}) {
    EXPECT_TRUE(PhaseSeconds(r, phase).has_value()) << phase;
  }
  EXPECT_GT(*PhaseSeconds(r, "connect"), 0);
}

TEST(TcpProbeTest, SucceedsWhenPeerAnswersAsExpected) {
  FakeTcpServer server(Pong);
  config::ProbeSpec spec = TcpSpec(server.address());
  spec.tcp.send = "PING\r\n";
  spec.tcp.expect = "^\\+PONG";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  const core::AssertionResult* expect = FindAssertion(r, "expect");
  ASSERT_NE(expect, nullptr);
  EXPECT_TRUE(expect->passed);
  EXPECT_EQ(r.evidence.body_snippet, "+PONG\r\n");
}

TEST(TcpProbeTest, FailsWithReasonExpectWhenPeerAnswersSomethingElse) {
  FakeTcpServer server([](FakeTcpServer::Connection& c) {
    c.ReadUntil("\r\n");
    c.Write("-NOAUTH Authentication required.\r\n");
  });
  config::ProbeSpec spec = TcpSpec(server.address());
  spec.tcp.send = "PING\r\n";
  spec.tcp.expect = "^\\+PONG";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kExpect);
  EXPECT_EQ(Measured(r, "probe_failed_due_to_regex"), 1);
  const core::AssertionResult* expect = FindAssertion(r, "expect");
  ASSERT_NE(expect, nullptr);
  EXPECT_EQ(expect->expected, R"(received data matches "^\+PONG")");
  EXPECT_EQ(expect->actual,
            R"("-NOAUTH Authentication required.\r\n" (the peer closed the connection))");
}

TEST(TcpProbeTest, FailsWithReasonExpectWhenPeerClosesWithoutData) {
  FakeTcpServer server([](FakeTcpServer::Connection&) {});
  config::ProbeSpec spec = TcpSpec(server.address());
  spec.tcp.expect = "^SSH-2\\.0";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kExpect);
  EXPECT_EQ(FindAssertion(r, "expect")->actual,
            "nothing received (the peer closed the connection)");
}

TEST(TcpProbeTest, FailsWithReasonTimeoutWhenPeerStaysSilent) {
  FakeTcpServer server([](FakeTcpServer::Connection& c) { c.WaitForStop(); });
  config::ProbeSpec spec = TcpSpec(server.address());
  spec.tcp.expect = "^SSH-2\\.0";
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r = RunProbe(spec, std::chrono::milliseconds(700));
  EXPECT_LT(SecondsSince(start), 1.7);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kTimeout);
  EXPECT_GT(*PhaseSeconds(r, "expect"), 0.5);
}

TEST(TcpProbeTest, FailsWithReasonExpectWhenPeerSendsTheWrongThingThenStalls) {
  FakeTcpServer server([](FakeTcpServer::Connection& c) {
    c.Write("220 smtp.example.com ESMTP\r\n");
    c.WaitForStop();
  });
  config::ProbeSpec spec = TcpSpec(server.address());
  spec.tcp.expect = "^SSH-2\\.0";
  const core::ProbeResult r = RunProbe(spec, std::chrono::milliseconds(500));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kExpect);
  EXPECT_NE(FindAssertion(r, "expect")->actual.find("220 smtp.example.com"), std::string::npos);
}

TEST(TcpProbeTest, FailsWithReasonConnectionRefusedWhenNothingListens) {
  const std::string target = "127.0.0.1:" + std::to_string(FakeTcpServer::UnusedPort());
  const core::ProbeResult r = RunProbe(TcpSpec(target));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kConnectionRefused);
  EXPECT_EQ(r.evidence.resolved_address, target);
}

TEST(TcpProbeTest, FailsWithReasonDnsWhenHostDoesNotResolve) {
  const core::ProbeResult r = RunProbe(TcpSpec("nonexistent.invalid:6379"));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kDns);
}

TEST(TcpProbeTest, RejectsTargetsWithoutPortAndBadRegexes) {
  EXPECT_FALSE(TcpProbe::Create(TcpSpec("localhost")).ok());
  EXPECT_FALSE(TcpProbe::Create(TcpSpec("localhost:http")).ok());
  EXPECT_FALSE(TcpProbe::Create(TcpSpec("::1:80")).ok());
  EXPECT_TRUE(TcpProbe::Create(TcpSpec("[::1]:80")).ok());
  config::ProbeSpec spec = TcpSpec("localhost:22");
  spec.tcp.expect = "(SSH";
  EXPECT_FALSE(TcpProbe::Create(spec).ok());
}

TEST(TcpProbeTest, SpeaksTlsWithTheCertificateAsCaFile) {
  smoke::testing::TempDir dir;
  const smoke::testing::TestCertificate cert = smoke::testing::MakeSelfSignedCertificate(dir, 20);
  dir.Write("www/health", "ok");
  smoke::testing::OpenSslServer server(cert, dir.path() / "www");

  config::ProbeSpec spec = TcpSpec(server.address());
  spec.tcp.tls = true;
  spec.tcp.send = "GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n";
  spec.tcp.expect = "^HTTP/1\\.[01] 200";
  const core::ProbeResult untrusted = RunProbe(spec);
  EXPECT_EQ(untrusted.outcome, Outcome::kFailed);
  EXPECT_EQ(untrusted.reason, Reason::kTls);

  spec.tcp.tls_config.ca_file = cert.cert_file;
  Assertion expiry;
  expiry.name = "cert_7d";
  expiry.kind = Assertion::Kind::kCertExpiry;
  expiry.min_validity = std::chrono::hours(24 * 7);
  spec.tcp.assertions = {expiry};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_GT(*PhaseSeconds(r, "tls"), 0);
  EXPECT_EQ(Measured(r, "probe_ssl_earliest_cert_expiry"),
            static_cast<double>(cert.not_after_unix));
  EXPECT_NE(r.evidence.body_snippet.find("HTTP/1.0 200"), std::string::npos);
}

}  // namespace
}  // namespace smoke::probes
