#pragma once
// What the notifier is told (one entry per Alertmanager, queue sizes, external labels) and what
// it reports back per Alertmanager (for the status page and the readiness gate).
// Thread-safety: value types.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporter/clients/transport.h"
#include "exporter/core/clock.h"
#include "exporter/core/secret.h"
#include "exporter/notifier/backoff.h"

namespace smoke::notifier {

struct AlertmanagerOptions {
  // Base URL with an optional path prefix: "http://127.0.0.1:9093", "https://host/am".
  // Alerts go to {url}/api/v2/alerts.
  std::string url;
  core::Duration timeout = std::chrono::seconds(10);  // per post attempt
  // Basic auth (username + password) or a bearer token, not both. The caller reads the secrets
  // from their *_file / *_env keys; they are only ever sent in the Authorization header.
  std::string basic_auth_username;
  core::Secret basic_auth_password;
  core::Secret bearer_token;
  clients::TlsOptions tls;  // CA bundle, client certificate, server name for https URLs
  // The value of the alertmanager label and the name in logs and Status(); default: the API URL
  // ("http://127.0.0.1:9093/api/v2/alerts", as Prometheus labels it).
  std::string name;
};

struct NotifierOptions {
  std::vector<AlertmanagerOptions> alertmanagers;
  size_t queue_capacity = 10000;  // per Alertmanager
  size_t max_batch = 256;         // alerts per post
  // Added to every alert that lacks the label (or has it empty): the alert's own value wins.
  std::map<std::string, std::string> external_labels;
  BackoffOptions backoff;        // between retries of a failed batch
  core::Clock* clock = nullptr;  // wall clock for Status(); null = the system clock
};

// A cheap snapshot of one Alertmanager's delivery state.
struct AlertmanagerStatus {
  std::string alertmanager;  // the label value (API URL without credentials, or the name)
  size_t queue_length = 0;   // waiting alerts, incl. the batch being posted
  size_t queue_capacity = 0;
  std::optional<core::TimePoint> last_success;  // last post answered 2xx
  std::optional<core::TimePoint> last_error;    // last post that failed
  std::string last_error_message;               // of that post; never contains credentials
  // Failed attempts since the last success: > 0 means the Alertmanager is unreachable or
  // refusing alerts right now (the readiness gate's "alertmanager_unreachable").
  int consecutive_failures = 0;
  uint64_t dropped = 0;  // alerts that will never reach it (see smoke_notifications_dropped_total)
};

}  // namespace smoke::notifier
