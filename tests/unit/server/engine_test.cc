#include "exporter/server/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <variant>

#include "exporter/config/loader.h"
#include "exporter/promql/engine.h"
#include "exporter/promql/parser.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::server {
namespace {

using namespace std::chrono_literals;

constexpr char kRules[] = R"(groups:
  - name: smoke
    rules:
      - alert: ProbeFailed
        expr: probe_success == 0
        labels: {severity: critical}
        annotations: {summary: "{{ $labels.probe }} failed"}
)";

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    am_.Respond("/api/v2/alerts", 200, "");
    dir_.Write("rules.yml", kRules);
    config_text_ = "rules:\n  files: [rules.yml]\n  evaluation_interval: 15s\n"
                   "  state_file: alerts.json\n"
                   "alerting:\n  alertmanagers:\n    - url: " + am_.base_url() + "\n"
                   "storage:\n  snapshot_file: tsdb.snap\n";
  }
  config::ConfigPtr Config() {
    auto cfg = config::LoadConfigText(config_text_, (dir_.path() / "smoke.yml").string());
    EXPECT_TRUE(cfg.ok()) << cfg.status().message();
    return cfg.ok() ? *cfg : nullptr;
  }
  std::unique_ptr<Engine> NewEngine() {
    EngineOptions options;
    options.clock = &clock_;
    options.exposition = [this]() -> core::Result<std::string> { return exposition_; };
    options.default_external_url = "http://smoke.test:9117";
    auto engine = Engine::Create(*Config(), std::move(options));
    EXPECT_TRUE(engine.ok()) << engine.status().message();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }
  // Runs the loop body at every wakeup up to `d` from now.
  void RunFor(Engine& engine, core::Duration d) {
    const core::TimePoint end = clock_.Now() + d;
    engine.RunOnce();
    while (engine.NextWakeup() <= end) {
      clock_.Set(std::max(clock_.Now(), engine.NextWakeup()));
      engine.RunOnce();
    }
    clock_.Set(end);
  }
  size_t Count(const Engine& engine, const std::string& expr) {
    auto parsed = promql::ParseExpr(expr);
    EXPECT_TRUE(parsed.ok());
    const int64_t t = std::chrono::duration_cast<std::chrono::milliseconds>(
                          clock_.Now().time_since_epoch()).count();
    auto v = promql::EvalInstant(**parsed, engine.storage(), t);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? std::get<promql::Vector>(*v).size() : 0;
  }

  smoke::testing::TempDir dir_;
  smoke::testing::FakeHttpServer am_;
  core::ManualClock clock_{core::TimePoint(std::chrono::seconds(1'700'000'000))};
  std::string exposition_ = "# TYPE probe_success gauge\nprobe_success{probe=\"api\"} 0\n";
  std::string config_text_;
};

TEST_F(EngineTest, SelfScrapedFailureFiresAnAlertThatReachesAlertmanager) {
  auto engine = NewEngine();
  ASSERT_NE(engine, nullptr);
  RunFor(*engine, 40s);
  EXPECT_EQ(Count(*engine, "probe_success"), 1u) << "the self-scrape fed the store";
  EXPECT_EQ(Count(*engine, "ALERTS{alertname=\"ProbeFailed\",alertstate=\"firing\"}"), 1u);
  auto groups = engine->Groups();
  ASSERT_EQ(groups.size(), 1u);
  ASSERT_EQ(groups[0].rules[0].alerts.size(), 1u);
  EXPECT_EQ(groups[0].rules[0].alerts[0].annotations.Get("summary"), "api failed");
  ASSERT_TRUE(smoke::testing::WaitFor([&] { return !am_.requests().empty(); }, 10s));
  const std::string body = am_.requests()[0].body;
  EXPECT_NE(body.find("\"alertname\":\"ProbeFailed\""), std::string::npos) << body;
  EXPECT_NE(body.find("http://smoke.test:9117/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1"),
            std::string::npos)
      << body;

  // Recovery: the alert resolves, ALERTS goes away at once.
  exposition_ = "# TYPE probe_success gauge\nprobe_success{probe=\"api\"} 1\n";
  RunFor(*engine, 15s);
  EXPECT_EQ(Count(*engine, "ALERTS"), 0u);
  EXPECT_EQ(engine->Groups()[0].rules[0].state, ruler::AlertState::kInactive);
}

TEST_F(EngineTest, RestartRestoresSamplesAndFiringAlerts) {
  int64_t fired_at = 0;
  {
    auto engine = NewEngine();
    ASSERT_NE(engine, nullptr);
    RunFor(*engine, 40s);
    auto groups = engine->Groups();
    ASSERT_EQ(groups[0].rules[0].alerts.size(), 1u);
    fired_at = groups[0].rules[0].alerts[0].fired_at_ms;
    engine->Stop();
  }
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "alerts.json"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "tsdb.snap"));
  clock_.Advance(1min);
  auto engine = NewEngine();
  ASSERT_NE(engine, nullptr);
  EXPECT_GT(engine->storage().NumSeries(), 0u) << "history came back from the snapshot";
  auto groups = engine->Groups();
  ASSERT_EQ(groups[0].rules[0].alerts.size(), 1u);
  EXPECT_EQ(groups[0].rules[0].alerts[0].state, ruler::AlertState::kFiring);
  EXPECT_EQ(groups[0].rules[0].alerts[0].fired_at_ms, fired_at);
}

TEST_F(EngineTest, ReloadWithABrokenRuleFileKeepsTheRunningRules) {
  auto engine = NewEngine();
  ASSERT_NE(engine, nullptr);
  dir_.Write("rules.yml", "groups:\n  - name: smoke\n    rules:\n      - alert: X\n        expr: up ==\n");
  core::Status st = engine->Reload(*Config());
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("rules.yml"), std::string::npos) << st.message();
  ASSERT_EQ(engine->Groups().size(), 1u);
  EXPECT_EQ(engine->Groups()[0].rules[0].name, "ProbeFailed");
}

TEST_F(EngineTest, SlosOfTheConfigRunAsGeneratedRuleGroups) {
  config_text_ += "probes:\n  - name: api\n    kind: tcp\n    component: api\n"
                  "    target: 127.0.0.1:1\n"
                  "slos:\n  - name: api-availability\n    objective: 99.9\n"
                  "    sli:\n      availability:\n        labels: {component: api}\n";
  auto engine = NewEngine();
  ASSERT_NE(engine, nullptr);
  auto groups = engine->Groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[1].name, "slo-api-availability");
  EXPECT_EQ(groups[1].file, (dir_.path() / "smoke.yml").string() + "#slos");

  // The generated recording rules write their series, as Prometheus running the same file would.
  exposition_ = "# TYPE smoke_probe_results_total counter\n"
                "smoke_probe_results_total{probe=\"api\",result=\"success\"} 0\n";
  RunFor(*engine, 2min);
  EXPECT_EQ(Count(*engine, "slo:objective:ratio{slo=\"api-availability\"}"), 1u);

  // A reload without the SLOs drops their group.
  config_text_ = config_text_.substr(0, config_text_.find("slos:"));
  ASSERT_TRUE(engine->Reload(*Config()).ok());
  EXPECT_EQ(engine->Groups().size(), 1u);
}

}  // namespace
}  // namespace smoke::server
