#pragma once
// A ResultSink that keeps every result per probe name and lets a test wait for the n-th one.
// Waiting on the sink (rather than sleeping) is what makes the scheduler tests deterministic.

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/core/probe_result.h"
#include "exporter/scheduler/scheduler.h"

namespace smoke::scheduler::testing {

// Thread-safe. Must outlive the scheduler it is attached to.
class ResultCollector {
 public:
  ResultSink Sink();
  // Waits until `name` has at least `n` results; false after kWaitLimit.
  bool WaitFor(const std::string& name, size_t n) const;
  size_t Count(const std::string& name) const;
  std::vector<core::ProbeResult> Results(const std::string& name) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<std::string, std::vector<core::ProbeResult>> results_;
};

}  // namespace smoke::scheduler::testing
