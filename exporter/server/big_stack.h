#pragma once
// Runs a function on a large stack (8 MiB, the platform's default thread stack) on the calling
// thread. CivetWeb's workers have 100 KB stacks, fixed when Debian built libcivetweb: too little
// for the PromQL parser, the config loader or rule evaluation on deep but valid input, where a
// stack overflow would kill the exporter. Handing each request to a thread with a full-size
// stack cost two context switches per request, a quarter of /probe's CPU (bench/RESULTS.md);
// switching stacks on the same thread (ucontext) costs two signal-mask system calls.
//
// Each thread keeps its stack for the next call (memory is committed only where it was touched).
// A guard page below it turns an overflow into a crash, as on a thread's own stack, never into
// silent corruption. An exception thrown by `fn` is rethrown to the caller.
// Thread-safety: callable from any thread. A call made while already on the big stack runs `fn`
// directly.

#include <cstddef>
#include <functional>

namespace smoke::server {

inline constexpr size_t kBigStackBytes = size_t{8} << 20;

// Throws std::bad_alloc when the stack cannot be mapped.
void RunOnBigStack(const std::function<void()>& fn);

}  // namespace smoke::server
