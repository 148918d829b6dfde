#include "exporter/server/handler_pool.h"

#include <algorithm>

#include "exporter/server/http_server.h"

namespace smoke::server {

HandlerPool::HandlerPool(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Work(); });
}

HandlerPool::~HandlerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

HttpResponse HandlerPool::Run(const std::function<HttpResponse()>& fn) {
  std::packaged_task<HttpResponse()> task([&fn] { return fn(); });
  std::future<HttpResponse> result = task.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return result.get();
}

void HandlerPool::Work() {
  for (;;) {
    std::packaged_task<HttpResponse()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace smoke::server
