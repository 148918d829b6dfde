#pragma once
// The alert state persisted across restarts: every alerting rule's alerts with their timers, and
// when the state was saved (the "down at" time of Prometheus's for-state restore).
// Format: one JSON document, version 1, written atomically.
// Thread-safety: reentrant.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/ruler/alert.h"

namespace smoke::ruler {

struct SavedRuleAlerts {
  std::string group_key;  // Group::Key()
  std::string rule;       // rule name
  int index = 0;          // position among the group's rules of that name
  std::vector<Alert> alerts;
};

struct SavedAlertState {
  int64_t saved_at_ms = 0;
  std::vector<SavedRuleAlerts> rules;
};

core::Status WriteAlertState(const std::string& path, const SavedAlertState& state);
// nullopt when the file does not exist; an error for an unreadable or malformed file.
core::Result<std::optional<SavedAlertState>> ReadAlertState(const std::string& path);

}  // namespace smoke::ruler
