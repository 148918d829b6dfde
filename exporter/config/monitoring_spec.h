#pragma once
// The settings blocks of the monitoring-stack probe kinds: metrics, prometheus, alertmanager,
// grafana, jaeger, alert_pipeline and dns (config.h holds one of each in ProbeSpec). Every kind
// but dns talks HTTP to its target and takes its transport settings (tls, basic_auth,
// bearer_token_*, headers) from the probe's `http:` block; the block named after the kind holds
// only what that kind checks. Parsed by monitoring_kinds.h.
// Thread-safety: plain data, immutable after loading.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/probe_result.h"

namespace smoke::config {

// One entry of `metrics: required:`. A bare name is a metric that must have at least one
// sample (a family name matches its _bucket/_sum/_count samples too); with labels, one sample
// of that metric must carry every listed label with exactly that value.
struct RequiredMetric {
  std::string metric;
  std::vector<std::pair<std::string, std::string>> labels;  // sorted by name
  std::string assertion;  // "metric_<metric>[_<label>_<value>...]", unique in the probe
};

// kind: metrics. GET the target (a /metrics URL), parse the text exposition format strictly.
struct MetricsSpec {
  std::vector<RequiredMetric> required;
  std::optional<int64_t> min_families;  // at least this many metric families
  std::optional<int64_t> max_series;    // at most this many samples (a cardinality guard)
};

// kind: prometheus. The target is Prometheus's base URL (http://prometheus:9090).
struct PrometheusSpec {
  bool check_ready = true;    // GET /-/ready besides /-/healthy
  bool check_targets = true;  // GET /api/v1/targets?state=active: no active target down
  bool check_rules = true;    // GET /api/v1/rules: every rule evaluates without error
  std::vector<std::string> required_jobs;  // each must have at least one active target
  std::vector<std::string> ignore_jobs;    // their down targets are reported, not failed on
  core::Severity targets_severity = core::Severity::kFail;
  core::Severity rules_severity = core::Severity::kFail;
};

// kind: alertmanager. The target is Alertmanager's base URL (http://alertmanager:9093).
struct AlertmanagerSpec {
  bool check_ready = true;    // GET /-/ready besides /-/healthy
  bool check_cluster = true;  // GET /api/v2/status: cluster "ready" (or "disabled", one node)
  int64_t min_peers = 0;      // > 0: the cluster must be enabled with at least this many peers
  core::Severity cluster_severity = core::Severity::kFail;
};

// kind: grafana. The target is Grafana's base URL; GET /api/health needs no credentials.
struct GrafanaSpec {
  bool check_database = true;  // /api/health must report "database": "ok"
};

// kind: jaeger. The target is the Jaeger query service's base URL (http://jaeger:16686).
struct JaegerSpec {
  bool check_ui = true;                        // GET / must answer 200
  std::vector<std::string> required_services;  // each must be listed by /api/services
  core::Severity services_severity = core::Severity::kFail;
};

// kind: alert_pipeline. POSTs a heartbeat alert to Alertmanager (target: its base URL) and reads
// it back through GET /api/v2/alerts within the probe's timeout.
struct AlertPipelineSpec {
  std::string alertname = "SmokeExporterHeartbeat";
  // Extra labels on the heartbeat (e.g. severity: none, to route it to a null receiver). The
  // probe sets alertname, probe and nonce itself.
  std::vector<std::pair<std::string, std::string>> labels;  // sorted by name
  // endsAt = now + ends_after: the alert resolves on its own even if nothing posts again.
  core::Duration ends_after = std::chrono::minutes(5);
  // If set, Alertmanager must route the alert to this receiver (checks the routing tree).
  std::string expect_receiver;
};

// kind: dns. The target is a host name; it is resolved with the system resolver
// (getaddrinfo, as every client of the name does).
struct DnsSpec {
  std::string ip_protocol = "any";  // any | ip4 | ip6
  // Each must be among the answers (normalised textual form). Empty: any answer passes.
  std::vector<std::string> expected_addresses;
  std::optional<core::Duration> max_resolve_time;  // assertion resolve_time (reason latency)
};

}  // namespace smoke::config
