#include "tests/support/gate.h"

namespace smoke::testing {

void Gate::Open() {
  {
    std::lock_guard lock(mu_);
    open_ = true;
  }
  cv_.notify_all();
}

bool Gate::Wait(std::chrono::milliseconds max) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, max, [this] { return open_; });
}

}  // namespace smoke::testing
