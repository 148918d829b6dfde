#pragma once
// Probes whose behaviour a scheduler test controls: they record every call (start time and
// deadline as seen through the run's clock), can block on a Gate the test opens, can throw, and
// report to a ConcurrencyMeter. Tests wait on these instead of sleeping.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/probe.h"

namespace smoke::scheduler::testing {

// Upper bound for every wait in these tests. It only turns a hang into a failure; no test
// relies on anything taking a particular amount of real time.
inline constexpr std::chrono::seconds kWaitLimit(10);

// A latch the test opens once; blocked probes then return. Thread-safe.
class Gate {
 public:
  void Open();
  void Wait() const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool open_ = false;
};

// How many runs are inside Probe::Run at once, across the probes sharing it. Thread-safe.
class ConcurrencyMeter {
 public:
  void Enter();
  void Leave();
  int current() const;
  int max() const;
  // Waits until at least `n` runs are inside at once; false on kWaitLimit.
  bool WaitForCurrent(int n) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  int current_ = 0;
  int max_ = 0;
};

// Thread-safe.
class FakeProbe : public probes::Probe {
 public:
  struct Call {
    core::TimePoint start;  // ctx.clock->Now() when Run was entered
    core::TimePoint deadline;
  };
  struct Options {
    const Gate* gate = nullptr;  // block until opened
    ConcurrencyMeter* meter = nullptr;
    bool throws = false;
    std::string message = {};  // copied into every result
  };

  FakeProbe() : FakeProbe(Options{}) {}
  explicit FakeProbe(Options options) : options_(std::move(options)) {}

  core::ProbeResult Run(const probes::RunContext& ctx) const override;

  std::vector<Call> calls() const;
  size_t call_count() const;
  // Waits until at least `n` runs have started; false on kWaitLimit.
  bool WaitForCalls(size_t n) const;

 private:
  const Options options_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  mutable std::vector<Call> calls_;
};

}  // namespace smoke::scheduler::testing
