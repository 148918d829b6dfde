#pragma once
// For tests of stack sizes (fibers, big stacks, handlers): uses about `kb` KiB of stack and
// returns `kb`.

namespace smoke::testing {

// The addition after the call keeps it from being a tail call, so every frame stays on the stack.
inline int UseStack(int kb) {
  volatile char frame[1024];
  frame[0] = 1;
  return kb == 0 ? 0 : UseStack(kb - 1) + frame[0];
}

}  // namespace smoke::testing
