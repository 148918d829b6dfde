#include "exporter/scheduler/sink_thread.h"

namespace smoke::scheduler {

SinkThread::SinkThread(ResultSink sink) : sink_(std::move(sink)) {
  thread_ = std::thread([this] { Loop(); });
}

SinkThread::~SinkThread() { Stop(); }

void SinkThread::Push(std::string name, core::ProbeResult result) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.emplace_back(std::move(name), std::move(result));
      cv_.notify_one();
      return;
    }
  }
  DeliverSafely(sink_, name, result);
}

void SinkThread::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void SinkThread::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything delivered
    std::pair<std::string, core::ProbeResult> next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    DeliverSafely(sink_, next.first, next.second);
    lock.lock();
  }
}

}  // namespace smoke::scheduler
