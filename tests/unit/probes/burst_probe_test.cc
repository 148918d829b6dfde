// The burst probe against a local server with a known delay: the percentiles fall in the range
// the delay implies, the caps on requests, duration and concurrency hold, and the baseline ratios
// (seed 000's p50 5.31 ms ... 27.3 QPS) decide the outcome.

#include "exporter/probes/burst_probe.h"

#include <civetweb.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/fake_http_server.h"
#include "tests/unit/probes/contract_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using smoke::testing::FakeHttpServer;
using smoke::testing::FakeRequest;
using namespace testutil;  // NOLINT: test builders

constexpr double kDelay = 0.030;  // what the server spends on every request
// Scheduling on a busy CI host can add to a latency, never take away: upper bounds get room.
constexpr double kSlack = 0.5;

// A server whose every answer takes kDelay, and that counts how many requests it handles at once.
struct DelayServer {
  DelayServer() : server(FakeHttpServer::Options{.threads = 24}) {
    server.Route("/api", [this](mg_connection* conn, const FakeRequest&) {
      const int now = ++in_flight;
      int seen = max_in_flight.load();
      while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
      }
      const int n = ++served;
      // The known delay of the system under test (not a test waiting for time to pass).
      std::this_thread::sleep_for(std::chrono::duration<double>(kDelay));
      --in_flight;
      const bool fail = fail_every > 0 && n % fail_every == 0;
      FakeHttpServer::WriteResponse(conn, fail ? 503 : 200, fail ? "busy" : "[]");
    });
  }
  std::string url() const { return server.base_url() + "/api"; }

  FakeHttpServer server;
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  std::atomic<int> served{0};
  int fail_every = 0;  // every n-th request answers 503
};

// A burst probe "load" on `url` with `burst_flow` as its burst block.
config::ProbeSpec BurstSpecFor(const std::string& url, const std::string& burst_flow) {
  return LoadOnlyProbe(
      "probes:\n  - name: load\n    kind: burst\n    interval: 5m\n"
      "    timeout: 30s\n    target: \"" +
      url + "\"\n    burst: " + burst_flow + "\n");
}

core::ProbeResult RunBurst(const std::string& url, const std::string& burst_flow) {
  return RunProbe(BurstSpecFor(url, burst_flow), std::chrono::seconds(30));
}

double Gauge(const core::ProbeResult& r, std::string_view name,
             const std::vector<std::pair<std::string, std::string>>& labels = {}) {
  std::optional<double> v = Measured(r, name, labels);
  EXPECT_TRUE(v.has_value()) << name;
  return v.value_or(-1);
}

