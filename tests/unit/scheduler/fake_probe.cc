#include "tests/unit/scheduler/fake_probe.h"

#include <algorithm>
#include <stdexcept>

namespace smoke::scheduler::testing {

void Gate::Open() {
  {
    std::lock_guard lock(mu_);
    open_ = true;
  }
  cv_.notify_all();
}

void Gate::Wait() const {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return open_; });
}

void ConcurrencyMeter::Enter() {
  {
    std::lock_guard lock(mu_);
    ++current_;
    max_ = std::max(max_, current_);
  }
  cv_.notify_all();
}

void ConcurrencyMeter::Leave() {
  {
    std::lock_guard lock(mu_);
    --current_;
  }
  cv_.notify_all();
}

int ConcurrencyMeter::current() const {
  std::lock_guard lock(mu_);
  return current_;
}

int ConcurrencyMeter::max() const {
  std::lock_guard lock(mu_);
  return max_;
}

bool ConcurrencyMeter::WaitForCurrent(int n) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, kWaitLimit, [&] { return current_ >= n; });
}

core::ProbeResult FakeProbe::Run(const probes::RunContext& ctx) const {
  const core::TimePoint start = ctx.clock->Now();
  {
    std::lock_guard lock(mu_);
    calls_.push_back({start, ctx.deadline});
  }
  cv_.notify_all();
  if (options_.meter != nullptr) options_.meter->Enter();
  if (options_.gate != nullptr) options_.gate->Wait();
  if (options_.meter != nullptr) options_.meter->Leave();
  if (options_.throws) throw std::runtime_error("fake probe failure");

  core::ProbeResult result;
  result.outcome = core::Outcome::kOk;
  result.reason = core::Reason::kNone;
  result.message = options_.message;
  result.started = start;
  return result;
}

std::vector<FakeProbe::Call> FakeProbe::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

size_t FakeProbe::call_count() const {
  std::lock_guard lock(mu_);
  return calls_.size();
}

bool FakeProbe::WaitForCalls(size_t n) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, kWaitLimit, [&] { return calls_.size() >= n; });
}

}  // namespace smoke::scheduler::testing
