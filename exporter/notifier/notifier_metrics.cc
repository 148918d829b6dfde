#include "exporter/notifier/notifier_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <exception>

#include "exporter/core/logging.h"

namespace smoke::notifier {

AlertmanagerMetrics::AlertmanagerMetrics(prometheus::Registry* registry,
                                         const std::string& alertmanager) {
  if (registry == nullptr) return;
  const prometheus::Labels labels{{"alertmanager", alertmanager}};
  // prometheus-cpp reports a clash (same name, other type) by throwing; that is a wiring bug, not
  // a reason to stop notifying, so it is logged and the notifier runs without these series.
  try {
    sent_ = &prometheus::BuildCounter()
                 .Name("smoke_notifications_sent_total")
                 .Help("Alerts in every post attempt to the Alertmanager, delivered or not.")
                 .Register(*registry)
                 .Add(labels);
    errors_ = &prometheus::BuildCounter()
                   .Name("smoke_notifications_errors_total")
                   .Help("Alerts in post attempts to the Alertmanager that failed.")
                   .Register(*registry)
                   .Add(labels);
    dropped_ = &prometheus::BuildCounter()
                    .Name("smoke_notifications_dropped_total")
                    .Help(
                        "Alerts that will never reach the Alertmanager: evicted from a full "
                        "queue, invalid, rejected by it, or still queued at shutdown.")
                    .Register(*registry)
                    .Add(labels);
    queue_length_ = &prometheus::BuildGauge()
                         .Name("smoke_notifications_queue_length")
                         .Help("Alerts waiting to be sent to the Alertmanager, incl. in flight.")
                         .Register(*registry)
                         .Add(labels);
    queue_capacity_ = &prometheus::BuildGauge()
                           .Name("smoke_notifications_queue_capacity")
                           .Help("Capacity of the Alertmanager's alert queue.")
                           .Register(*registry)
                           .Add(labels);
    latency_ = &prometheus::BuildHistogram()
                    .Name("smoke_notifications_latency_seconds")
                    .Help("Duration of post attempts to the Alertmanager.")
                    .Register(*registry)
                    .Add(labels, prometheus::Histogram::BucketBoundaries{.005, .01, .025, .05, .1,
                                                                         .25, .5, 1, 2.5, 5, 10});
  } catch (const std::exception& e) {
    core::LogError("notifier metrics could not be registered", {{"error", e.what()}});
    *this = AlertmanagerMetrics();
  }
}

void AlertmanagerMetrics::Sent(size_t alerts) const {
  if (sent_ != nullptr) sent_->Increment(static_cast<double>(alerts));
}
void AlertmanagerMetrics::Errors(size_t alerts) const {
  if (errors_ != nullptr) errors_->Increment(static_cast<double>(alerts));
}
void AlertmanagerMetrics::Dropped(size_t alerts) const {
  if (dropped_ != nullptr) dropped_->Increment(static_cast<double>(alerts));
}
void AlertmanagerMetrics::QueueLength(size_t length) const {
  if (queue_length_ != nullptr) queue_length_->Set(static_cast<double>(length));
}
void AlertmanagerMetrics::QueueCapacity(size_t capacity) const {
  if (queue_capacity_ != nullptr) queue_capacity_->Set(static_cast<double>(capacity));
}
void AlertmanagerMetrics::Latency(double seconds) const {
  if (latency_ != nullptr) latency_->Observe(seconds);
}

void SetAlertmanagerCount(prometheus::Registry* registry, size_t count) {
  if (registry == nullptr) return;
  try {
    prometheus::BuildGauge()
        .Name("smoke_notifications_alertmanagers")
        .Help("Alertmanagers the notifier sends alerts to.")
        .Register(*registry)
        .Add({})
        .Set(static_cast<double>(count));
  } catch (const std::exception& e) {
    core::LogError("notifier metrics could not be registered", {{"error", e.what()}});
  }
}

}  // namespace smoke::notifier
