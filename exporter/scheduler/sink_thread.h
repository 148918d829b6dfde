#pragma once
// Hands results to the sink on a thread of its own, in the order they were pushed. Runs on the
// curl loop (clients/curl_loop.h) push their results here instead of calling the sink: the sink
// takes the result store's lock, which a /metrics scrape holds while it renders every probe, and
// one loop thread waiting for it would hold back every probe's run.
// Thread-safety: Push may be called from any thread; Stop from any thread but the sink's.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "exporter/core/probe_result.h"
#include "exporter/scheduler/run_probe.h"

namespace smoke::scheduler {

class SinkThread {
 public:
  explicit SinkThread(ResultSink sink);
  ~SinkThread();  // Stop()s
  SinkThread(const SinkThread&) = delete;
  SinkThread& operator=(const SinkThread&) = delete;

  void Push(std::string name, core::ProbeResult result);
  // Delivers everything pushed so far, then joins the thread. Idempotent; later pushes are
  // delivered on the calling thread.
  void Stop();

 private:
  void Loop();

  const ResultSink sink_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, core::ProbeResult>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace smoke::scheduler
