#pragma once
// Speeds up the shutdown of a server whose accept loop sleeps in poll() between stop-flag checks.
// CivetWeb's master thread polls its listening sockets with a 2 s timeout, so mg_stop() takes up
// to 2 s unless a connection arrives: while a ListenerWaker is alive it connects to each given
// loopback port every few milliseconds, which makes poll() return and the loop see its flag.
//
// Usage: { core::ListenerWaker waker(ports); server->close(); }
// Servers bound to a specific non-loopback address are not reached; they just stop as slowly as
// before. Thread-safe: construct and destroy on one thread.

#include <atomic>
#include <thread>
#include <vector>

namespace smoke::core {

class ListenerWaker {
 public:
  explicit ListenerWaker(std::vector<int> ports);
  ~ListenerWaker();  // stops connecting and joins
  ListenerWaker(const ListenerWaker&) = delete;
  ListenerWaker& operator=(const ListenerWaker&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace smoke::core
