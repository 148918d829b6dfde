#include "exporter/notifier/alertmanager_sender.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "exporter/core/logging.h"

namespace smoke::notifier {
namespace {

using SteadyClock = std::chrono::steady_clock;

// At most this much of an error response is kept (Alertmanager's 400 explains which alert was
// invalid in a line or two).
constexpr size_t kErrorBodyLimit = 512;
constexpr int64_t kResponseBodyLimit = 64 * 1024;

// One printable line: control characters from a hostile or broken peer become spaces.
std::string OneLine(const std::string& text, size_t limit) {
  std::string out;
  for (char c : text.substr(0, limit)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > limit) out += "...";
  return out;
}

// Statuses that condemn this batch rather than the connection: Alertmanager answers 400 when an
// alert in the batch is invalid (having stored the valid ones), 413/422 are about the payload.
// Everything else (401/403 after a credential rotation, 404 for a wrong path prefix, 5xx, 429)
// would fail any batch equally: retrying keeps the alerts until someone fixes it.
bool IsRejection(int code) { return code == 400 || code == 413 || code == 422; }

std::string Base64(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < in.size()) {
    const bool two = i + 1 < in.size();
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                       (two ? static_cast<unsigned char>(in[i + 1]) << 8 : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += two ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

void ReplaceAll(std::string& text, const std::string& needle) {
  if (needle.empty()) return;
  static const std::string kMask = "<secret>";
  for (size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + kMask.size())) {
    text.replace(pos, needle.size(), kMask);
  }
}

std::string FormatSeconds(core::Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3gs", core::ToSeconds(d));
  return buf;
}

}  // namespace

AlertmanagerSender::AlertmanagerSender(Config config, AlertmanagerMetrics metrics)
    : config_(std::move(config)), metrics_(metrics), queue_(config_.capacity) {
  status_.alertmanager = config_.label;
  status_.queue_capacity = queue_.capacity();
  metrics_.QueueCapacity(queue_.capacity());
  metrics_.QueueLength(0);
  // Touch the counters so that they read 0, not "absent", before the first event.
  metrics_.Sent(0);
  metrics_.Errors(0);
  metrics_.Dropped(0);
  thread_ = std::thread([this] { Run(); });
}

AlertmanagerSender::~AlertmanagerSender() {
  BeginStop(SteadyClock::now());
  Join();
}

void AlertmanagerSender::Enqueue(const std::vector<Alert>& alerts) {
  if (alerts.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) {
    status_.dropped += alerts.size();
    metrics_.Dropped(alerts.size());
    return;
  }
  size_t evicted = 0;
  for (const Alert& alert : alerts) evicted += queue_.Push(alert);
  if (evicted > 0) {
    status_.dropped += evicted;
    metrics_.Dropped(evicted);
  }
  metrics_.QueueLength(queue_.size());
  cv_.notify_one();
}

void AlertmanagerSender::CountDropped(size_t alerts) {
  if (alerts == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  status_.dropped += alerts;
  metrics_.Dropped(alerts);
}

void AlertmanagerSender::BeginStop(clients::SteadyTime deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) {
    drain_deadline_ = std::min(drain_deadline_, deadline);
  } else {
    stopping_ = true;
    drain_deadline_ = deadline;
  }
  cv_.notify_one();
}

void AlertmanagerSender::Join() {
  std::lock_guard<std::mutex> lock(join_mu_);
  if (thread_.joinable()) thread_.join();
}

AlertmanagerStatus AlertmanagerSender::Status() const {
  std::lock_guard<std::mutex> lock(mu_);
  AlertmanagerStatus status = status_;
  status.queue_length = queue_.size();
  return status;
}

void AlertmanagerSender::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // Wait until a batch is due, or until it is time to stop.
    while (true) {
      const auto now = SteadyClock::now();
      if (stopping_ && (queue_.empty() || now >= drain_deadline_)) {
        Finish(lock);
        return;
      }
      if (!queue_.empty() && now >= retry_at_) break;
      if (queue_.empty()) {
        cv_.wait(lock);
      } else if (stopping_) {
        cv_.wait_until(lock, std::min(retry_at_, drain_deadline_));
      } else {
        cv_.wait_until(lock, retry_at_);
      }
    }

    AlertQueue::Batch batch = queue_.Take(config_.max_batch);
    const auto start = SteadyClock::now();
    auto deadline = start + config_.alertmanager.timeout;
    if (stopping_) deadline = std::min(deadline, drain_deadline_);
    lock.unlock();
    const Attempt attempt = Post(batch.alerts, deadline);
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    lock.lock();

