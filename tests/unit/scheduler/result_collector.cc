#include "tests/unit/scheduler/result_collector.h"

#include "tests/unit/scheduler/fake_probe.h"

namespace smoke::scheduler::testing {

ResultSink ResultCollector::Sink() {
  return [this](const std::string& name, const core::ProbeResult& result) {
    {
      std::lock_guard lock(mu_);
      results_[name].push_back(result);
    }
    cv_.notify_all();
  };
}

bool ResultCollector::WaitFor(const std::string& name, size_t n) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, kWaitLimit, [&] {
    auto it = results_.find(name);
    return it != results_.end() && it->second.size() >= n;
  });
}

size_t ResultCollector::Count(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = results_.find(name);
  return it == results_.end() ? 0 : it->second.size();
}

std::vector<core::ProbeResult> ResultCollector::Results(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = results_.find(name);
  return it == results_.end() ? std::vector<core::ProbeResult>{} : it->second;
}

}  // namespace smoke::scheduler::testing
