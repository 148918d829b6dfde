#pragma once
// An alerting rule with Prometheus's state machine (rules/alerting.go): every label set the
// expression returns becomes a pending alert, firing once it has been active for `for`; when it
// stops being returned it resolves (after `keep_firing_for`, if set) and is kept for 15 minutes so
// Alertmanager hears about the resolution. Each evaluation writes ALERTS and ALERTS_FOR_STATE.
// Thread-safety: as Rule.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "exporter/ruler/alert.h"
#include "exporter/ruler/rule.h"

namespace smoke::ruler {

// How long a resolved alert is kept (and re-sent), as Prometheus's resolvedRetention.
inline constexpr int64_t kResolvedRetentionMs = 15 * 60 * 1000;

class AlertingRule : public Rule {
 public:
  explicit AlertingRule(RuleSpec spec) : Rule(std::move(spec)) {}

  core::Result<promql::Vector> Eval(const RuleEvalContext& ctx) override;

  // The alerts to send after an evaluation at ts_ms (Prometheus's sendAlerts): marks them sent and
  // sets their valid_until to ts + 4 × max(resend delay, group interval).
  std::vector<Alert> TakeAlertsToSend(int64_t ts_ms, int64_t resend_delay_ms,
                                      int64_t interval_ms);

  // Pending, firing and recently resolved alerts, sorted by labels.
  std::vector<Alert> Alerts() const;
  // The rule's state: the highest of its alerts' (firing > pending > inactive).
  AlertState State() const;

  // Seeds an alert from persisted state before the first evaluation (restart or reload).
  void Restore(const Alert& alert);

 private:
  std::map<std::string, Alert> active_;  // by Labels::Key()
};

}  // namespace smoke::ruler
