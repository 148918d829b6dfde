#include "exporter/scheduler/scheduler.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exporter/core/logging.h"
#include "exporter/scheduler/spread.h"
#include "tests/unit/scheduler/fake_probe.h"
#include "tests/unit/scheduler/result_collector.h"

namespace smoke::scheduler {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ConcurrencyMeter;
using testing::FakeProbe;
using testing::Gate;
using testing::kWaitLimit;
using testing::ResultCollector;

// The series of `family` whose label `label` is `value`.
const prometheus::ClientMetric* FindSeries(const std::vector<prometheus::MetricFamily>& families,
                                           const std::string& family, const std::string& label,
                                           const std::string& value) {
  for (const auto& f : families) {
    if (f.name != family) continue;
    for (const auto& m : f.metric) {
      if (std::any_of(m.label.begin(), m.label.end(),
                      [&](const auto& l) { return l.name == label && l.value == value; })) {
        return &m;
      }
    }
  }
  return nullptr;
}

// Per-probe series by probe name; without one, the fast lane's series.
const prometheus::ClientMetric* FindMetric(const std::vector<prometheus::MetricFamily>& families,
                                           const std::string& family, const std::string& probe) {
  return probe.empty() ? FindSeries(families, family, "lane", "fast")
                       : FindSeries(families, family, "probe", probe);
}

// The value of a counter series, or nullopt if the series is not exported.
std::optional<double> CounterValue(const prometheus::Registry& registry, const std::string& family,
                                   const std::string& probe = "") {
  const auto families = registry.Collect();
  const prometheus::ClientMetric* m = FindMetric(families, family, probe);
  if (m == nullptr) return std::nullopt;
  return m->counter.value;
}

class SchedulerTest : public ::testing::Test {
 protected:
  // Tests drive probes far past their deadlines on purpose; keep the expected warnings out of
  // the test output but available to assertions.
  void SetUp() override {
    core::SetLogSink([this](const std::string& line) {
      std::lock_guard lock(log_mu_);
      log_.push_back(line);
    });
  }

  void TearDown() override {
    // Blocked probes hold workers, and the scheduler's destructor joins them.
    for (auto& gate : gates_) gate->Open();
    scheduler_.reset();
    core::SetLogSink(nullptr);
  }

  bool Logged(const std::string& a, const std::string& b) const {
    std::lock_guard lock(log_mu_);
    return std::any_of(log_.begin(), log_.end(), [&](const std::string& line) {
      return line.find(a) != std::string::npos && line.find(b) != std::string::npos;
    });
  }

  // slow_after is an hour, so a run is slow at half its timeout: the tests hold probes for
  // seconds of manual time and choose when they become slow.
  Scheduler& Make(int max_concurrency, double jitter = 0, uint64_t seed = 1,
                  int slow_max_concurrency = 256) {
    scheduler_ =
        std::make_unique<Scheduler>(&clock_,
                                    SchedulerOptions{.max_concurrency = max_concurrency,
                                                     .slow_max_concurrency = slow_max_concurrency,
                                                     .slow_after = std::chrono::hours(1),
                                                     .jitter = jitter,
                                                     .seed = seed},
                                    collector_.Sink(), &registry_);
    return *scheduler_;
  }

  Gate* NewGate() { return gates_.emplace_back(std::make_unique<Gate>()).get(); }

  static std::shared_ptr<FakeProbe> NewProbe(FakeProbe::Options options = {}) {
    return std::make_shared<FakeProbe>(std::move(options));
  }

  static ScheduledProbe Spec(std::string name, std::shared_ptr<const probes::Probe> probe,
                             core::Duration interval = seconds(10),
                             core::Duration timeout = seconds(5)) {
    return ScheduledProbe{std::move(name), interval, timeout, std::move(probe)};
  }

  core::TimePoint Due(const std::string& name) const {
    const std::optional<core::TimePoint> due = scheduler_->NextDue(name);
    EXPECT_TRUE(due.has_value()) << name;
    return due.value_or(core::TimePoint{});
  }