    metrics_.Latency(seconds);
    metrics_.Sent(batch.size());
    const core::TimePoint wall_now = config_.clock->Now();
    // Logged after the lock is released: a slow log sink must not stall Send().
    core::LogLevel level = core::LogLevel::kDebug;
    std::string message;
    core::LogFields fields = {{"alertmanager", config_.label},
                              {"alerts", std::to_string(batch.size())}};
    if (attempt.outcome == Outcome::kDelivered) {
      queue_.Remove(batch);
      if (status_.consecutive_failures > 0) {
        level = core::LogLevel::kInfo;
        message = "alertmanager accepts alerts again";
        fields.emplace_back("failed_attempts", std::to_string(status_.consecutive_failures));
      }
      status_.consecutive_failures = 0;
      status_.last_success = wall_now;
      retry_at_ = {};
    } else {
      metrics_.Errors(batch.size());
      status_.consecutive_failures++;
      status_.last_error = wall_now;
      status_.last_error_message = attempt.error;
      if (attempt.outcome == Outcome::kRejected) {
        const size_t dropped = queue_.Remove(batch);
        status_.dropped += dropped;
        metrics_.Dropped(dropped);
        // The next batch is different: no reason to wait before trying it.
        retry_at_ = {};
        level = core::LogLevel::kError;
        message = "alertmanager rejected alerts; they are dropped, not retried";
      } else {
        queue_.Release(batch);
        const core::Duration wait = BackoffDelay(status_.consecutive_failures, config_.backoff);
        retry_at_ = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(wait);
        level = core::LogLevel::kWarn;
        message = "sending alerts to alertmanager failed; will retry";
        fields.emplace_back("queued", std::to_string(queue_.size()));
        fields.emplace_back("retry_in", FormatSeconds(wait));
      }
      fields.emplace_back("error", attempt.error);
    }
    metrics_.QueueLength(queue_.size());
    if (!message.empty()) {
      lock.unlock();
      core::Log(level, message, fields);
      lock.lock();
    }
  }
}

void AlertmanagerSender::Finish(std::unique_lock<std::mutex>& lock) {
  const size_t left = queue_.Clear();
  stopped_ = true;
  status_.dropped += left;
  metrics_.Dropped(left);
  metrics_.QueueLength(0);
  const std::string label = config_.label;
  lock.unlock();
  if (left > 0) {
    core::LogWarn("alerts still queued at shutdown were dropped",
                  {{"alertmanager", label}, {"alerts", std::to_string(left)}});
  }
  lock.lock();
}

AlertmanagerSender::Attempt AlertmanagerSender::Post(const std::vector<Alert>& alerts,
                                                     clients::SteadyTime deadline) const {
  const AlertmanagerOptions& am = config_.alertmanager;
  clients::HttpRequest request;
  request.url = config_.endpoint;
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = EncodeAlerts(alerts);
  if (am.basic_auth_password.present() || !am.basic_auth_username.empty()) {
    request.basic_auth = std::make_pair(am.basic_auth_username, am.basic_auth_password.value());
  } else if (am.bearer_token.present()) {
    request.bearer_token = am.bearer_token.value();
  }
  request.connect.tls = am.tls;
  // A redirect would replay the alerts (and the credentials) somewhere the user did not name.
  request.follow_redirects = false;
  request.body_limit = kResponseBodyLimit;

  const clients::HttpResponse response = client_.Execute(request, deadline);
  Attempt attempt;
  const bool answered =
      response.status_code != 0 &&
      (response.status.ok() || response.status.error == clients::TransportError::kBodyTooLarge);
  if (!answered) {
    attempt.outcome = Outcome::kFailed;
    attempt.error = Scrub(std::string(clients::TransportErrorName(response.status.error)) + ": " +
                          OneLine(response.status.message, kErrorBodyLimit));
    return attempt;
  }
  const int code = response.status_code;
  if (code >= 200 && code < 300) {
    attempt.outcome = Outcome::kDelivered;
    return attempt;
  }
  attempt.outcome = IsRejection(code) ? Outcome::kRejected : Outcome::kFailed;
  attempt.error = "HTTP " + std::to_string(code);
  const std::string body = OneLine(response.body, kErrorBodyLimit);
  if (!body.empty()) attempt.error += ": " + body;
  attempt.error = Scrub(attempt.error);
  return attempt;
}

std::string AlertmanagerSender::Scrub(std::string text) const {
  const AlertmanagerOptions& am = config_.alertmanager;
  // The Authorization header's encoded form too: a proxy that echoes request headers in its
  // error page must not leak it into a log line.
  if (am.basic_auth_password.present()) {
    ReplaceAll(text, Base64(am.basic_auth_username + ":" + am.basic_auth_password.value()));
  }
  ReplaceAll(text, am.basic_auth_password.value());
  ReplaceAll(text, am.bearer_token.value());
  return text;
}

}  // namespace smoke::notifier
