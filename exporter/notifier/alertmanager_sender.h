#pragma once
// Delivery to one Alertmanager: its own queue (AlertQueue) and its own thread, which posts
// batches to {url}/api/v2/alerts and, unlike Prometheus (which drops a failed batch), keeps a
// failed batch at the head of the queue and retries it with capped exponential backoff, so an
// Alertmanager that was down for minutes receives every alert's latest state when it returns.
//
// Outcomes of one post:
//   2xx            delivered; the batch leaves the queue
//   400, 413, 422  this batch is rejected for good (retrying cannot help, and would block every
//                  alert behind it); the batch leaves the queue, counted as dropped
//   anything else  failed (refused, timeout, 5xx, 429, also 401/403/404, which a fix on the
//                  Alertmanager side cures for every batch alike): kept and retried
//
// Thread-safety: Enqueue, CountDropped, Status and BeginStop are thread-safe and never wait for
// the network (the lock is never held during a post). Join may be called from several threads.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/clients/transport.h"
#include "exporter/core/clock.h"
#include "exporter/notifier/alert.h"
#include "exporter/notifier/alert_queue.h"
#include "exporter/notifier/backoff.h"
#include "exporter/notifier/notifier_metrics.h"
#include "exporter/notifier/notifier_options.h"

namespace smoke::notifier {

class AlertmanagerSender {
 public:
  struct Config {
    AlertmanagerOptions alertmanager;
    std::string endpoint;  // {url}/api/v2/alerts
    std::string label;     // alertmanager label value, log and status name
    size_t capacity = 10000;
    size_t max_batch = 256;
    BackoffOptions backoff;
    core::Clock* clock = nullptr;  // required: wall clock for Status()
  };

  // Starts the delivery thread.
  AlertmanagerSender(Config config, AlertmanagerMetrics metrics);
  // Stops at once (what is still queued is counted as dropped) unless Join already ran.
  ~AlertmanagerSender();
  AlertmanagerSender(const AlertmanagerSender&) = delete;
  AlertmanagerSender& operator=(const AlertmanagerSender&) = delete;

  // Queues the alerts (already validated, external labels applied). After the thread has
  // stopped they are counted as dropped instead.
  void Enqueue(const std::vector<Alert>& alerts);
  // Counts alerts that were meant for this Alertmanager but never queued (invalid).
  void CountDropped(size_t alerts);
  // Asks the thread to deliver what is queued until `deadline`, then stop.
  void BeginStop(clients::SteadyTime deadline);
  // Waits for the thread. A post in flight when the deadline passes is not cut short: Join can
  // take up to that post's timeout longer.
  void Join();

  AlertmanagerStatus Status() const;

 private:
  enum class Outcome { kDelivered, kFailed, kRejected };
  struct Attempt {
    Outcome outcome = Outcome::kFailed;
    std::string error;  // credentials scrubbed
  };

  void Run();
  Attempt Post(const std::vector<Alert>& alerts, clients::SteadyTime deadline) const;
  // `text` with every credential value replaced by "<secret>".
  std::string Scrub(std::string text) const;
  void Finish(std::unique_lock<std::mutex>& lock);

  const Config config_;
  const AlertmanagerMetrics metrics_;
  const clients::CurlHttpClient client_{};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  AlertQueue queue_;
  bool stopping_ = false;
  bool stopped_ = false;
  clients::SteadyTime drain_deadline_{};
  clients::SteadyTime retry_at_{};
  AlertmanagerStatus status_;

  std::mutex join_mu_;  // std::thread::join must not run twice at once
  std::thread thread_;  // last: starts after everything above is initialised
};

}  // namespace smoke::notifier
