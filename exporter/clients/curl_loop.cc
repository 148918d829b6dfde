#include "exporter/clients/curl_loop.h"

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

#include "exporter/clients/curl_easy.h"
#include "exporter/core/fiber.h"
#include "exporter/core/logging.h"

namespace smoke::clients {
namespace {

// The loop never waits longer than this with nothing to do: a bound, not a period (Post wakes
// it, and libcurl shortens the wait to its own next timeout).
constexpr int kMaxWaitMillis = 1000;
// Stacks of finished tasks kept for the next ones. A stack keeps the pages its task touched
// (tens of KiB), so this bounds what idle stacks hold; the others are unmapped.
constexpr size_t kSpareStacks = 64;

}  // namespace

struct CurlLoop::Task {
  CurlLoop* loop = nullptr;
  size_t index = 0;  // in live_
  std::unique_ptr<core::FiberStack> stack;
  std::unique_ptr<core::Fiber> fiber;
  CURLcode code = CURLE_OK;  // of the transfer it waited for
};

thread_local CurlLoop::Task* CurlLoop::current_task_ = nullptr;

CurlLoop::CurlLoop() {
  EnsureCurlGlobalInit();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  thread_ = std::thread([this] { Run(); });
}

CurlLoop::~CurlLoop() {
  Stop();
  curl_multi_cleanup(multi_);
}

bool CurlLoop::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    posted_.push_back(std::move(task));
    ++tasks_;
  }
  curl_multi_wakeup(multi_);
  return true;
}

void CurlLoop::Stop() {
  std::lock_guard stop(stop_mu_);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  if (thread_.joinable()) thread_.join();
}

std::optional<CURLcode> CurlLoop::PerformInCurrentTask(CURL* easy) {
  Task* task = current_task_;
  // Only the task's own fiber may suspend it (not a fiber it started itself).
  if (task == nullptr || core::Fiber::Current() != task->fiber.get()) return std::nullopt;
  curl_easy_setopt(easy, CURLOPT_PRIVATE, task);
  if (curl_multi_add_handle(task->loop->multi_, easy) != CURLM_OK) return std::nullopt;
  core::Fiber::Suspend();  // CollectDone() removes the handle and resumes us
  return task->code;
}

void CurlLoop::Run() {
  while (true) {
    StartPosted();
    // Run every runnable task until it waits on a transfer or ends; each Resume may make others
    // runnable only through libcurl, which is read below.
    std::vector<Task*> ready;
    ready.swap(ready_);
    for (Task* task : ready) Resume(task);
    int running = 0;
    curl_multi_perform(multi_, &running);
    CollectDone();
    if (!ready_.empty()) continue;
    if (Idle()) return;
    curl_multi_poll(multi_, nullptr, 0, kMaxWaitMillis, nullptr);
  }
}

// Whether the loop is done (stopping, nothing posted or live); otherwise whether it may wait.
bool CurlLoop::Idle() {
  std::lock_guard lock(mu_);
  return stopping_ && posted_.empty() && live_.empty();
}

void CurlLoop::StartPosted() {
  std::vector<std::function<void()>> posted;
  {
    std::lock_guard lock(mu_);
    posted.swap(posted_);
  }
  for (std::function<void()>& fn : posted) {
    auto task = std::make_unique<Task>();
    task->loop = this;
    if (!spare_stacks_.empty()) {
      task->stack = std::move(spare_stacks_.back());
      spare_stacks_.pop_back();
    } else {
      try {
        task->stack = std::make_unique<core::FiberStack>();
      } catch (const std::exception& e) {
        core::LogError("curl loop: cannot map a stack for a task; the task is dropped",
                       {{"error", e.what()}});
        --tasks_;
        continue;
      }
    }
    task->fiber = std::make_unique<core::Fiber>(std::move(fn), task->stack.get());
    task->index = live_.size();
    ready_.push_back(task.get());
    live_.push_back(std::move(task));
  }
}

void CurlLoop::Resume(Task* task) {
  bool finished = true;
  current_task_ = task;
  try {
    finished = task->fiber->Resume();
  } catch (const std::exception& e) {
    core::LogError("curl loop: a task threw an exception", {{"error", e.what()}});
  } catch (...) {
    core::LogError("curl loop: a task threw an exception", {{"error", "unknown"}});
  }
  current_task_ = nullptr;
  if (!finished) return;  // waiting on a transfer
  std::unique_ptr<Task> done = std::move(live_[task->index]);
  if (task->index + 1 != live_.size()) {
    live_[task->index] = std::move(live_.back());
    live_[task->index]->index = task->index;
  }
  live_.pop_back();
  done->fiber.reset();
  if (spare_stacks_.size() < kSpareStacks) spare_stacks_.push_back(std::move(done->stack));
  --tasks_;
}

void CurlLoop::CollectDone() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    const CURLcode code = msg->data.result;  // msg is invalid after remove_handle
    Task* task = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &task);
    curl_multi_remove_handle(multi_, easy);
    if (task == nullptr) continue;
    task->code = code;
    ready_.push_back(task);
  }
}

}  // namespace smoke::clients
