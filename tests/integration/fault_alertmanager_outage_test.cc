// Alertmanager down for minutes while alerts fire and resolve: the embedded engine runs
// in-process under a ManualClock (ten minutes of evaluations take milliseconds) against an
// in-process Alertmanager stand-in that answers 503 until it is "back". What on-call would
// notice if this broke: an alert that fired, or resolved, during the outage never reaching
// Alertmanager. Within the queue's capacity every alert arrives afterwards in its latest state;
// beyond it the oldest are dropped and smoke_notifications_dropped_total says how many.

#include <civetweb.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "exporter/config/loader.h"
#include "exporter/server/engine.h"
#include "exporter/server/query_params.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr int kProbes = 20;
constexpr char kRules[] = R"(groups:
  - name: outage
    rules:
      - alert: ProbeFailed
        expr: probe_success == 0
)";

class FaultAlertmanagerOutageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    am_.Route("/api/v2/alerts", [this](mg_connection* conn, const FakeRequest& req) {
      if (!up_.load()) {
        FakeHttpServer::WriteResponse(conn, 503, "down");
        return;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        accepted_.push_back(req.body);
      }
      FakeHttpServer::WriteResponse(conn, 200, "");
    });
    dir_.Write("rules.yml", kRules);
  }

  std::unique_ptr<server::Engine> NewEngine(int queue_capacity) {
    const std::string text =
        "rules:\n  files: [rules.yml]\n  evaluation_interval: 15s\n"
        "alerting:\n  queue_capacity: " +
        std::to_string(queue_capacity) + "\n  alertmanagers:\n    - url: " + am_.base_url() + "\n";
    auto cfg = config::LoadConfigText(text, (dir_.path() / "smoke.yml").string());
    EXPECT_TRUE(cfg.ok()) << cfg.status().message();
    if (!cfg.ok()) return nullptr;
    server::EngineOptions options;
    options.clock = &clock_;
    options.registry = &registry_;
    options.exposition = [this]() -> core::Result<std::string> { return Exposition(); };
    auto engine = server::Engine::Create(**cfg, std::move(options));
    EXPECT_TRUE(engine.ok()) << engine.status().message();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  // probe_success of every probe as the exporter would expose it.
  std::string Exposition() const {
    std::string out = "# TYPE probe_success gauge\n";
    for (int i = 0; i < kProbes; ++i) {
      out += "probe_success{probe=\"p" + std::to_string(i) + "\"} " +
             (failing_[i].load() ? "0" : "1") + "\n";
    }
    return out;
  }

  // Runs the engine's loop body at every wakeup up to `d` from now (no real time passes).
  void RunFor(server::Engine& engine, core::Duration d) {
    const core::TimePoint end = clock_.Now() + d;
    engine.RunOnce();
    while (engine.NextWakeup() <= end) {
      clock_.Set(std::max(clock_.Now(), engine.NextWakeup()));
      engine.RunOnce();
    }
    clock_.Set(end);
  }

  // Ten minutes of outage: every probe starts failing at its own time (one every 15 s), and
  // the even ones recover five minutes later, all while Alertmanager answers 503.
  void FailAndRecoverDuringTheOutage(server::Engine& engine) {
    for (int i = 0; i < kProbes; ++i) {
      failing_[i] = true;
      RunFor(engine, 15s);
    }
    RunFor(engine, 5min);
    for (int i = 0; i < kProbes; i += 2) failing_[i] = false;
    RunFor(engine, 30s);
  }

  // The latest state Alertmanager accepted per probe: "firing", or "resolved" (endsAt passed).
  std::map<std::string, std::string> Received() const {
    std::vector<std::string> bodies;
    {
      std::lock_guard<std::mutex> lock(mu_);
      bodies = accepted_;
    }
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
            .count();
    std::map<std::string, std::string> out;
    for (const std::string& body : bodies) {
      const json alerts = json::parse(body, nullptr, false);
      if (!alerts.is_array()) continue;
      for (const json& a : alerts) {
        const auto ends = server::ParseApiTime(a.value("endsAt", ""));
        const bool resolved = ends.ok() && *ends <= now_ms;
        out[a["labels"].value("probe", "")] = resolved ? "resolved" : "firing";
      }
    }
    return out;
  }

  double Metric(const std::string& name) const {
    const std::string text = prometheus::TextSerializer().Serialize(registry_.Collect());
    const std::regex line("\\n" + name + "\\{[^}]*\\} ([0-9.e+]+)\\n");
    std::smatch m;
    return std::regex_search(text, m, line) ? std::stod(m[1].str()) : -1;
  }

  TempDir dir_;
  std::atomic<bool> up_{false};
  mutable std::mutex mu_;
  std::vector<std::string> accepted_;  // bodies of the posts answered 200
  std::atomic<bool> failing_[kProbes] = {};
  core::ManualClock clock_{core::TimePoint(std::chrono::seconds(1'700'000'000))};
  prometheus::Registry registry_;
  FakeHttpServer am_;  // last: its handler uses the members above
};

TEST_F(FaultAlertmanagerOutageTest, EveryAlertOfTheOutageArrivesInItsLatestStateWhenItIsBack) {
  auto engine = NewEngine(10000);
  ASSERT_NE(engine, nullptr);
  FailAndRecoverDuringTheOutage(*engine);
  ASSERT_TRUE(WaitFor([&] { return Metric("smoke_notifications_errors_total") >= 1; }, 10s));
  // Twenty alerts wait, each once in its latest state (resends replaced, not added).
  EXPECT_EQ(Metric("smoke_notifications_queue_length"), kProbes);

  up_ = true;
  std::map<std::string, std::string> want;
  for (int i = 0; i < kProbes; ++i) want["p" + std::to_string(i)] = i % 2 ? "firing" : "resolved";
  // The retry after the outage delivers the queue: nothing is lost, nothing dropped.
  EXPECT_TRUE(WaitFor([&] { return Received() == want; }, 20s))
      << ::testing::PrintToString(Received());
  EXPECT_EQ(Metric("smoke_notifications_dropped_total"), 0);
  EXPECT_EQ(Metric("smoke_notifications_queue_length"), 0);
  engine->Stop();
}

TEST_F(FaultAlertmanagerOutageTest, BeyondQueueCapacityTheOldestAreDroppedAndCounted) {
  auto engine = NewEngine(5);
  ASSERT_NE(engine, nullptr);
  FailAndRecoverDuringTheOutage(*engine);
  ASSERT_TRUE(WaitFor([&] { return Metric("smoke_notifications_errors_total") >= 1; }, 10s));
  // Twenty alerts for a queue of five: at least fifteen can never arrive, and the metric says so.
  const double dropped = Metric("smoke_notifications_dropped_total");
  EXPECT_GE(dropped, kProbes - 5);
  EXPECT_EQ(Metric("smoke_notifications_queue_length"), 5);

  up_ = true;
  ASSERT_TRUE(WaitFor([&] { return Metric("smoke_notifications_queue_length") == 0; }, 20s));
  // What arrives is what the queue kept: five alerts, each in its latest state.
  const std::map<std::string, std::string> got = Received();
  EXPECT_EQ(got.size(), 5u) << ::testing::PrintToString(got);
  for (const auto& [probe, state] : got) {
    const int i = std::stoi(probe.substr(1));
    EXPECT_EQ(state, i % 2 ? "firing" : "resolved") << probe;
  }
  engine->Stop();
}

}  // namespace
}  // namespace smoke::testing
