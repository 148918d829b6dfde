// Behaviour every probe kind shares: the factory, deadlines, IP-family fallback, concurrent runs.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/probes/probe.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/fake_tcp_server.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::FakeHttpServer;
using smoke::testing::FakeTcpServer;
using namespace testutil;  // NOLINT: test builders

TEST(ProbeFactoryTest, BuildsHttpAndTcpProbesAndRejectsUnknownKinds) {
  EXPECT_TRUE(MakeProbe(HttpSpec("http://127.0.0.1:1/")).ok());
  EXPECT_TRUE(MakeProbe(TcpSpec("127.0.0.1:1")).ok());
  config::ProbeSpec spec = HttpSpec("http://127.0.0.1:1/");
  spec.kind = "gopher";
  core::Result<ProbePtr> r = MakeProbe(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("gopher"), std::string::npos);
}

TEST(ProbeRunTest, FailsWithReasonTimeoutWithoutConnectingWhenTheDeadlineHasPassed) {
  FakeTcpServer server([](FakeTcpServer::Connection&) {});
  RunContext ctx;
  ctx.deadline = ctx.clock->Now() - std::chrono::seconds(1);
  for (const config::ProbeSpec& spec :
       {HttpSpec("http://" + server.address() + "/"), TcpSpec(server.address())}) {
    const core::ProbeResult r = MustCreate(spec)->Run(ctx);
    EXPECT_EQ(r.outcome, Outcome::kFailed) << spec.kind;
    EXPECT_EQ(r.reason, Reason::kTimeout) << spec.kind;
  }
  EXPECT_EQ(server.accepted(), 0);
}

TEST(ProbeRunTest, MeasuresTheDeadlineOnTheContextClock) {
  FakeHttpServer server;
  server.Respond("/", 200, "ok");
  core::ManualClock clock(core::TimePoint(std::chrono::seconds(1'000)));
  RunContext ctx;
  ctx.clock = &clock;
  ctx.deadline = clock.Now() + std::chrono::seconds(5);  // far in the past for the real clock
  const core::ProbeResult r = MustCreate(HttpSpec(server.base_url() + "/"))->Run(ctx);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.started, clock.Now());
}

TEST(ProbeRunTest, FallsBackToAnyIpFamilyOnlyWhenAllowed) {
  FakeHttpServer server;  // IPv4 only
  server.Respond("/", 200, "ok");
  config::ProbeSpec spec = HttpSpec(server.base_url() + "/");
  spec.http.ip_protocol = config::IpProtocol::kIp6;
  const core::ProbeResult fallback = RunProbe(spec);
  EXPECT_EQ(fallback.outcome, Outcome::kOk) << fallback.message;
  EXPECT_EQ(Measured(fallback, "probe_ip_protocol"), 4);

  spec.http.ip_protocol_fallback = false;
  const core::ProbeResult strict = RunProbe(spec);
  EXPECT_EQ(strict.outcome, Outcome::kFailed);
  EXPECT_EQ(strict.reason, Reason::kDns);
  EXPECT_NE(strict.message.find("IPv6"), std::string::npos) << strict.message;
}

TEST(ProbeRunTest, RunsConcurrentlyOnOneProbe) {
  FakeHttpServer server;
  server.Respond("/", 200, "ok");
  ProbePtr probe = MustCreate(HttpSpec(server.base_url() + "/"));
  ASSERT_NE(probe, nullptr);
  std::vector<core::ProbeResult> results(6);
  std::vector<std::thread> threads;
  for (core::ProbeResult& slot : results) {
    threads.emplace_back(
        [&probe, &slot] { slot = probe->Run(WithTimeout(std::chrono::seconds(5))); });
  }
  for (std::thread& t : threads) t.join();
  for (const core::ProbeResult& r : results) {
    EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
    EXPECT_EQ(r.reason, Reason::kNone);
  }
  EXPECT_EQ(server.requests().size(), results.size());
}

}  // namespace
}  // namespace smoke::probes
