#pragma once
// Runs tasks as fibers (core/fiber.h) on one thread that drives all their libcurl transfers
// through one multi handle. A task that calls CurlEasy::Perform is suspended until its transfer
// ends, and the thread runs other tasks meanwhile: thousands of probes waiting on slow or
// blackholed targets cost one thread and the stack pages they touched, not a thread each
// (bench/RESULTS.md, "scheduled"). The thread waits in epoll and hands libcurl only the sockets
// that are ready and the timer that expired (curl_multi_socket_action), so its work grows with
// the traffic, not with the number of transfers waiting.
//
// A task must wait only inside CurlEasy::Perform. Anything else that blocks (a lock held for
// long, a synchronous client) blocks every task of the loop until it returns. Transfers keep the
// options CurlEasy::Configure gave them: in particular a fresh connection and no DNS cache, so
// tasks sharing the multi handle still measure each probe's own connect and lookup.
// Thread-safety: Post and tasks() may be called from any thread; Stop from any thread but the
// loop's own.

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace smoke::core {
class FiberStack;
}  // namespace smoke::core

namespace smoke::clients {

class CurlLoop {
 public:
  CurlLoop();   // starts the thread; throws std::runtime_error if libcurl has no multi handle
  ~CurlLoop();  // Stop()s
  CurlLoop(const CurlLoop&) = delete;
  CurlLoop& operator=(const CurlLoop&) = delete;

  // Runs `task` on a new fiber on the loop's thread, in posting order. Returns false, dropping
  // the task, once Stop() has begun. An exception escaping the task is logged.
  bool Post(std::function<void()> task);
  // Stops taking tasks, lets every posted task finish (their transfers end by their own
  // timeouts) and joins the thread. Idempotent.
  void Stop();
  // Tasks posted and not yet finished.
  size_t tasks() const { return tasks_.load(); }

  // For CurlEasy::Perform: when the calling code is a task of a loop, performs `easy` through
  // that loop's multi handle, suspending the task until the transfer ends, and returns the
  // transfer's code. Otherwise (or if the multi handle refuses it) returns nullopt, and the
  // caller performs the transfer itself.
  static std::optional<CURLcode> PerformInCurrentTask(CURL* easy);

 private:
  struct Task;
  // The task whose fiber the loop thread is running, if any.
  static thread_local Task* current_task_;
  static int OnSocket(CURL* easy, curl_socket_t socket, int what, void* self, void* socketp);
  static int OnTimer(CURLM* multi, long timeout_ms, void* self);
  void Run();
  void WakeLocked();
  void StartPosted();
  void Resume(Task* task);
  // A task that could not get a stack: its transfer blocks the loop, but the task is not lost.
  void RunInPlace(const std::function<void()>& fn);
  // Waits for sockets, the timer or a Post, and lets libcurl act on what happened.
  void WaitAndAct();
  void CollectDone();
  // Stopping, with nothing posted and no task left.
  bool Finished();

  CURLM* multi_ = nullptr;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd that Post and Stop write to
  // When libcurl wants curl_multi_socket_action(CURL_SOCKET_TIMEOUT); loop thread only.
  std::optional<std::chrono::steady_clock::time_point> timer_;
  mutable std::mutex mu_;
  std::vector<std::function<void()>> posted_;  // not yet started
  bool stopping_ = false;
  std::atomic<size_t> tasks_{0};
  // Loop thread only:
  std::vector<std::unique_ptr<Task>> live_;  // started and not finished
  std::vector<Task*> ready_;                 // to be resumed
  std::vector<std::unique_ptr<core::FiberStack>> spare_stacks_;
  std::mutex stop_mu_;  // serializes Stop()
  std::thread thread_;
};

}  // namespace smoke::clients
