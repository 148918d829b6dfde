#include "exporter/clients/curl_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
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
// Events taken from epoll per wait.
constexpr int kMaxEvents = 256;
// Stacks of finished tasks kept for the next ones. A stack keeps the pages its task touched
// (tens of KiB), so this bounds what idle stacks hold; the others are unmapped.
constexpr size_t kSpareStacks = 64;

// Runs `fn`; an exception escaping it is logged.
template <typename Fn>
void Guarded(Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    core::LogError("curl loop: a task threw an exception", {{"error", e.what()}});
  } catch (...) {
    core::LogError("curl loop: a task threw an exception", {{"error", "unknown"}});
  }
}

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
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event wake{};
  wake.events = EPOLLIN;
  wake.data.fd = wake_fd_;
  if (multi_ == nullptr || epoll_fd_ < 0 || wake_fd_ < 0 ||
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake) != 0) {
    const std::string error = "cannot set up the curl loop: " + std::string(strerror(errno));
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (epoll_fd_ >= 0) close(epoll_fd_);
    if (wake_fd_ >= 0) close(wake_fd_);
    throw std::runtime_error(error);
  }
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlLoop::OnSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlLoop::OnTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  thread_ = std::thread([this] { Run(); });
}

CurlLoop::~CurlLoop() {
  Stop();
  curl_multi_cleanup(multi_);
  close(epoll_fd_);
  close(wake_fd_);
}

bool CurlLoop::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    posted_.push_back(std::move(task));
    ++tasks_;
    WakeLocked();
  }
  return true;
}

void CurlLoop::Stop() {
  std::lock_guard stop(stop_mu_);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    WakeLocked();
  }
  if (thread_.joinable()) thread_.join();
}

void CurlLoop::WakeLocked() {
  const uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof one);  // fails only when the counter is full: awake anyway
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
    // Run every runnable task until it waits on a transfer or ends. A task becomes runnable
    // again only when libcurl reports its transfer done (CollectDone).
    std::vector<Task*> ready;
    ready.swap(ready_);
    for (Task* task : ready) Resume(task);
    if (Finished()) return;
    WaitAndAct();
    CollectDone();
  }
}

int CurlLoop::OnSocket(CURL*, curl_socket_t socket, int what, void* self, void*) {
  const int epoll_fd = static_cast<CurlLoop*>(self)->epoll_fd_;
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, socket, nullptr);  // may be closed already: ignored
    return 0;
  }
  epoll_event ev{};
  ev.data.fd = socket;
  if ((what & CURL_POLL_IN) != 0) ev.events |= EPOLLIN;
  if ((what & CURL_POLL_OUT) != 0) ev.events |= EPOLLOUT;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, socket, &ev) != 0 && errno == ENOENT) {
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, socket, &ev);
  }
  return 0;
}

int CurlLoop::OnTimer(CURLM*, long timeout_ms, void* self) {
  auto* loop = static_cast<CurlLoop*>(self);
  if (timeout_ms < 0) {
    loop->timer_.reset();
  } else {
    loop->timer_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

void CurlLoop::WaitAndAct() {
  int wait_ms = kMaxWaitMillis;
  if (timer_) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(*timer_ - std::chrono::steady_clock::now());
    wait_ms = static_cast<int>(std::clamp<int64_t>(left.count(), 0, kMaxWaitMillis));
  }
  epoll_event events[kMaxEvents];
  const int n = epoll_wait(epoll_fd_, events, kMaxEvents, wait_ms);
  int running = 0;
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == wake_fd_) {
      uint64_t count = 0;
      (void)!read(wake_fd_, &count, sizeof count);
      continue;
    }
    int mask = 0;
    if ((events[i].events & EPOLLIN) != 0) mask |= CURL_CSELECT_IN;
    if ((events[i].events & EPOLLOUT) != 0) mask |= CURL_CSELECT_OUT;
    if ((events[i].events & (EPOLLERR | EPOLLHUP)) != 0) mask |= CURL_CSELECT_ERR;
    curl_multi_socket_action(multi_, fd, mask, &running);
  }
  if (timer_ && std::chrono::steady_clock::now() >= *timer_) {
    timer_.reset();  // libcurl sets the next one from inside the call
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  }
}

bool CurlLoop::Finished() {
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
        // Dropping the task would lose its run (and whatever waits for it): run it here
        // instead, where its transfer blocks the loop but completes.
        core::LogError("curl loop: cannot map a stack; running a task on the loop's own stack",
                       {{"error", e.what()}});
        RunInPlace(fn);
        continue;
      }
    }
    task->fiber = std::make_unique<core::Fiber>(std::move(fn), task->stack.get());
    task->index = live_.size();
    ready_.push_back(task.get());
    live_.push_back(std::move(task));
  }
}

void CurlLoop::RunInPlace(const std::function<void()>& fn) {
  Guarded(fn);
  --tasks_;
}

void CurlLoop::Resume(Task* task) {
  bool finished = true;
  current_task_ = task;
  Guarded([&] { finished = task->fiber->Resume(); });
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
