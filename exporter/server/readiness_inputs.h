#pragma once
// Copies what the release verdict needs out of the running exporter into readiness::Inputs:
// alerts, rule errors and rule labels from the engine's groups, each probe's latest state and
// last failure from the result store, and each Alertmanager's delivery state from the notifier.
// The readiness module sees only these plain values.
// Thread-safety: pure functions of their arguments (the snapshots are taken by the caller).

#include <map>
#include <string>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/notifier/notifier_options.h"
#include "exporter/readiness/inputs.h"
#include "exporter/results/result_store.h"
#include "exporter/ruler/group_status.h"

namespace smoke::server {

class Engine;

// Alerts (with `external_labels` added where the alert lacks the label, as the notifier sends
// them, so a silence created from Alertmanager's UI matches), alerting rules and rule errors.
void AddRuleInputs(const std::vector<ruler::GroupStatus>& groups,
                   const std::map<std::string, std::string>& external_labels,
                   readiness::Inputs& inputs);
readiness::ProbeInput ToProbeInput(const results::ProbeSnapshot& snapshot);
readiness::AlertmanagerInput ToAlertmanagerInput(const notifier::AlertmanagerStatus& status);

// Everything but the silences, at `now`.
readiness::Inputs GatherReadinessInputs(const Engine& engine, const results::ResultStore& store,
                                        const std::map<std::string, std::string>& external_labels,
                                        core::TimePoint now);

}  // namespace smoke::server
