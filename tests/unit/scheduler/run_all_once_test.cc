#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "exporter/core/logging.h"
#include "exporter/scheduler/scheduler.h"
#include "tests/unit/scheduler/fake_probe.h"

namespace smoke::scheduler {
namespace {

using std::chrono::seconds;
using testing::ConcurrencyMeter;
using testing::FakeProbe;
using testing::Gate;
using testing::kWaitLimit;

TEST(RunAllOnceTest, ReturnsResultsInInputOrderWithBoundedConcurrency) {
  core::ManualClock clock;
  Gate gate;
  ConcurrencyMeter meter;
  std::vector<ScheduledProbe> probes;
  std::vector<std::shared_ptr<FakeProbe>> fakes;
  for (int i = 0; i < 6; ++i) {
    const std::string name = "p" + std::to_string(i);
    fakes.push_back(std::make_shared<FakeProbe>(FakeProbe::Options{&gate, &meter, false, name}));
    probes.push_back({name, seconds(60), seconds(i + 1), fakes.back()});
  }

  // Opens the gate on every exit path, so that a failed assertion cannot leave the future's
  // destructor waiting forever for probes blocked on it.
  struct OpenOnExit {
    Gate& gate;
    ~OpenOnExit() { gate.Open(); }
  } open_on_exit{gate};
  auto done =
      std::async(std::launch::async, [&] { return Scheduler::RunAllOnce(probes, 2, &clock); });
  // Two run at once; the rest wait for a free slot.
  ASSERT_TRUE(meter.WaitForCurrent(2));
  gate.Open();
  ASSERT_EQ(done.wait_for(kWaitLimit), std::future_status::ready);
  const std::vector<core::ProbeResult> results = done.get();

  ASSERT_EQ(results.size(), probes.size());
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].message, probes[i].name);
    EXPECT_EQ(results[i].outcome, core::Outcome::kOk);
    ASSERT_EQ(fakes[i]->call_count(), 1u);
    EXPECT_EQ(fakes[i]->calls()[0].deadline, clock.Now() + probes[i].timeout);
  }
  EXPECT_EQ(meter.max(), 2);
}

TEST(RunAllOnceTest, ThrowingOrMissingProbeFailsWithReasonInternal) {
  core::SetLogSink([](const std::string&) {});
  core::ManualClock clock;
  std::vector<ScheduledProbe> probes = {
      {"ok", seconds(60), seconds(5), std::make_shared<FakeProbe>()},
      {"throws", seconds(60), seconds(5),
       std::make_shared<FakeProbe>(FakeProbe::Options{.throws = true})},
      {"missing", seconds(60), seconds(5), nullptr},
  };
  const auto results = Scheduler::RunAllOnce(probes, 8, &clock);
  core::SetLogSink(nullptr);

  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].outcome, core::Outcome::kOk);
  for (size_t i : {1u, 2u}) {
    EXPECT_EQ(results[i].outcome, core::Outcome::kFailed) << probes[i].name;
    EXPECT_EQ(results[i].reason, core::Reason::kInternal) << probes[i].name;
  }
}

TEST(RunAllOnceTest, EmptyInputReturnsNothing) {
  EXPECT_TRUE(Scheduler::RunAllOnce({}, 4, nullptr).empty());
}

}  // namespace
}  // namespace smoke::scheduler
