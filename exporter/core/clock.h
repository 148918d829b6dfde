#pragma once
// Time source behind an interface so that schedules, deadlines and ages are testable without
// sleeping (leveldb Env::NowMicros, Envoy TimeSource).

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace smoke::core {

using Duration = std::chrono::nanoseconds;
// Wall-clock time (what users see, what Prometheus timestamps are).
using TimePoint = std::chrono::system_clock::time_point;

double ToSeconds(Duration d);
double ToUnixSeconds(TimePoint t);
Duration FromSeconds(double seconds);

// Thread-safe: implementations may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Blocks until Now() >= deadline or Wake() is called; returns early on Wake().
  // The manual clock returns only when time is advanced past `deadline` or on Wake().
  virtual void SleepUntil(TimePoint deadline) = 0;
  // Interrupts every SleepUntil in progress (used for shutdown and for new work).
  virtual void Wake() = 0;
};

// The real clock. Thread-safe.
class SystemClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  void SleepUntil(TimePoint deadline) override;
  void Wake() override;

  // A process-wide instance.
  static SystemClock& Default();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  unsigned long generation_ = 0;
};

// A clock that only moves when told to. Thread-safe.
class ManualClock : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)))
      : now_(start) {}
  TimePoint Now() const override;
  void SleepUntil(TimePoint deadline) override;
  void Wake() override;
  void Advance(Duration d);
  void Set(TimePoint t);

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  TimePoint now_;
  unsigned long generation_ = 0;
};

}  // namespace smoke::core
