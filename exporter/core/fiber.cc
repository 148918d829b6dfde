#include "exporter/core/fiber.h"

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <new>
#include <stdexcept>
#include <utility>

// AddressSanitizer must be told when the stack changes, or it reports false errors.
#if defined(__SANITIZE_ADDRESS__)
#define SMOKE_ASAN_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SMOKE_ASAN_FIBERS 1
#endif
#endif
#ifdef SMOKE_ASAN_FIBERS
#include <sanitizer/common_interface_defs.h>
#endif

namespace smoke::core {

FiberStack::FiberStack() : guard_(static_cast<size_t>(sysconf(_SC_PAGESIZE))) {
  void* p = mmap(nullptr, guard_ + kFiberStackBytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  if (mprotect(p, guard_, PROT_NONE) != 0) {
    munmap(p, guard_ + kFiberStackBytes);
    throw std::bad_alloc();
  }
  base_ = static_cast<char*>(p);
}

FiberStack::~FiberStack() { munmap(base_, guard_ + kFiberStackBytes); }

struct Fiber::Context {
  std::function<void()> fn;
  FiberStack* stack = nullptr;
  ucontext_t self{};
  ucontext_t caller{};  // where Suspend() and the end of `fn` return to
  bool started = false;
  bool finished = false;
  std::exception_ptr error;
  Fiber* previous = nullptr;  // Current() of the resumer
  // AddressSanitizer's bookkeeping of the two stacks.
  void* caller_fake_stack = nullptr;
  void* fiber_fake_stack = nullptr;
  const void* caller_lowest = nullptr;
  size_t caller_size = 0;
};

namespace {
thread_local Fiber* current = nullptr;
}  // namespace

Fiber::Fiber(std::function<void()> fn, FiberStack* stack) : ctx_(std::make_unique<Context>()) {
  ctx_->fn = std::move(fn);
  ctx_->stack = stack;
}

Fiber::~Fiber() = default;

bool Fiber::done() const { return ctx_->finished; }

Fiber* Fiber::Current() { return current; }

void Fiber::Enter() {
  Context& c = *current->ctx_;
#ifdef SMOKE_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(nullptr, &c.caller_lowest, &c.caller_size);
#endif
  try {
    c.fn();
  } catch (...) {
    c.error = std::current_exception();
  }
  c.finished = true;
#ifdef SMOKE_ASAN_FIBERS
  // This stack is left for good: no fake stack to keep.
  __sanitizer_start_switch_fiber(nullptr, c.caller_lowest, c.caller_size);
#endif
  // Returning resumes c.caller through uc_link.
}

bool Fiber::Resume() {
  Context& c = *ctx_;
  if (c.finished) throw std::logic_error("Fiber::Resume on a finished fiber");
  if (!c.started) {
    if (getcontext(&c.self) != 0) throw std::runtime_error("getcontext failed");
    c.self.uc_stack.ss_sp = c.stack->lowest();
    c.self.uc_stack.ss_size = kFiberStackBytes;
    c.self.uc_link = &c.caller;
    makecontext(&c.self, &Fiber::Enter, 0);
    c.started = true;
  }
  c.previous = current;
  current = this;
#ifdef SMOKE_ASAN_FIBERS
  __sanitizer_start_switch_fiber(&c.caller_fake_stack, c.stack->lowest(), kFiberStackBytes);
#endif
  const int rc = swapcontext(&c.caller, &c.self);
#ifdef SMOKE_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(c.caller_fake_stack, nullptr, nullptr);
#endif
  current = c.previous;
  if (rc != 0) throw std::runtime_error("swapcontext failed");
  if (c.error) std::rethrow_exception(std::exchange(c.error, nullptr));
  return c.finished;
}

void Fiber::Suspend() {
  if (current == nullptr) throw std::logic_error("Fiber::Suspend outside a fiber");
  Context& c = *current->ctx_;
#ifdef SMOKE_ASAN_FIBERS
  __sanitizer_start_switch_fiber(&c.fiber_fake_stack, c.caller_lowest, c.caller_size);
#endif
  swapcontext(&c.self, &c.caller);
#ifdef SMOKE_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(c.fiber_fake_stack, &c.caller_lowest, &c.caller_size);
#endif
}

}  // namespace smoke::core