TEST(BurstProbeTest, PercentilesFollowTheServersDelayAndTheRequestCapHolds) {
  DelayServer s;
  const core::ProbeResult r =
      RunBurst(s.url(), "{concurrency: 4, requests: 40, duration: 20s, request_timeout: 5s}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(s.served.load(), 40);
  EXPECT_EQ(Gauge(r, kBurstRequests), 40);
  EXPECT_EQ(Gauge(r, kBurstErrors), 0);
  EXPECT_EQ(Gauge(r, kBurstErrorRatio), 0);
  EXPECT_EQ(Gauge(r, kBurstConcurrency), 4);
  EXPECT_EQ(Detail(r, "stopped_by"), "requests");
  const double p50 = Gauge(r, kBurstLatency, {{"quantile", "0.5"}});
  const double p95 = Gauge(r, kBurstLatency, {{"quantile", "0.95"}});
  const double p99 = Gauge(r, kBurstLatency, {{"quantile", "0.99"}});
  const double mean = Gauge(r, kBurstLatencyMean);
  const double max = Gauge(r, kBurstLatencyMax);
  EXPECT_GE(p50, kDelay);
  EXPECT_LT(p50, kDelay + kSlack);
  EXPECT_LE(p50, p95);
  EXPECT_LE(p95, p99);
  EXPECT_LE(p99, max);
  EXPECT_GE(mean, kDelay);
  EXPECT_LE(mean, max);
  // 4 clients of a server that needs kDelay per request cannot exceed 4 / kDelay.
  const double throughput = Gauge(r, kBurstThroughput);
  EXPECT_GT(throughput, 0);
  EXPECT_LE(throughput, 4 / kDelay);
  // ... and 40 requests by 4 clients take at least 10 rounds of kDelay.
  EXPECT_GE(Gauge(r, kBurstDuration), 10 * kDelay);
  EXPECT_LE(s.max_in_flight.load(), 4);
  EXPECT_NE(r.message.find("40 requests from 4 clients"), std::string::npos) << r.message;
}

TEST(BurstProbeTest, TheDurationCapStopsTheBurst) {
  DelayServer s;
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r =
      RunBurst(s.url(), "{concurrency: 2, requests: 10000, duration: 300ms, request_timeout: 2s}");
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(Detail(r, "stopped_by"), "duration");
  // No new request after 300 ms; the ones in flight finish.
  EXPECT_GE(took, 0.3);
  EXPECT_LT(took, 0.3 + kDelay + kSlack);
  // 2 clients, each at most one request per kDelay, for 300 ms (plus the one in flight).
  EXPECT_LE(s.served.load(), 2 * (static_cast<int>(0.3 / kDelay) + 1));
  EXPECT_EQ(Gauge(r, kBurstRequests), s.served.load());
  EXPECT_LE(s.max_in_flight.load(), 2);
}

TEST(BurstProbeTest, ConcurrencyIsTheNumberOfClients) {
  DelayServer s;
  const core::ProbeResult r =
      RunBurst(s.url(), "{concurrency: 8, requests: 64, request_timeout: 5s}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_LE(s.max_in_flight.load(), 8);
  EXPECT_GE(s.max_in_flight.load(), 2);  // they really run at once
  EXPECT_EQ(s.served.load(), 64);
}

// Seed 000's baseline; the local server is slower than it by construction (30 ms per request).
constexpr char kSeedBaseline[] =
    "baseline: {p50: 5.31ms, p95: 18.93ms, p99: 32.14ms, mean: 8.42ms, throughput: 27.3, "
    "success_rate: 1}";

TEST(BurstProbeTest, ExportsTheRatioOfEachStatisticToItsBaseline) {
  DelayServer s;
  const core::ProbeResult r =
      RunBurst(s.url(), std::string("{concurrency: 2, requests: 20, request_timeout: 5s, ") +
                            kSeedBaseline + "}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);  // no bound configured: ratios only
  const double p50 = Gauge(r, kBurstLatency, {{"quantile", "0.5"}});
  EXPECT_DOUBLE_EQ(Gauge(r, kBurstBaselineRatio, {{"stat", "p50"}}), p50 / 0.00531);
  EXPECT_GE(Gauge(r, kBurstBaselineRatio, {{"stat", "p50"}}), kDelay / 0.00531);
  EXPECT_DOUBLE_EQ(Gauge(r, kBurstBaselineRatio, {{"stat", "p99"}}),
                   Gauge(r, kBurstLatency, {{"quantile", "0.99"}}) / 0.03214);
  EXPECT_DOUBLE_EQ(Gauge(r, kBurstBaselineRatio, {{"stat", "mean"}}),
                   Gauge(r, kBurstLatencyMean) / 0.00842);
  EXPECT_DOUBLE_EQ(Gauge(r, kBurstBaselineRatio, {{"stat", "throughput"}}),
                   Gauge(r, kBurstThroughput) / 27.3);
  EXPECT_DOUBLE_EQ(Gauge(r, kBurstBaselineRatio, {{"stat", "success_rate"}}), 1.0);
}

TEST(BurstProbeTest, ALatencyRatioOverItsBoundFailsWithReasonLatency) {
  DelayServer s;
  const core::ProbeResult r =
      RunBurst(s.url(), std::string("{concurrency: 2, requests: 20, request_timeout: 5s, ") +
                            kSeedBaseline + ", max_ratio: {p95: 1.25}}");
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kLatency);
  const core::AssertionResult* p95 = FindAssertion(r, "p95_ratio");
  ASSERT_NE(p95, nullptr);
  EXPECT_EQ(p95->expected, "p95 <= 1.25 \xC3\x97 baseline 18.93ms = 23.66ms");
  EXPECT_NE(p95->actual.find(" \xC3\x97 baseline)"), std::string::npos) << p95->actual;
  EXPECT_EQ(r.message.rfind("assertion p95_ratio failed: expected p95 <= 1.25", 0), 0u)
      << r.message;
}

TEST(BurstProbeTest, WithSeverityWarnABoundOnlyDegrades) {
  DelayServer s;
  const core::ProbeResult r =
      RunBurst(s.url(), std::string("{concurrency: 2, requests: 10, request_timeout: 5s, ") +
                            kSeedBaseline + ", max_ratio: {p50: 2}, severity: warn}");
  EXPECT_EQ(r.outcome, Outcome::kDegraded) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kLatency);
}

TEST(BurstProbeTest, BoundsWithinTheBaselinePass) {
  DelayServer s;
  const core::ProbeResult r = RunBurst(
      s.url(),
      "{concurrency: 2, requests: 10, request_timeout: 5s, baseline: {p50: 10s, throughput: 1}, "
      "max_ratio: {p50: 1}, min_ratio: {throughput: 0.5}}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_TRUE(FindAssertion(r, "p50_ratio")->passed);
  EXPECT_TRUE(FindAssertion(r, "throughput_ratio")->passed);
}

TEST(BurstProbeTest, ThroughputBelowItsBoundFailsWithReasonThroughput) {
  DelayServer s;
  // 2 clients at 30 ms each cannot reach 10000 req/s.
  const core::ProbeResult r =
      RunBurst(s.url(),
               "{concurrency: 2, requests: 10, request_timeout: 5s, baseline: {throughput: 10000}, "
               "min_ratio: {throughput: 0.5}}");
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kThroughput);
  EXPECT_FALSE(FindAssertion(r, "throughput_ratio")->passed);
}

TEST(BurstProbeTest, ErrorsAboveMaxErrorRateFailAndAreCountedByStatus) {
  DelayServer s;
  s.fail_every = 4;  // 25% answer 503
  const core::ProbeResult r =
      RunBurst(s.url(), "{concurrency: 2, requests: 20, request_timeout: 5s}");
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kErrorRate);
  EXPECT_EQ(Gauge(r, kBurstErrors), 5);
  EXPECT_DOUBLE_EQ(Gauge(r, kBurstErrorRatio), 0.25);
  EXPECT_EQ(Detail(r, "status_counts"),
            "200 \xC3\x97"
            "15, 503 \xC3\x97"
            "5");
  EXPECT_EQ(r.message,
            "assertion error_rate failed: expected error rate <= 1.00%, got 25.00% (5 of 20 "
            "failed: 503 \xC3\x97"
            "5)");
  // Throughput counts successes only.
  EXPECT_LE(Gauge(r, kBurstThroughput) * Gauge(r, kBurstDuration), 15.0 + 1e-9);
}

