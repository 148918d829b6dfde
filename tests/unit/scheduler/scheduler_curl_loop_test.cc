// Http probes run as tasks of the scheduler's curl loop: runs against blackholed targets wait
// without holding a lane worker, so with one worker per lane the healthy probes still get their
// results while dozens of blackholed runs are in flight, counted in their lane's in-flight
// gauge; Stop() waits for the runs in flight and delivers every result. (The manual clock does
// not move during runs, so lane changes by duration are tested with fake probes.)

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "exporter/core/logging.h"
#include "exporter/probes/probe.h"
#include "exporter/scheduler/scheduler.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/silent_listener.h"
#include "tests/unit/scheduler/fake_probe.h"
#include "tests/unit/scheduler/result_collector.h"

namespace smoke::scheduler {
namespace {

using std::chrono::seconds;
using testing::ResultCollector;

std::shared_ptr<const probes::Probe> HttpProbe(const std::string& url) {
  config::ProbeSpec spec;
  spec.name = "http";
  spec.kind = "http";
  spec.target = url;
  core::Result<probes::ProbePtr> probe = probes::MakeProbe(spec);
  EXPECT_TRUE(probe.ok()) << probe.status().message();
  return probe.ok() ? std::shared_ptr<const probes::Probe>(std::move(probe).value()) : nullptr;
}

double Gauge(const prometheus::Registry& registry, const std::string& family,
             const std::string& lane) {
  for (const auto& f : registry.Collect()) {
    if (f.name != family) continue;
    for (const auto& m : f.metric) {
      if (std::any_of(m.label.begin(), m.label.end(),
                      [&](const auto& l) { return l.name == "lane" && l.value == lane; })) {
        return m.gauge.value;
      }
    }
  }
  return -1;
}

class SchedulerCurlLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::SetLogSink([](const std::string&) {});
    healthy_.Respond("/ok", 200, "ok");
    // One worker per lane: a run that held its worker would stall everything behind it.
    scheduler_ = std::make_unique<Scheduler>(
        &clock_,
        SchedulerOptions{.max_concurrency = 1, .slow_max_concurrency = 1, .jitter = 0, .seed = 1},
        collector_.Sink(), &registry_);
  }
  void TearDown() override {
    scheduler_.reset();
    core::SetLogSink(nullptr);
  }

  // `blackholed` probes to a listener that never answers, `healthy` to a server that does.
  void Schedule(int blackholed, int healthy, core::Duration timeout) {
    std::vector<ScheduledProbe> probes;
    for (int i = 0; i < blackholed; ++i) {
      probes.push_back({"blackholed_" + std::to_string(i), seconds(60), timeout,
                        HttpProbe(blackhole_.base_url() + "/")});
    }
    for (int i = 0; i < healthy; ++i) {
      probes.push_back({"healthy_" + std::to_string(i), seconds(60), timeout,
                        HttpProbe(healthy_.base_url() + "/ok")});
    }
    scheduler_->SetProbes(std::move(probes));
    scheduler_->Start();
    clock_.Advance(seconds(60));  // every first run is due (offsets are within one interval)
  }

  ::smoke::testing::FakeHttpServer healthy_;
  ::smoke::testing::SilentListener blackhole_;
  core::ManualClock clock_;
  prometheus::Registry registry_;
  ResultCollector collector_;
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(SchedulerCurlLoopTest, HealthyProbesGetResultsWhileBlackholedRunsWaitWithoutWorkers) {
  constexpr int kBlackholed = 50;
  constexpr int kHealthy = 10;
  Schedule(kBlackholed, kHealthy, seconds(5));

  for (int i = 0; i < kHealthy; ++i) {
    const std::string name = "healthy_" + std::to_string(i);
    ASSERT_TRUE(collector_.WaitFor(name, 1)) << name;
    EXPECT_TRUE(collector_.Results(name)[0].passed()) << collector_.Results(name)[0].message;
  }
  // The blackholed runs cannot end before their 5 s timeout: all are still in flight, in the
  // fast lane (nothing was known about them), beyond its single worker.
  EXPECT_EQ(Gauge(registry_, "smoke_scheduler_inflight_probes", "fast"), kBlackholed);
  EXPECT_EQ(collector_.Count("blackholed_0"), 0u);
  EXPECT_EQ(scheduler_->stats().saturation_delayed, 0u);

  for (int i = 0; i < kBlackholed; ++i) {
    const std::string name = "blackholed_" + std::to_string(i);
    ASSERT_TRUE(collector_.WaitFor(name, 1)) << name;
    EXPECT_EQ(collector_.Results(name)[0].reason, core::Reason::kTimeout);
  }
  const Scheduler::Stats stats = scheduler_->stats();
  EXPECT_EQ(stats.runs_started, static_cast<uint64_t>(kBlackholed + kHealthy));
  EXPECT_EQ(stats.runs_completed, stats.runs_started);
  EXPECT_EQ(Gauge(registry_, "smoke_scheduler_inflight_probes", "fast"), 0);
}

TEST_F(SchedulerCurlLoopTest, StopWaitsForRunsInFlightAndDeliversEveryResult) {
  constexpr int kBlackholed = 20;
  Schedule(kBlackholed, 0, seconds(1));
  // Stop once every run has started (they are then in flight until their 1 s timeout).
  const auto give_up = std::chrono::steady_clock::now() + testing::kWaitLimit;
  while (scheduler_->stats().runs_started < kBlackholed) {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "the runs did not start";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  scheduler_->Stop();
  for (int i = 0; i < kBlackholed; ++i) {
    const std::string name = "blackholed_" + std::to_string(i);
    EXPECT_EQ(collector_.Count(name), 1u) << name << " was in flight at Stop()";
  }
  EXPECT_EQ(scheduler_->stats().runs_completed, static_cast<uint64_t>(kBlackholed));
}

}  // namespace
}  // namespace smoke::scheduler
