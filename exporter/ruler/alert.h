#pragma once
// One alert of an alerting rule: a label set the rule's expression returned, with the state
// Prometheus's rules/alerting.go keeps for it (pending → firing → inactive/resolved).
// Thread-safety: a plain value type.

#include <climits>
#include <cstdint>
#include <string_view>

#include "exporter/promql/labels.h"

namespace smoke::ruler {

enum class AlertState { kInactive, kPending, kFiring };

// last_sent_at_ms of an alert never sent (Go's zero time: before any evaluation time, incl. 0).
inline constexpr int64_t kNeverSent = INT64_MIN;

// "inactive", "pending", "firing" (Prometheus's AlertState.String()).
std::string_view AlertStateName(AlertState state);

struct Alert {
  AlertState state = AlertState::kInactive;
  promql::Labels labels;       // incl. alertname
  promql::Labels annotations;  // expanded
  double value = 0;
  // Unix milliseconds; 0 means "not set" (Go's zero time.Time).
  int64_t active_at_ms = 0;
  int64_t fired_at_ms = 0;
  int64_t resolved_at_ms = 0;
  int64_t last_sent_at_ms = kNeverSent;
  int64_t valid_until_ms = 0;
  int64_t keep_firing_since_ms = 0;

  // Prometheus's needsSending: pending alerts never; resolved since the last send, or the resend
  // delay has passed.
  bool NeedsSending(int64_t ts_ms, int64_t resend_delay_ms) const;
};

}  // namespace smoke::ruler