TEST(BurstProbeTest, ExpectStatusDecidesWhatCountsAsSuccess) {
  DelayServer s;
  s.fail_every = 2;
  const core::ProbeResult r = RunBurst(
      s.url(), "{concurrency: 1, requests: 4, request_timeout: 5s, expect_status: [200, 503]}");
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(Gauge(r, kBurstErrors), 0);
}

TEST(BurstProbeTest, AnUnreachableTargetFailsWithTheTransportReason) {
  int port;
  {
    FakeHttpServer gone;
    port = gone.port();
  }
  const core::ProbeResult r = RunBurst("http://127.0.0.1:" + std::to_string(port) + "/api",
                                       "{concurrency: 2, requests: 6, request_timeout: 2s}");
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kConnectionRefused) << Describe(r);
  EXPECT_EQ(r.message.rfind("all 6 requests failed (connection_refused \xC3\x97"
                            "6); first: ",
                            0),
            0u)
      << r.message;
  EXPECT_EQ(Gauge(r, kBurstRequests), 6);
  EXPECT_EQ(Gauge(r, kBurstErrorRatio), 1);
  EXPECT_FALSE(Measured(r, kBurstLatency, {{"quantile", "0.5"}}).has_value());
}

TEST(BurstProbeTest, ASlowServerHitsTheRequestTimeout) {
  DelayServer s;
  const core::ProbeResult r =
      RunBurst(s.url(), "{concurrency: 1, requests: 2, request_timeout: 10ms}");
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kTimeout);
  EXPECT_EQ(Detail(r, "transport_errors"),
            "timeout \xC3\x97"
            "2");
}

TEST(BurstProbeTest, AnUnreadableSecretSkipsTheBurst) {
  DelayServer s;
  const config::ProbeSpec spec = LoadOnlyProbe(
      "probes:\n  - name: load\n    kind: burst\n    interval: 5m\n    timeout: 30s\n"
      "    target: \"" +
      s.url() + "\"\n    http: {bearer_token_env: LOAD_TOKEN}\n");
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kSkipped);
  EXPECT_EQ(r.reason, Reason::kCredentialsMissing);
  EXPECT_EQ(s.served.load(), 0);
}

TEST(BurstProbeTest, SendsTheConfiguredRequest) {
  DelayServer s;
  const config::ProbeSpec spec = LoadOnlyProbe(
      "probes:\n  - name: load\n    kind: burst\n    interval: 5m\n    timeout: 30s\n"
      "    target: \"" +
          s.url() +
          "\"\n"
          "    http: {method: POST, body: '{\"q\":1}', headers: {X-Load-Test: smoke}, "
          "bearer_token_env: LOAD_TOKEN}\n"
          "    burst: {concurrency: 1, requests: 2, request_timeout: 5s}\n",
      {{"LOAD_TOKEN", "tok-9"}});
  const core::ProbeResult r = RunProbe(spec, std::chrono::seconds(30));
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  const std::vector<FakeRequest> requests = s.server.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const FakeRequest& req : requests) {
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.body, "{\"q\":1}");
    EXPECT_EQ(req.headers.at("x-load-test"), "smoke");
    EXPECT_EQ(req.headers.at("authorization"), "Bearer tok-9");
  }
}

}  // namespace
}  // namespace smoke::probes
