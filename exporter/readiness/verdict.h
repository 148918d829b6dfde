#pragma once
// The release verdict: may we ship? Decide() is a pure function of the policy, the inputs and
// the scope a client asked about. It fails closed: every reason it cannot vouch for the release
// is a violation of its own with an explicit reason:
//   no_data                  fewer engine iterations than min_evaluations since start, a
//                            probe in scope that has not run yet, a rule group with alerts that
//                            can block that has not been evaluated since start, or a blocking
//                            alert in scope that is pending while the engine has not yet watched
//                            it for its whole `for` since start (it may have been firing before
//                            a restart)
//   stale_data               the last engine iteration is older than stale_after
//   rule_evaluation_failed   a rule's last evaluation failed (one violation per rule)
//   probe_skipped            a probe in scope could not run (unless allow_skipped)
//   alertmanager_unreachable alerting.required and an Alertmanager is failing: the notifier's
//                            posts fail, or (before there was anything to post) asking it for
//                            its silences failed
//   scope_unknown            a scope selector that no probe, alert or alerting rule carries (a
//                            typo must not read as "nothing is wrong there")
// and a firing alert in scope that matches block_on is a violation whose reason is its `reason`
// label, or its alertname. With waivers enabled, such an alert matched by an active silence is
// listed under `waived` instead; fail-closed violations are never waived.
// Thread-safety: pure function; plain value types.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/readiness/inputs.h"
#include "exporter/readiness/policy.h"

namespace smoke::readiness {

inline constexpr std::string_view kReasonNoData = "no_data";
inline constexpr std::string_view kReasonStaleData = "stale_data";
inline constexpr std::string_view kReasonRuleEvaluationFailed = "rule_evaluation_failed";
inline constexpr std::string_view kReasonProbeSkipped = "probe_skipped";
inline constexpr std::string_view kReasonAlertmanagerUnreachable = "alertmanager_unreachable";
inline constexpr std::string_view kReasonScopeUnknown = "scope_unknown";

// The fail-closed reasons above, in the order violations are listed.
const std::vector<std::string_view>& FailClosedReasons();

// Label equality selectors (component=api, probe=db, env=staging): all must hold (AND). Alerts
// are in scope when their labels carry every pair, probes when their series labels do.
using Scope = std::vector<std::pair<std::string, std::string>>;

struct Violation {
  std::string reason;
  std::string alert;  // the alertname; the rule, probe or Alertmanager for fail-closed ones
  std::string component;
  std::string probe;
  std::string severity;
  int64_t since_ms = 0;  // 0: unknown
  std::optional<double> value;
  std::string summary;  // one line for people (the alert's summary, the probe's message, ...)
  nlohmann::json evidence = nlohmann::json::object();
  std::string runbook;
};

struct Waiver {
  Violation violation;
  std::string silence_id;
  std::string created_by;
  std::string comment;
  int64_t ends_at_ms = 0;
};

struct Verdict {
  bool ready = false;
  int64_t evaluated_at_ms = 0;
  std::string decision_id;  // set by whoever serves the verdict (DecisionIdGenerator)
  Scope scope;
  std::vector<Violation> violations;
  std::vector<Waiver> waived;
  bool waivers_enabled = false;
  bool waivers_unavailable = false;  // enabled, but Alertmanager's silences could not be read
  std::string waivers_error;
  uint64_t evaluations = 0;
  int64_t last_evaluation_ms = 0;
};

Verdict Decide(const Policy& policy, const Inputs& inputs, const Scope& scope = {});

// The reason a blocking alert is reported with: its `reason` label, or its alertname.
std::string AlertReason(const LabelMap& labels);

// The reasons an alerting rule can block with, known before it fires: the rule's static reason
// label (unless templated) or its name, for rules whose static labels do not rule out every
// block_on set. For always-present metrics.
std::vector<std::string> PossibleAlertReasons(const Policy& policy,
                                              const std::vector<AlertingRuleInput>& rules);

}  // namespace smoke::readiness
