#pragma once
// A fiber: a function running on its own stack that can suspend itself and be resumed later by
// the thread that owns it (ucontext). Two users: server/big_stack.h runs HTTP handlers on a
// full-size stack without a thread handoff, and clients/curl_loop.h runs thousands of HTTP
// probes on one thread, each suspended while its transfer waits on the network.
//
// Stacks are mapped, not allocated: memory is committed only where it was touched, and a guard
// page below each stack turns an overflow into a crash, as on a thread's own stack, never into
// silent corruption. AddressSanitizer is told about every switch.
// Thread-safety: a Fiber is resumed by one thread at a time, and always by the same thread while
// it is suspended mid-way (thread-local state such as errno would otherwise move under it).

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>

namespace smoke::core {

// The platform's default thread stack.
inline constexpr size_t kFiberStackBytes = size_t{8} << 20;

// kFiberStackBytes of usable stack above one inaccessible guard page.
class FiberStack {
 public:
  FiberStack();  // throws std::bad_alloc when the stack cannot be mapped
  ~FiberStack();
  FiberStack(const FiberStack&) = delete;
  FiberStack& operator=(const FiberStack&) = delete;

  void* lowest() const { return base_ + guard_; }

 private:
  size_t guard_;
  char* base_ = nullptr;
};

class Fiber {
 public:
  // `fn` runs on `stack` at the first Resume(). The stack must outlive the fiber and is not
  // used by anything else until the fiber is done or destroyed.
  Fiber(std::function<void()> fn, FiberStack* stack);
  ~Fiber();  // must not be called while the fiber is suspended mid-way
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Runs the fiber until it suspends or returns. Returns true once `fn` has returned; an
  // exception thrown by `fn` is rethrown here. Must not be called on a finished fiber.
  bool Resume();
  bool done() const;

  // The fiber the calling code runs on, or null on a thread's own stack.
  static Fiber* Current();
  // Switches back to the code that called Resume(). Only on a fiber (Current() != null).
  static void Suspend();

 private:
  struct Context;
  static void Enter();
  std::unique_ptr<Context> ctx_;
};

}  // namespace smoke::core
