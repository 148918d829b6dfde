#pragma once
// A one-way latch for fake-server handlers that must block ("never answer", "hang after the
// headers") until the test is done, instead of sleeping for a fixed time.
// Thread-safety: all methods are thread-safe.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace smoke::testing {

class Gate {
 public:
  // Releases every waiter, now and later.
  void Open();
  // Blocks until Open() or until `max` passed (only a safety net so a broken test cannot hang
  // the suite). Returns whether the gate was opened.
  bool Wait(std::chrono::milliseconds max = std::chrono::seconds(30));

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Opens a gate when it goes out of scope, also when an ASSERT returns early. Declare it after the
// server whose handlers wait on the gate: it is destroyed first, so the handlers return before
// the server joins its worker threads.
class GateOpener {
 public:
  explicit GateOpener(std::shared_ptr<Gate> gate) : gate_(std::move(gate)) {}
  ~GateOpener() { gate_->Open(); }
  GateOpener(const GateOpener&) = delete;
  GateOpener& operator=(const GateOpener&) = delete;

 private:
  std::shared_ptr<Gate> gate_;
};

}  // namespace smoke::testing
