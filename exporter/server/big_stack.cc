#include "exporter/server/big_stack.h"

#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <exception>
#include <new>
#include <stdexcept>

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

namespace smoke::server {
namespace {

// kBigStackBytes of usable stack above one inaccessible guard page.
class Stack {
 public:
  Stack() : guard_(static_cast<size_t>(sysconf(_SC_PAGESIZE))) {
    void* p = mmap(nullptr, guard_ + kBigStackBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) return;
    if (mprotect(p, guard_, PROT_NONE) != 0) {
      munmap(p, guard_ + kBigStackBytes);
      return;
    }
    base_ = static_cast<char*>(p);
  }
  ~Stack() {
    if (base_ != nullptr) munmap(base_, guard_ + kBigStackBytes);
  }
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  bool ok() const { return base_ != nullptr; }
  void* lowest() const { return base_ + guard_; }

 private:
  const size_t guard_;
  char* base_ = nullptr;
};

struct Call {
  const std::function<void()>* fn = nullptr;
  std::exception_ptr error;
  ucontext_t caller{};
  ucontext_t callee{};
  // AddressSanitizer's bookkeeping of the two stacks.
  void* fake_stack = nullptr;
  const void* caller_lowest = nullptr;
  size_t caller_size = 0;
};

thread_local Call* current = nullptr;

// Runs on the big stack; returning resumes the caller through uc_link.
void Enter() {
  Call* call = current;
#ifdef SMOKE_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(nullptr, &call->caller_lowest, &call->caller_size);
#endif
  try {
    (*call->fn)();
  } catch (...) {
    call->error = std::current_exception();
  }
#ifdef SMOKE_ASAN_FIBERS
  // This stack is left for good (it is reset before its next use).
  __sanitizer_start_switch_fiber(nullptr, call->caller_lowest, call->caller_size);
#endif
}

}  // namespace

void RunOnBigStack(const std::function<void()>& fn) {
  if (current != nullptr) {  // already on the big stack
    fn();
    return;
  }
  thread_local Stack stack;
  if (!stack.ok()) throw std::bad_alloc();
  Call call;
  call.fn = &fn;
  if (getcontext(&call.callee) != 0) throw std::runtime_error("getcontext failed");
  call.callee.uc_stack.ss_sp = stack.lowest();
  call.callee.uc_stack.ss_size = kBigStackBytes;
  call.callee.uc_link = &call.caller;
  makecontext(&call.callee, &Enter, 0);
  current = &call;
#ifdef SMOKE_ASAN_FIBERS
  __sanitizer_start_switch_fiber(&call.fake_stack, stack.lowest(), kBigStackBytes);
#endif
  const int rc = swapcontext(&call.caller, &call.callee);
#ifdef SMOKE_ASAN_FIBERS
  __sanitizer_finish_switch_fiber(call.fake_stack, nullptr, nullptr);
#endif
  current = nullptr;
  if (rc != 0) throw std::runtime_error("swapcontext failed");
  if (call.error) std::rethrow_exception(call.error);
}

}  // namespace smoke::server
