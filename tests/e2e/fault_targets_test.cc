// The real exporter against targets that misbehave as networks and servers do: one that accepts
// and never answers (blackhole), one that resets mid-response, one that trickles its answer a
// byte at a time (slowloris), one that sends 10 MB, one that sends invalid UTF-8 and one invalid
// JSON. Each probe must fail with its own reason within its deadline, a healthy probe beside
// them must keep its schedule, /metrics must stay valid, and SIGTERM while probes hang must shut
// the exporter down at once and cleanly.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "tests/support/fake_http_server.h"
#include "tests/support/fake_tcp_server.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::string HttpProbe(const std::string& name, const std::string& target,
                      const std::string& assertions = "") {
  return "  - name: " + name + "\n    kind: http\n    target: " + target + "\n" +
         (assertions.empty() ? "" : "    http:\n      assertions: [" + assertions + "]\n");
}

class FaultTargetsTest : public ::testing::Test {
 protected:
  FaultTargetsTest()
      : blackhole_([](FakeTcpServer::Connection& c) { c.WaitForStop(); }),
        reset_([](FakeTcpServer::Connection& c) {
          c.ReadUntil("\r\n\r\n");
          c.Write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
          c.Reset();
        }),
        slowloris_([](FakeTcpServer::Connection& c) {
          c.ReadUntil("\r\n\r\n");
          const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
          for (char ch : answer) {
            c.Write(std::string_view(&ch, 1));
            c.ReadUntil("never", 100ms);  // 1 byte per 100 ms, or sooner if stopped
          }
        }) {}

  void SetUp() override {
    web_.Respond("/ok", 200, R"({"status":"healthy"})", {{"Content-Type", "application/json"}});
    web_.Respond("/huge", 200, std::string(10 << 20, 'x'));
    web_.Respond("/latin1", 200, "{\"status\":\"caf\xe9\"}",
                 {{"Content-Type", "application/json"}});
    web_.Respond("/notjson", 200, "{\"status\": healthy", {{"Content-Type", "application/json"}});
    auto tcp = [](const FakeTcpServer& s) {
      return "http://127.0.0.1:" + std::to_string(s.port());
    };
    const std::string json = "{json: '$.status == \"healthy\"'}";
    config_ = dir_.Write("smoke.yml",
                         "global: {interval: 2s, timeout: 1s, jitter: 0}\n"
                         "probes:\n" +
                             HttpProbe("healthy", web_.base_url() + "/ok", json) +
                             HttpProbe("blackhole", tcp(blackhole_) + "/") +
                             HttpProbe("reset", tcp(reset_) + "/") +
                             HttpProbe("slowloris", tcp(slowloris_) + "/") +
                             HttpProbe("huge", web_.base_url() + "/huge") +
                             HttpProbe("invalid_utf8", web_.base_url() + "/latin1", json) +
                             HttpProbe("invalid_json", web_.base_url() + "/notjson", json));
    exporter_ = std::make_unique<Subprocess>(
        std::vector<std::string>{SMOKE_EXPORTER_BINARY, "--config.file=" + config_,
                                 "--web.listen-address=127.0.0.1:0"},
        dir_.path().string());
    const std::regex listening("msg=listening .*port=(\\d+)");
    std::smatch m;
    std::string err;
    ASSERT_TRUE(WaitFor(
        [&] {
          err = exporter_->Stderr();
          return std::regex_search(err, m, listening);
        },
        20s))
        << exporter_->Stderr();
    base_ = "http://127.0.0.1:" + m[1].str();
  }

  std::map<std::string, nlohmann::json> Probes() {
    std::map<std::string, nlohmann::json> out;
    const HttpReply r = HttpGet(base_ + "/api/v1/probes");
    const nlohmann::json doc = nlohmann::json::parse(r.body, nullptr, false);
    if (r.status != 200 || doc.is_discarded()) return out;
    for (const nlohmann::json& p : doc["data"]) out[p["name"].get<std::string>()] = p;
    return out;
  }

  TempDir dir_;
  FakeHttpServer web_;
  FakeTcpServer blackhole_;
  FakeTcpServer reset_;
  FakeTcpServer slowloris_;
  std::string config_;
  std::unique_ptr<Subprocess> exporter_;
  std::string base_;
};

TEST_F(FaultTargetsTest, EachFaultFailsWithItsReasonAndNothingElseSuffers) {
  const std::map<std::string, std::string> expected = {
      {"healthy", "none"},      {"blackhole", "timeout"},   {"reset", "http_protocol"},
      {"slowloris", "timeout"}, {"huge", "body_too_large"}, {"invalid_utf8", "json"},
      {"invalid_json", "json"}};
  std::map<std::string, std::string> seen;
  ASSERT_TRUE(WaitFor(
      [&] {
        seen.clear();
        for (const auto& [name, p] : Probes()) {
          if (p.contains("last")) seen[name] = p["last"]["reason"].get<std::string>();
        }
        return seen == expected;
      },
      30s))
      << ::testing::PrintToString(seen) << exporter_->Stderr();
  for (const auto& [name, p] : Probes()) {
    // Every run ends within its 1 s deadline (plus scheduling slack), hanging targets included.
    EXPECT_LT(p["last"]["duration_seconds"].get<double>(), 1.5) << name;
  }
  // The healthy probe keeps its 2 s schedule while the others hang for their full timeout.
  const int before = Probes()["healthy"]["attempts"].get<int>();
  EXPECT_TRUE(
      WaitFor([&] { return Probes()["healthy"]["attempts"].get<int>() >= before + 2; }, 10s));
  const HttpReply metrics = HttpGet(base_ + "/metrics");
  EXPECT_EQ(metrics.status, 200);
  for (const auto& [name, reason] : expected) {
    EXPECT_THAT(metrics.body, HasSubstr("probe=\"" + name + "\"")) << name;
  }

  // SIGTERM while the blackhole probe hangs: the exporter stops promptly, with exit code 0.
  exporter_->Signal(SIGTERM);
  EXPECT_EQ(exporter_->Wait(5s), std::optional<int>(0)) << exporter_->Stderr();
  EXPECT_THAT(exporter_->Stderr(), HasSubstr("msg=stopped"));
}

}  // namespace
}  // namespace smoke::testing
