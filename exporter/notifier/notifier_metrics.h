#pragma once
// The notifier's metrics, named after Prometheus's prometheus_notifications_* with a smoke_
// prefix and with the same meaning, so the Prometheus mixin's alerts translate unchanged:
//   smoke_notifications_sent_total{alertmanager}          counter: alerts in every post attempt,
//                                                          delivered or not (as Prometheus)
//   smoke_notifications_errors_total{alertmanager}        counter: alerts in failed attempts
//   smoke_notifications_dropped_total{alertmanager}       counter: alerts that will never reach
//                                                          it: evicted from a full queue, invalid,
//                                                          rejected (4xx), left at shutdown
//   smoke_notifications_queue_length{alertmanager}        gauge: alerts waiting (incl. in flight)
//   smoke_notifications_queue_capacity{alertmanager}      gauge
//   smoke_notifications_latency_seconds{alertmanager}     histogram: duration of each post attempt
//   smoke_notifications_alertmanagers                     gauge: Alertmanagers configured
// Alerts delivered = sent - errors. The alertmanager label is the API URL without credentials
// (or the configured name).

#include <cstddef>
#include <string>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
}  // namespace prometheus

namespace smoke::notifier {

// The series of one Alertmanager. Every method is a no-op when the registry was null or
// registration failed.
// Thread-safety: thread-safe (prometheus-cpp metrics are atomic).
class AlertmanagerMetrics {
 public:
  AlertmanagerMetrics() = default;  // all no-ops
  // Registers (or, with a registry that already has them, reuses) the series for `alertmanager`.
  AlertmanagerMetrics(prometheus::Registry* registry, const std::string& alertmanager);

  void Sent(size_t alerts) const;
  void Errors(size_t alerts) const;
  void Dropped(size_t alerts) const;
  void QueueLength(size_t length) const;
  void QueueCapacity(size_t capacity) const;
  void Latency(double seconds) const;

 private:
  prometheus::Counter* sent_ = nullptr;
  prometheus::Counter* errors_ = nullptr;
  prometheus::Counter* dropped_ = nullptr;
  prometheus::Gauge* queue_length_ = nullptr;
  prometheus::Gauge* queue_capacity_ = nullptr;
  prometheus::Histogram* latency_ = nullptr;
};

// Sets smoke_notifications_alertmanagers (no-op with a null registry).
void SetAlertmanagerCount(prometheus::Registry* registry, size_t count);

}  // namespace smoke::notifier
