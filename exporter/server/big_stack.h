#pragma once
// Runs a function on a large stack (core::kFiberStackBytes, the platform's default thread stack)
// on the calling thread. CivetWeb's workers have 100 KB stacks, fixed when Debian built
// libcivetweb: too little for the PromQL parser, the config loader or rule evaluation on deep but
// valid input, where a stack overflow would kill the exporter. Handing each request to a thread
// with a full-size stack cost two context switches per request, a quarter of /probe's CPU
// (bench/RESULTS.md); switching stacks on the same thread (core/fiber.h) costs two signal-mask
// system calls.
//
// Each thread keeps its stack for the next call. An exception thrown by `fn` is rethrown to the
// caller.
// Thread-safety: callable from any thread. A call made while already on a fiber's stack (which
// is as large) runs `fn` directly.

#include <functional>

namespace smoke::server {

// Throws std::bad_alloc when the stack cannot be mapped.
void RunOnBigStack(const std::function<void()>& fn);

}  // namespace smoke::server
