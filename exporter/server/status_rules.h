#pragma once
// The rule engine's sections of the status page (/): the pending and firing alerts, the rule
// groups with their rules, and the Alertmanagers alerts go to. Plain HTML without JavaScript;
// every label, annotation, query and error text is HTML-escaped. Nothing here can carry a
// secret: rules hold none, and an Alertmanager is named by its URL without credentials.
// Thread-safety: pure functions of their arguments.

#include <string>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/notifier/notifier_options.h"
#include "exporter/ruler/group_status.h"

namespace smoke::server {

// Pending and firing alerts of every group, firing first, then the oldest first: name and
// annotations, labels (without alertname), state, active since, value.
std::string RenderAlertsSection(const std::vector<ruler::GroupStatus>& groups, core::TimePoint now);

// One table per group (name, file, interval, last evaluation, duration, health), listing its
// rules (name, type, health, last error, query).
std::string RenderRuleGroupsSection(const std::vector<ruler::GroupStatus>& groups,
                                    core::TimePoint now);

// Where alerts are sent, and whether the last posts arrived. Empty when alerting is not set up.
std::string RenderAlertmanagersSection(const std::vector<notifier::AlertmanagerStatus>& ams,
                                       core::TimePoint now);

// "6m30s ago" (whole seconds; a time in the future reads "0s ago").
std::string FormatAge(core::Duration d);

// A group's health as the page shows it: "err" when any rule's last evaluation failed,
// "unknown" before the first evaluation, else "ok".
std::string GroupHealth(const ruler::GroupStatus& group);

}  // namespace smoke::server