  core::TimePoint LatestDue(const std::vector<std::string>& names) const {
    core::TimePoint latest{};
    for (const std::string& name : names) latest = std::max(latest, Due(name));
    return latest;
  }

  prometheus::ClientMetric::Histogram LagHistogram(const std::string& lane = "fast") const {
    const auto families = registry_.Collect();
    const prometheus::ClientMetric* m =
        FindSeries(families, "smoke_scheduler_lag_seconds", "lane", lane);
    EXPECT_NE(m, nullptr);
    return m == nullptr ? prometheus::ClientMetric::Histogram{} : m->histogram;
  }

  mutable std::mutex log_mu_;
  std::vector<std::string> log_;
  core::ManualClock clock_;
  prometheus::Registry registry_;
  ResultCollector collector_;
  std::vector<std::unique_ptr<Gate>> gates_;
  ConcurrencyMeter meter_;
  // Last: destroyed (stopped) before everything its probes and sink refer to.
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(SchedulerTest, RunsExactlyOnceEveryIntervalWithoutJitter) {
  Scheduler& s = Make(/*max_concurrency=*/2, /*jitter=*/0);
  auto probe = NewProbe();
  s.SetProbes({Spec("api", probe, seconds(10))});
  s.Start();

  const core::TimePoint first = Due("api");
  EXPECT_GE(first, clock_.Now());
  EXPECT_LT(first, clock_.Now() + kMaxFirstRunOffset);
  clock_.Set(first);
  ASSERT_TRUE(collector_.WaitFor("api", 1));
  for (size_t k = 1; k <= 5; ++k) {
    clock_.Advance(seconds(10));
    ASSERT_TRUE(collector_.WaitFor("api", k + 1)) << "run " << k;
  }

  const auto calls = probe->calls();
  ASSERT_EQ(calls.size(), 6u);
  for (size_t k = 0; k < calls.size(); ++k) {
    EXPECT_EQ(calls[k].start, first + seconds(10) * static_cast<int>(k)) << "run " << k;
  }
  EXPECT_EQ(s.stats().runs_started, 6u);
  EXPECT_EQ(s.stats().overlaps_skipped, 0u);
  EXPECT_EQ(CounterValue(registry_, "smoke_scheduler_runs_total", "api"), 6.0);
  EXPECT_EQ(Due("api"), first + seconds(60));
  EXPECT_EQ(LagHistogram().sample_sum, 0.0);
}

TEST_F(SchedulerTest, JitterStaysWithinFractionOfIntervalAndDoesNotDrift) {
  Scheduler& s = Make(/*max_concurrency=*/2, /*jitter=*/0.1, /*seed=*/42);
  auto probe = NewProbe();
  s.SetProbes({Spec("api", probe, seconds(10))});
  s.Start();

  constexpr size_t kRuns = 50;
  for (size_t k = 1; k <= kRuns; ++k) {
    clock_.Set(Due("api"));
    ASSERT_TRUE(collector_.WaitFor("api", k)) << "run " << k;
  }

  const auto calls = probe->calls();
  ASSERT_EQ(calls.size(), kRuns);
  // The first run is at the unjittered hash offset; every later one is jittered relative to its
  // own slot (first + k * interval), never relative to the previous run.
  core::Duration min_jitter = seconds(10), max_jitter = core::Duration::zero();
  for (size_t k = 1; k < kRuns; ++k) {
    const core::Duration jitter =
        calls[k].start - (calls[0].start + seconds(10) * static_cast<int>(k));
    EXPECT_GE(jitter, core::Duration::zero()) << "run " << k;
    EXPECT_LT(jitter, seconds(1)) << "run " << k;
    min_jitter = std::min(min_jitter, jitter);
    max_jitter = std::max(max_jitter, jitter);
  }
  // Jitter is actually applied (fixed seed: deterministic).
  EXPECT_GT(max_jitter - min_jitter, milliseconds(100));
}

TEST_F(SchedulerTest, PassesDeadlineOfStartPlusTimeout) {
  Scheduler& s = Make(/*max_concurrency=*/1);
  auto probe = NewProbe();
  s.SetProbes({Spec("db", probe, seconds(30), seconds(3))});
  s.Start();

  for (size_t k = 1; k <= 2; ++k) {
    clock_.Set(Due("db"));
    ASSERT_TRUE(collector_.WaitFor("db", k));
  }
  for (const FakeProbe::Call& call : probe->calls()) {
    EXPECT_EQ(call.deadline, call.start + seconds(3));
  }
}

TEST_F(SchedulerTest, SkipsAndCountsOverlappingRun) {
  Scheduler& s = Make(/*max_concurrency=*/2);
  Gate* gate = NewGate();
  auto slow = NewProbe({.gate = gate});
  // `fast` is due in the same dispatcher pass as `slow`; its result tells the test the pass
  // (and so the overlap decision for `slow`) is done.
  auto fast = NewProbe();
  s.SetProbes({Spec("slow", slow), Spec("fast", fast)});
  s.Start();

  clock_.Set(LatestDue({"slow", "fast"}));
  ASSERT_TRUE(slow->WaitForCalls(1));
  ASSERT_TRUE(collector_.WaitFor("fast", 1));
  for (size_t k = 2; k <= 3; ++k) {  // two more intervals while `slow` still hangs
    clock_.Set(LatestDue({"slow", "fast"}));
    ASSERT_TRUE(collector_.WaitFor("fast", k));
  }
  EXPECT_EQ(slow->call_count(), 1u);
  EXPECT_EQ(s.stats().overlaps_skipped, 2u);
  EXPECT_EQ(CounterValue(registry_, "smoke_scheduler_overlaps_skipped_total", "slow"), 2.0);
  EXPECT_EQ(CounterValue(registry_, "smoke_scheduler_overlaps_skipped_total", "fast"), 0.0);

  // Once the hung run returns, the probe is back on its original schedule.
  gate->Open();
  ASSERT_TRUE(collector_.WaitFor("slow", 1));
  clock_.Set(LatestDue({"slow", "fast"}));
  ASSERT_TRUE(slow->WaitForCalls(2));
  ASSERT_TRUE(collector_.WaitFor("fast", 4));
  EXPECT_EQ(s.stats().overlaps_skipped, 2u);
  EXPECT_EQ(slow->calls()[1].start - slow->calls()[0].start, seconds(30));
}

TEST_F(SchedulerTest, HangingProbeDoesNotDelayAnotherProbesSchedule) {
  Scheduler& s = Make(/*max_concurrency=*/2);
  // Ignores its deadline entirely: the worst a blackholed target plus a buggy probe can do.
  auto hang = NewProbe({.gate = NewGate()});
  auto fast = NewProbe();
  s.SetProbes({Spec("hang", hang, seconds(10), seconds(2)), Spec("fast", fast, seconds(10))});
  s.Start();

  // Step the clock to exactly each next due time, in order.
  const core::TimePoint fast_first = Due("fast");
  constexpr size_t kFastRuns = 6;
  for (size_t fast_runs = 0; fast_runs < kFastRuns;) {
    const core::TimePoint hang_due = Due("hang");
    const core::TimePoint fast_due = Due("fast");
    clock_.Set(std::min(hang_due, fast_due));
    if (fast_due <= hang_due) {
      ASSERT_TRUE(collector_.WaitFor("fast", ++fast_runs));
    } else if (hang->call_count() == 0) {
      ASSERT_TRUE(hang->WaitForCalls(1));
    }
    // Otherwise `hang` is due while still running: skipped, observed by the next pass.
  }

  const auto calls = fast->calls();
  ASSERT_EQ(calls.size(), kFastRuns);
  for (size_t k = 0; k < kFastRuns; ++k) {
    EXPECT_EQ(calls[k].start, fast_first + seconds(10) * static_cast<int>(k)) << "run " << k;
  }
  EXPECT_EQ(hang->call_count(), 1u);
  EXPECT_GE(s.stats().overlaps_skipped, kFastRuns - 2);
  const auto lag = LagHistogram();
  EXPECT_EQ(lag.sample_count, kFastRuns + 1);
  EXPECT_EQ(lag.sample_sum, 0.0);
}

TEST_F(SchedulerTest, BoundsConcurrencyAndMeasuresQueueLag) {
  Scheduler& s = Make(/*max_concurrency=*/2);
  ConcurrencyMeter& meter = meter_;
  const std::vector<std::string> names = {"a", "b", "c"};
  std::map<std::string, Gate*> gates;
  std::map<std::string, std::shared_ptr<FakeProbe>> probes;
  std::vector<ScheduledProbe> specs;
  for (const std::string& name : names) {
    gates[name] = NewGate();
    probes[name] = NewProbe({.gate = gates[name], .meter = &meter});
    specs.push_back(Spec(name, probes[name], seconds(60), seconds(10)));
  }
  s.SetProbes(specs);
  s.Start();

  std::map<std::string, core::TimePoint> due;
  for (const std::string& name : names) due[name] = Due(name);
  const core::TimePoint all_due = LatestDue(names);
  clock_.Set(all_due);
  ASSERT_TRUE(meter.WaitForCurrent(2));

  std::vector<std::string> running;
  std::string queued;
  for (const std::string& name : names) {
    if (probes[name]->call_count() == 1) {
      running.push_back(name);
    } else {
      queued = name;
    }
  }
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(s.stats().saturation_delayed, 1u);
  EXPECT_EQ(CounterValue(registry_, "smoke_scheduler_saturation_delayed_total"), 1.0);
  {
    const auto families = registry_.Collect();
    const auto* inflight = FindMetric(families, "smoke_scheduler_inflight_probes", "");
    ASSERT_NE(inflight, nullptr);
    EXPECT_EQ(inflight->gauge.value, 2.0);
  }

  // The queued run starts only when a worker frees up; the wait is schedule lag.
  clock_.Advance(milliseconds(250));
  gates[running[0]]->Open();
  ASSERT_TRUE(probes[queued]->WaitForCalls(1));
  EXPECT_EQ(meter.max(), 2);

  const FakeProbe::Call call = probes[queued]->calls()[0];
  EXPECT_EQ(call.start, all_due + milliseconds(250));
  // A queued run still gets its full timeout.
  EXPECT_EQ(call.deadline, call.start + seconds(10));
  const auto lag = LagHistogram();
  EXPECT_EQ(lag.sample_count, 3u);
  const double expected_lag = core::ToSeconds(all_due - due[running[0]]) +
                              core::ToSeconds(all_due - due[running[1]]) +
                              core::ToSeconds(call.start - due[queued]);
  EXPECT_NEAR(lag.sample_sum, expected_lag, 1e-6);
  EXPECT_GE(core::ToSeconds(call.start - due[queued]), 0.25);
  // Its next run is anchored to its slot, not to its late start.
  EXPECT_EQ(Due(queued), due[queued] + seconds(60));
}

TEST_F(SchedulerTest, SetProbesKeepsDueTimeOfUnchangedProbesAndReschedulesOthers) {
  Scheduler& s = Make(/*max_concurrency=*/2);
  auto old_a = NewProbe();
  s.SetProbes({Spec("a", old_a), Spec("b", NewProbe()), Spec("c", NewProbe())});
  const core::TimePoint a_due = Due("a");
  const core::TimePoint added_at = clock_.Now() + seconds(2);
  clock_.Set(added_at);

  auto new_a = NewProbe();
  s.SetProbes({Spec("a", new_a),                    // same schedule, rebuilt probe
               Spec("b", NewProbe(), seconds(20)),  // interval changed
               Spec("d", NewProbe())});             // new; c removed
  EXPECT_EQ(Due("a"), a_due);
  EXPECT_EQ(Due("b"), added_at + FirstRunOffset("b", seconds(20)));
  EXPECT_EQ(Due("d"), added_at + FirstRunOffset("d", seconds(10)));
  EXPECT_EQ(s.NextDue("c"), std::nullopt);

  // The next run of an unchanged probe uses the probe object from the latest reload.
  s.Start();
  clock_.Set(std::max(a_due, added_at));
  ASSERT_TRUE(collector_.WaitFor("a", 1));
  EXPECT_EQ(old_a->call_count(), 0u);
  EXPECT_EQ(new_a->call_count(), 1u);
}

// Hundreds of probes through the dispatcher's due-time heap, with a reload that removes a third
// and reschedules a third: each runs exactly once per slot, removed ones never again. Intervals
// of 60 and 120 s are longer than the first-run spread (15 s), so no probe has two slots due at
// the clock's one jump.
TEST_F(SchedulerTest, HundredsOfProbesRunOncePerSlotAcrossAReload) {
  Scheduler& s = Make(/*max_concurrency=*/8);
  std::vector<std::string> all, kept, removed;
  std::vector<ScheduledProbe> first, second;
  for (int i = 0; i < 300; ++i) {
    const std::string name = "p" + std::to_string(i);
    all.push_back(name);
    first.push_back(Spec(name, NewProbe(), seconds(60)));
    if (i % 3 == 0) {
      removed.push_back(name);
      continue;
    }
    kept.push_back(name);
    second.push_back(Spec(name, NewProbe(), i % 3 == 1 ? seconds(60) : seconds(120)));
  }
  s.SetProbes(first);
  s.Start();
  clock_.Set(LatestDue(all));
  for (const std::string& name : all) ASSERT_TRUE(collector_.WaitFor(name, 1)) << name;

  s.SetProbes(second);
  clock_.Set(LatestDue(kept));
  for (const std::string& name : kept) ASSERT_TRUE(collector_.WaitFor(name, 2)) << name;
  for (const std::string& name : kept) EXPECT_EQ(collector_.Count(name), 2u) << name;
  for (const std::string& name : removed) EXPECT_EQ(collector_.Count(name), 1u) << name;
  EXPECT_EQ(s.stats().runs_started, all.size() + kept.size());
  EXPECT_EQ(s.stats().overlaps_skipped, 0u);
  EXPECT_EQ(s.stats().missed_runs, 0u);
  EXPECT_EQ(s.stats().runs_dropped, 0u);  // removed probes are not even dispatched
}

TEST_F(SchedulerTest, RemovedProbeStopsRunningButItsInFlightResultIsDelivered) {
  Scheduler& s = Make(/*max_concurrency=*/4);
  Gate* gate = NewGate();
  auto gone = NewProbe({.gate = gate});
  auto kept = NewProbe();
  s.SetProbes({Spec("gone", gone), Spec("kept", kept)});
  s.Start();
  clock_.Set(LatestDue({"gone", "kept"}));
  ASSERT_TRUE(gone->WaitForCalls(1));
  ASSERT_TRUE(collector_.WaitFor("kept", 1));

  auto added = NewProbe();
  s.SetProbes({Spec("kept", kept), Spec("added", added)});
  EXPECT_EQ(CounterValue(registry_, "smoke_scheduler_runs_total", "gone"), std::nullopt);
  gate->Open();
  ASSERT_TRUE(collector_.WaitFor("gone", 1));

  for (size_t k = 1; k <= 3; ++k) {
    clock_.Set(LatestDue({"kept", "added"}));
    ASSERT_TRUE(collector_.WaitFor("kept", k + 1));
    ASSERT_TRUE(collector_.WaitFor("added", k));
  }
  s.Stop();
  EXPECT_EQ(gone->call_count(), 1u);
  EXPECT_EQ(s.stats().runs_dropped, 0u);
  EXPECT_EQ(s.stats().runs_started, s.stats().runs_completed);
}

TEST_F(SchedulerTest, RemovedProbesQueuedRunIsDiscarded) {
  Scheduler& s = Make(/*max_concurrency=*/1);
  Gate* gate = NewGate();
  auto busy = NewProbe({.gate = gate});
  auto waiting = NewProbe();
  s.SetProbes({Spec("busy", busy, seconds(60), seconds(30))});
  s.Start();
  clock_.Set(Due("busy"));
  ASSERT_TRUE(busy->WaitForCalls(1));

  // Added now, `waiting` is due within its 10 s interval, before busy has run for half its
  // timeout (which would move busy to the slow lane), and queues behind it for the only worker.
  s.SetProbes({Spec("busy", busy, seconds(60), seconds(30)), Spec("waiting", waiting)});
  clock_.Set(Due("waiting"));
  // SetProbes returns only after a dispatcher pass that saw the new clock: `waiting` is queued.
  s.SetProbes({Spec("busy", busy, seconds(60), seconds(30)), Spec("waiting", waiting)});
  EXPECT_EQ(s.stats().saturation_delayed, 1u);

  s.SetProbes({Spec("busy", busy, seconds(60), seconds(30))});
  gate->Open();
  ASSERT_TRUE(collector_.WaitFor("busy", 1));
  s.Stop();
  EXPECT_EQ(waiting->call_count(), 0u);
  EXPECT_EQ(collector_.Count("waiting"), 0u);
  EXPECT_EQ(s.stats().runs_dropped, 1u);
}

TEST_F(SchedulerTest, SkipsMissedSlotsAfterClockJumpInsteadOfBursting) {
  Scheduler& s = Make(/*max_concurrency=*/2);
  auto probe = NewProbe();
  s.SetProbes({Spec("api", probe, seconds(10))});
  s.Start();
  const core::TimePoint first = Due("api");
  clock_.Set(first);
  ASSERT_TRUE(collector_.WaitFor("api", 1));

  clock_.Advance(seconds(35));  // slots first+10s and first+20s were slept through
  ASSERT_TRUE(collector_.WaitFor("api", 2));
  EXPECT_EQ(s.stats().missed_runs, 2u);
  EXPECT_EQ(CounterValue(registry_, "smoke_scheduler_missed_runs_total", "api"), 2.0);
  EXPECT_EQ(probe->calls()[1].start, first + seconds(35));
  EXPECT_EQ(Due("api"), first + seconds(40));         // back on the original grid
  EXPECT_NEAR(LagHistogram().sample_sum, 5.0, 1e-9);  // measured from the latest slot (+30s)
}

TEST_F(SchedulerTest, RecoversWhenTheClockGoesBackwards) {
  Scheduler& s = Make(/*max_concurrency=*/2);
  auto probe = NewProbe();
  s.SetProbes({Spec("api", probe, seconds(10))});
  s.Start();
  const core::TimePoint first = Due("api");
  clock_.Set(first);
  ASSERT_TRUE(collector_.WaitFor("api", 1));

  clock_.Set(first - std::chrono::hours(1));  // e.g. an NTP step
  // A real clock wakes the dispatcher within a second; a manual one needs a nudge, and an
  // unchanged SetProbes returns only after a dispatcher pass.
  s.SetProbes({Spec("api", probe, seconds(10))});
  EXPECT_EQ(Due("api"), clock_.Now() + seconds(10));  // not an hour from now
  clock_.Advance(seconds(10));
  ASSERT_TRUE(collector_.WaitFor("api", 2));
  EXPECT_TRUE(Logged("clock went backwards", "probes=1"));
}

TEST_F(SchedulerTest, ThrowingProbeFailsWithReasonInternalAndDoesNotKillTheWorker) {
  Scheduler& s = Make(/*max_concurrency=*/1);
  s.SetProbes({Spec("buggy", NewProbe({.throws = true}))});
  s.Start();
  for (size_t k = 1; k <= 2; ++k) {  // the second run proves the only worker survived
    clock_.Set(Due("buggy"));
    ASSERT_TRUE(collector_.WaitFor("buggy", k));
  }

  for (const core::ProbeResult& r : collector_.Results("buggy")) {
    EXPECT_EQ(r.outcome, core::Outcome::kFailed);
    EXPECT_EQ(r.reason, core::Reason::kInternal);
  }
  EXPECT_TRUE(Logged("buggy", "fake probe failure"));
}

TEST_F(SchedulerTest, StopReturnsPromptlyOnceInFlightProbesAreUnblocked) {
  Scheduler& s = Make(/*max_concurrency=*/2);
  Gate* gate = NewGate();
  auto blocked = NewProbe({.gate = gate});
  s.SetProbes({Spec("blocked", blocked), Spec("idle", NewProbe(), seconds(3600))});
  s.Start();
  clock_.Set(Due("blocked"));
  ASSERT_TRUE(blocked->WaitForCalls(1));

  // The dispatcher is asleep on a manual clock nobody advances; Stop must still wake it.
  auto stopped = std::async(std::launch::async, [&] { s.Stop(); });
  gate->Open();
  ASSERT_EQ(stopped.wait_for(kWaitLimit), std::future_status::ready);
  EXPECT_EQ(collector_.Count("blocked"), 1u);  // delivered before Stop returned
  EXPECT_EQ(s.stats().runs_completed, 1u);
}

TEST_F(SchedulerTest, StopWithoutStartAndTwiceIsHarmless) {
  Scheduler& s = Make(/*max_concurrency=*/2);
  s.SetProbes({Spec("api", NewProbe())});
  s.Stop();
  s.Stop();
  s.Start();  // a stopped scheduler stays stopped
  clock_.Set(Due("api"));
  EXPECT_EQ(s.stats().runs_started, 0u);
}

// A blackholed target holds its worker until the deadline. After one such run the probe moves
// to the slow lane, so even with a single fast worker the healthy probe keeps its schedule while
// the blackholed one hangs again; once it answers quickly it moves back.
TEST_F(SchedulerTest, ASlowProbeRunsInTheSlowLaneAndNeverHoldsUpQuickOnes) {
  Scheduler& s = Make(/*max_concurrency=*/1, /*jitter=*/0, /*seed=*/1, /*slow_max=*/1);
  Gate* first_hang = NewGate();
  auto blackholed = NewProbe({.gate = first_hang});
  s.SetProbes({Spec("hang", blackholed, seconds(10), seconds(4))});
  s.Start();
  EXPECT_EQ(s.LaneOf("hang"), Lane::kFast);  // new probes start in the fast lane
  clock_.Set(Due("hang"));
  ASSERT_TRUE(blackholed->WaitForCalls(1));
  clock_.Advance(seconds(2));  // half the timeout: slow
  first_hang->Open();
  ASSERT_TRUE(collector_.WaitFor("hang", 1));
  EXPECT_EQ(s.LaneOf("hang"), Lane::kSlow);

  Gate* second_hang = NewGate();
  auto hang = NewProbe({.gate = second_hang});
  auto quick = NewProbe();
  s.SetProbes({Spec("hang", hang, seconds(10), seconds(4)), Spec("quick", quick)});
  clock_.Set(LatestDue({"hang", "quick"}));
  ASSERT_TRUE(hang->WaitForCalls(1));
  // The only fast worker is free: the quick probe runs while the slow one still hangs.
  ASSERT_TRUE(collector_.WaitFor("quick", 1));
  EXPECT_EQ(s.LaneOf("quick"), Lane::kFast);
  EXPECT_EQ(collector_.Count("hang"), 1u);
  EXPECT_EQ(LagHistogram("slow").sample_count, 1u);
  EXPECT_EQ(s.stats().saturation_delayed, 0u);
  {
    const auto families = registry_.Collect();
    const auto* inflight = FindSeries(families, "smoke_scheduler_inflight_probes", "lane", "slow");
    ASSERT_NE(inflight, nullptr);
    EXPECT_EQ(inflight->gauge.value, 1.0);
  }

  second_hang->Open();  // answers at once this time
  ASSERT_TRUE(collector_.WaitFor("hang", 2));
  EXPECT_EQ(s.LaneOf("hang"), Lane::kFast);
}

// The first run against a blackholed target is in the fast lane (nothing is known yet). When it
// has taken half its timeout, its worker moves to the slow lane and the fast lane starts another
// for the run queued behind it.
TEST_F(SchedulerTest, AFastRunThatReachesHalfItsTimeoutHandsItsLaneToQueuedRuns) {
  Scheduler& s = Make(/*max_concurrency=*/1, /*jitter=*/0, /*seed=*/1, /*slow_max=*/1);
  auto hang = NewProbe({.gate = NewGate()});
  auto quick = NewProbe();
  s.SetProbes({Spec("hang", hang, seconds(60), seconds(30))});
  s.Start();
  const core::TimePoint started = Due("hang");
  clock_.Set(started);
  ASSERT_TRUE(hang->WaitForCalls(1));

  // quick is first due within 10 s, before hang has taken 15 s: it queues for the only worker.
  s.SetProbes({Spec("hang", hang, seconds(60), seconds(30)), Spec("quick", quick)});
  clock_.Set(Due("quick"));
  s.SetProbes({Spec("hang", hang, seconds(60), seconds(30)), Spec("quick", quick)});
  EXPECT_EQ(quick->call_count(), 0u);
  EXPECT_EQ(s.stats().saturation_delayed, 1u);

  clock_.Set(started + seconds(15));
  ASSERT_TRUE(collector_.WaitFor("quick", 1));
  EXPECT_EQ(collector_.Count("hang"), 0u);  // still hanging, now in the slow lane
  const auto families = registry_.Collect();
  const auto* slow = FindSeries(families, "smoke_scheduler_inflight_probes", "lane", "slow");
  ASSERT_NE(slow, nullptr);
  EXPECT_EQ(slow->gauge.value, 1.0);
}

// The slow lane has its own bound: beyond it, slow runs queue (and are counted) among
// themselves.
TEST_F(SchedulerTest, TheSlowLaneIsBoundedBySlowMaxConcurrency) {
  Scheduler& s = Make(/*max_concurrency=*/4, /*jitter=*/0, /*seed=*/1, /*slow_max=*/1);
  ConcurrencyMeter first;
  Gate* gate = NewGate();
  s.SetProbes({Spec("a", NewProbe({.gate = gate, .meter = &first}), seconds(60), seconds(4)),
               Spec("b", NewProbe({.gate = gate, .meter = &first}), seconds(60), seconds(4))});
  s.Start();
  clock_.Set(LatestDue({"a", "b"}));
  ASSERT_TRUE(first.WaitForCurrent(2));  // both run at once in the fast lane
  // Two seconds later (half the timeout) both answer. Their next slots are a minute apart, so no
  // second run slips in before the probes are swapped below.
  clock_.Advance(seconds(2));
  gate->Open();
  ASSERT_TRUE(collector_.WaitFor("a", 1));
  ASSERT_TRUE(collector_.WaitFor("b", 1));
  ASSERT_EQ(s.LaneOf("a"), Lane::kSlow);
  ASSERT_EQ(s.LaneOf("b"), Lane::kSlow);

  ConcurrencyMeter meter;
  Gate* hold = NewGate();
  auto a = NewProbe({.gate = hold, .meter = &meter});
  auto b = NewProbe({.gate = hold, .meter = &meter});
  s.SetProbes({Spec("a", a, seconds(60), seconds(4)), Spec("b", b, seconds(60), seconds(4))});
  clock_.Set(LatestDue({"a", "b"}));
  ASSERT_TRUE(meter.WaitForCurrent(1));
  // One slow worker: the other run waits although three fast workers are idle.
  EXPECT_EQ(a->call_count() + b->call_count(), 1u);
  EXPECT_EQ(CounterValue(registry_, "smoke_scheduler_saturation_delayed_total"), 0.0);
  {
    const auto families = registry_.Collect();
    const auto* slow =
        FindSeries(families, "smoke_scheduler_saturation_delayed_total", "lane", "slow");
    ASSERT_NE(slow, nullptr);
    EXPECT_EQ(slow->counter.value, 1.0);
  }
  hold->Open();
  ASSERT_TRUE(collector_.WaitFor("a", 2));
  ASSERT_TRUE(collector_.WaitFor("b", 2));
  EXPECT_EQ(meter.max(), 1);
}

}  // namespace
}  // namespace smoke::scheduler
