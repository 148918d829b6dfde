#pragma once
// Sends alerts to one or more Alertmanagers over API v2 (POST {url}/api/v2/alerts), like
// Prometheus's notifier, and better where Prometheus loses alerts:
// - each Alertmanager has its own bounded queue (drop-oldest, counted) and its own delivery
//   thread, so a slow or dead Alertmanager delays no other and never blocks the caller;
// - a failed batch is retried with capped exponential backoff instead of dropped, and the queue
//   keeps only the latest state of each alert (by label set), so an Alertmanager that was down
//   for minutes gets everything, latest state first-come, when it returns (within capacity).
// Alerts are validated and completed with the external labels in Send(); what Alertmanager
// would reject with 400 never enters a queue (dropped, counted, logged).
// Credentials never appear in logs, metric labels, Status() or errors.
//
// Thread-safety: Send, Status and Stop may be called from any thread, concurrently. Send never
// waits for the network. After Stop (or destruction) Send counts the alerts as dropped.

#include <memory>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/notifier/alert.h"
#include "exporter/notifier/notifier_options.h"

namespace prometheus {
class Registry;
}

namespace smoke::notifier {

class AlertmanagerSender;

class Notifier {
 public:
  // Fails (naming the Alertmanager by its URL, never by its credentials) for a URL that is not a
  // plain http(s) base URL, both basic auth and a bearer token, a secret that is configured but
  // could not be read, a zero queue capacity or batch size, a non-positive timeout. Metrics go to
  // `registry` (may be null); a registry that already has them (a reload) continues them.
  static core::Result<std::unique_ptr<Notifier>> Create(NotifierOptions options,
                                                        prometheus::Registry* registry);
  // Stop() with no drain time if Stop was not called.
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Drops empty label values, adds each external label an alert lacks, validates, and queues
  // the alerts for every Alertmanager. Returns at once.
  void Send(std::vector<Alert> alerts);

  // Delivers what is queued for up to `drain` (all Alertmanagers in parallel), then stops the
  // delivery threads; alerts still queued are counted as dropped. Returns when every thread
  // has stopped: by the drain deadline, or when a post in flight at that moment ends (at most
  // its timeout later). Idempotent; a second call can only shorten the drain.
  void Stop(core::Duration drain = std::chrono::seconds(5));

  // One entry per Alertmanager, in configuration order. Cheap: no I/O.
  std::vector<AlertmanagerStatus> Status() const;

 private:
  Notifier(NotifierOptions options, std::vector<std::unique_ptr<AlertmanagerSender>> senders);

  const NotifierOptions options_;
  std::vector<std::unique_ptr<AlertmanagerSender>> senders_;
};

}  // namespace smoke::notifier
