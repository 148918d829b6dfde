#include "exporter/core/clock.h"

namespace smoke::core {

double ToSeconds(Duration d) { return std::chrono::duration<double>(d).count(); }

double ToUnixSeconds(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

Duration FromSeconds(double seconds) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
}

void SystemClock::SleepUntil(TimePoint deadline) {
  std::unique_lock lock(mu_);
  const unsigned long start = generation_;
  cv_.wait_until(lock, deadline, [&] { return generation_ != start; });
}

void SystemClock::Wake() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

SystemClock& SystemClock::Default() {
  static SystemClock clock;
  return clock;
}

TimePoint ManualClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void ManualClock::SleepUntil(TimePoint deadline) {
  std::unique_lock lock(mu_);
  const unsigned long start = generation_;
  cv_.wait(lock, [&] { return now_ >= deadline || generation_ != start; });
}

void ManualClock::Wake() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

void ManualClock::Advance(Duration d) {
  {
    std::lock_guard lock(mu_);
    now_ += std::chrono::duration_cast<TimePoint::duration>(d);
  }
  cv_.notify_all();
}

void ManualClock::Set(TimePoint t) {
  {
    std::lock_guard lock(mu_);
    now_ = t;
  }
  cv_.notify_all();
}

}  // namespace smoke::core
