#pragma once
// The config of the embedded rule engine: `rules:` (rule files and evaluation), `alerting:`
// (Alertmanagers to notify) and `storage:` (the self-scraped sample store). All optional; without
// `rules:` no rules run, without `alerting:` alerts are evaluated but not sent.
// Thread-safety: plain value types.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/secret.h"

namespace smoke::config {

struct RulesSpec {
  std::vector<std::string> files;  // glob patterns, relative to the config file's directory
  core::Duration evaluation_interval = std::chrono::seconds(15);
  core::Duration query_offset{0};
  core::Duration resend_delay = std::chrono::minutes(1);
  core::Duration for_outage_tolerance = std::chrono::hours(1);
  core::Duration for_grace_period = std::chrono::minutes(10);
  std::map<std::string, std::string> external_labels;
  std::string external_url;  // default: http://<hostname>:<port> of the exporter
  std::string state_file;    // persisted alert state; empty: not persisted
};

struct AlertmanagerTargetSpec {
  std::string url;  // scheme://host:port[/path-prefix]
  core::Duration timeout = std::chrono::seconds(10);
  std::optional<std::string> basic_auth_username;
  std::optional<core::Secret> basic_auth_password;
  std::optional<core::Secret> bearer_token;
};

struct AlertingSpec {
  std::vector<AlertmanagerTargetSpec> alertmanagers;
  int queue_capacity = 10000;
  // When true, an Alertmanager that cannot be reached blocks releases (alertmanager_unreachable).
  bool required = false;
};

struct StorageSpec {
  core::Duration retention = std::chrono::hours(6);
  std::string snapshot_file;  // empty: no snapshots
  core::Duration snapshot_interval = std::chrono::minutes(5);
};

}  // namespace smoke::config
