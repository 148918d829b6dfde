#include "exporter/server/big_stack.h"

#include "exporter/core/fiber.h"

namespace smoke::server {

void RunOnBigStack(const std::function<void()>& fn) {
  if (core::Fiber::Current() != nullptr) {
    fn();
    return;
  }
  thread_local core::FiberStack stack;
  core::Fiber fiber([&fn] { fn(); }, &stack);
  // `fn` does not suspend; if it did, it would simply continue here.
  while (!fiber.Resume()) {
  }
}

}  // namespace smoke::server
