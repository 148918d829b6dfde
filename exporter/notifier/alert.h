#pragma once
// One alert as Alertmanager's API v2 receives it (`postableAlert`), and its JSON encoding.
// Thread-safety: value types and pure functions.

#include <map>
#include <string>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"

namespace smoke::notifier {

using LabelMap = std::map<std::string, std::string>;

struct Alert {
  LabelMap labels;       // the alert's identity: Alertmanager groups and deduplicates by it
  LabelMap annotations;  // extra text (summary, description, runbook_url); not identity
  // A default-constructed time point (the Unix epoch) means "not set": the field is left out of
  // the payload and Alertmanager fills it in (startsAt = receive time, endsAt = receive time +
  // resolve_timeout). An endsAt in the past marks the alert resolved.
  core::TimePoint starts_at{};
  core::TimePoint ends_at{};
  std::string generator_url;  // left out of the payload when empty
};

// Alertmanager's wire format for times: RFC 3339, UTC, millisecond precision
// ("2024-05-01T12:00:00.250Z"). Sub-millisecond parts are truncated toward the past.
std::string FormatTimestamp(core::TimePoint t);

// The request body of POST /api/v2/alerts: a JSON array of
// {labels, annotations, startsAt, endsAt, generatorURL}. Invalid UTF-8 in a label or annotation
// is replaced by U+FFFD rather than failing the whole batch.
std::string EncodeAlerts(const std::vector<Alert>& alerts);

// Rejects what Alertmanager would reject with 400 (and so poison the batch it travels in): no
// labels, a label or annotation name that is not [a-zA-Z_][a-zA-Z0-9_]*, endsAt before
// startsAt. The message names the alert by its alertname.
core::Status ValidateAlert(const Alert& alert);

// A string that is equal for two alerts exactly when their label sets are equal (Alertmanager's
// identity of an alert); unambiguous for any label values.
std::string LabelSetKey(const LabelMap& labels);

}  // namespace smoke::notifier
