#pragma once
// Runs request handlers on threads with the platform's default stack (8 MB on Linux) instead of
// on CivetWeb's workers, whose stacks Debian's libcivetweb fixes at 100 KB at build time (no
// runtime option). That is too little for the PromQL parser, the config loader or rule
// evaluation on deep but valid input: a stack overflow would kill the exporter. The CivetWeb
// worker blocks while its handler runs, so at most as many tasks wait as there are workers.
// Thread-safety: Run() may be called from any number of threads; destruction joins the pool
// after the queued tasks have run.

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace smoke::server {

struct HttpResponse;

class HandlerPool {
 public:
  explicit HandlerPool(int threads);
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  // Runs `fn` on a pool thread and returns its result (or rethrows its exception).
  HttpResponse Run(const std::function<HttpResponse()>& fn);

 private:
  void Work();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<HttpResponse()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace smoke::server
