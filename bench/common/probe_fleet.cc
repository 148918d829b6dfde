#include "bench/common/probe_fleet.h"

#include <cmath>
#include <cstdio>

#include "bench/common/exposition_text.h"

namespace smoke::bench {
namespace {

constexpr const char* kOutcomes[4] = {"ok", "degraded", "failed", "skipped"};
constexpr int kOk = 0, kDegraded = 1, kFailed = 2, kSkipped = 3;
constexpr double kBucketBounds[11] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
constexpr const char* kBucketLabels[12] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                                           "0.5",   "1",    "2.5",   "5",    "10",  "+Inf"};
constexpr const char* kPhaseNames[5] = {"resolve", "connect", "tls", "processing", "transfer"};
constexpr double kPhaseShares[5] = {0.02, 0.1, 0.2, 0.6, 0.08};

// What a steady clock reads: nanoseconds.
double Nanos(double seconds) { return std::round(seconds * 1e9) / 1e9; }

// An approximately normal draw (Irwin-Hall of 4) from a hash.
double Normal(uint64_t h) {
  double s = 0;
  for (int i = 0; i < 4; ++i) s += Unit(Mix(h, static_cast<uint64_t>(i)));
  return (s - 2.0) * std::sqrt(3.0);
}

std::string WithLabel(const std::string& base, const char* name, const std::string& value) {
  return base + "," + name + "=\"" + value + "\"";
}

}  // namespace

ProbeFleet::ProbeFleet(FleetOptions options) : options_(options) {
  probes_.resize(static_cast<size_t>(options_.probes));
  for (int i = 0; i < options_.probes; ++i) {
    Probe& p = probes_[static_cast<size_t>(i)];
    p.index = i;
    const int slot = i % 20;
    p.kind = slot < 12   ? Kind::kHttp
             : slot < 15 ? Kind::kPostgres
             : slot < 18 ? Kind::kRedis
                         : Kind::kTcp;
    const uint64_t h = Mix(options_.seed, static_cast<uint64_t>(i), 0xbe);
    const int b = static_cast<int>(h % 100);
    p.behaviour = b < 3    ? Behaviour::kFailing
                  : b < 5  ? Behaviour::kFlapping
                  : b < 7  ? Behaviour::kDegraded
                  : b < 8  ? Behaviour::kSkipped
                  : b < 11 ? Behaviour::kSlow
                           : Behaviour::kHealthy;
    char name[32];
    std::snprintf(name, sizeof name, "p%05d", i);
    std::string component, target;
    const uint64_t r = Mix(h, 1);
    switch (p.kind) {
      case Kind::kHttp: {
        component = (i / 20) % 6 == 5 ? "monitoring" : "api";
        p.https = i % 3 != 0;
        target = std::string(p.https ? "https" : "http") + "://svc-" + std::to_string(i % 97) +
                 ".staging.example:8443/api/v1/item" + std::to_string(i);
        static const char* kReasons[] = {"status", "connection_refused", "timeout", "assertion"};
        p.fail_reason = kReasons[r % 4];
        p.base_latency = 0.005 + 0.2 * Unit(Mix(h, 2));
        break;
      }
      case Kind::kPostgres: {
        component = "database";
        target = "postgresql://app@db-" + std::to_string(i % 13) + ".staging.example:5432/app";
        static const char* kReasons[] = {"auth_failed", "role_missing", "database_missing",
                                         "table_missing"};
        p.fail_reason = kReasons[r % 4];
        p.base_latency = 0.003 + 0.05 * Unit(Mix(h, 2));
        break;
      }
      case Kind::kRedis: {
        component = "cache";
        target = "redis://cache-" + std::to_string(i % 11) + ".staging.example:6379/0";
        static const char* kReasons[] = {"auth_failed", "auth_required", "database_missing", "oom",
                                         "readonly"};
        p.fail_reason = kReasons[r % 5];
        p.base_latency = 0.001 + 0.01 * Unit(Mix(h, 2));
        break;
      }
      case Kind::kTcp: {
        component = "infrastructure";
        target = "mq-" + std::to_string(i % 7) + ".staging.example:5672";
        p.fail_reason = r % 2 == 0 ? "connection_refused" : "timeout";
        p.base_latency = 0.001 + 0.005 * Unit(Mix(h, 2));
        break;
      }
    }
    if (p.behaviour == Behaviour::kSlow) p.base_latency = 1.2 + Unit(Mix(h, 3));
    if (p.behaviour == Behaviour::kSkipped) p.fail_reason = "credentials_missing";
    p.labels = std::string("probe=\"") + name + "\",component=\"" + component + "\",target=\"" +
               target + "\",env=\"staging\"";
    // Certificates renewed 30-90 days ahead; a few expire within two weeks (cert alerts).
    p.cert_expiry = 1.8e9 + std::floor(Unit(Mix(h, 4)) * 86400 * 60);
    p.content_length = 200 + static_cast<double>(Mix(h, 5) % 4000);
  }
}

void ProbeFleet::Run(Probe& p, int64_t run_time_ms) {
  const uint64_t h =
      Mix(options_.seed, static_cast<uint64_t>(p.index), static_cast<uint64_t>(step_) + 1);
  std::string reason;
  int outcome = kOk;
  switch (p.behaviour) {
    case Behaviour::kFailing:
      outcome = kFailed;
      reason = p.fail_reason;
      break;
    case Behaviour::kFlapping:
      if ((step_ / 2) % 2 == 1) {
        outcome = kFailed;
        reason = p.kind == Kind::kHttp ? "status" : "connection_refused";
      }
      break;
    case Behaviour::kDegraded:
      outcome = kDegraded;
      break;
    case Behaviour::kSkipped:
      outcome = kSkipped;
      reason = p.fail_reason;
      break;
    case Behaviour::kHealthy:
    case Behaviour::kSlow:
      if (h % 200 == 0) {  // a transient timeout now and then
        outcome = kFailed;
        reason = "timeout";
      }
      break;
  }
  p.outcome = outcome;
  if (outcome == kSkipped) {
    p.duration = 0;
  } else if (reason == "timeout") {
    p.duration = Nanos(5.0 + 0.002 * Unit(Mix(h, 7)));
  } else {
    p.duration = Nanos(p.base_latency * std::exp(0.3 * Normal(Mix(h, 8))));
  }
  double left = p.duration;
  for (int i = 0; i < kPhases; ++i) {
    double share = kPhaseShares[i];
    if (i == 2 && !p.https) share = 0;
    p.phases[i] = i == kPhases - 1 ? Nanos(left) : Nanos(p.duration * share);
    left -= p.phases[i];
    if (left < 0) left = 0;
  }
  // Runs start somewhere in the second before the scrape.
  p.last_run = static_cast<double>(run_time_ms - static_cast<int64_t>(Mix(h, 9) % 1000)) / 1000.0;
  p.attempts += 1;
  p.results[outcome] += 1;
  if (!reason.empty()) p.failures[reason] += 1;
  if (outcome != kSkipped) {
    for (int b = 0; b < kBuckets; ++b) {
      if (b == kBuckets - 1 || p.duration <= kBucketBounds[b]) p.buckets[b] += 1;
    }
    p.sum += p.duration;
    p.count += 1;
  }
  p.consecutive_failures = outcome == kOk || outcome == kDegraded ? 0 : p.consecutive_failures + 1;
  if (Mix(h, 10) % 50 == 0) p.content_length += static_cast<double>(Mix(h, 11) % 64);
  switch (p.kind) {
    case Kind::kPostgres:
      p.gauge_a = 5 + static_cast<double>(Mix(h, 12) % 30);
      break;
    case Kind::kRedis:
      p.gauge_a = 1048576 + static_cast<double>(Mix(h, 12) % 65536) * 16;
      p.counter_a += static_cast<double>(Mix(h, 13) % 50);
      p.counter_b += static_cast<double>(Mix(h, 14) % 3);
      break;
    default:
      break;
  }
}

void ProbeFleet::Step(int64_t run_time_ms, std::string* out) {
  for (Probe& p : probes_) Run(p, run_time_ms);
  last_run_time_ms_ = run_time_ms;
  Write(out);
  ++step_;
}

void ProbeFleet::Write(std::string* out) const {
  out->reserve(out->size() + probes_.size() * 4096);
  auto each = [&](const char* name, const char* type, const char* help, auto&& fn) {
    AppendFamilyHeader(out, name, type, help);
    for (const Probe& p : probes_) fn(p);
  };
  each("probe_success", "gauge", "Whether the latest run passed.", [&](const Probe& p) {
    AppendSample(out, "probe_success", p.labels,
                 p.outcome == kOk || p.outcome == kDegraded ? 1 : 0);
  });
  each("probe_duration_seconds", "gauge", "Duration of the latest run.",
       [&](const Probe& p) { AppendSample(out, "probe_duration_seconds", p.labels, p.duration); });
  each("probe_http_status_code", "gauge", "HTTP status of the latest run.", [&](const Probe& p) {
    if (p.kind != Kind::kHttp) return;
    const bool status_failure = p.outcome == kFailed && p.fail_reason == "status";
    AppendSample(out, "probe_http_status_code", p.labels, status_failure ? 503 : 200);
  });
  each("probe_http_duration_seconds", "gauge", "Duration of each HTTP phase.", [&](const Probe& p) {
    if (p.kind != Kind::kHttp) return;
    for (int i = 0; i < kPhases; ++i) {
      AppendSample(out, "probe_http_duration_seconds", WithLabel(p.labels, "phase", kPhaseNames[i]),
                   p.phases[i]);
    }
  });
  each("probe_http_content_length", "gauge", "Content-Length of the response.",
       [&](const Probe& p) {
         if (p.kind == Kind::kHttp) {
           AppendSample(out, "probe_http_content_length", p.labels, p.content_length);
         }
       });
  each("probe_http_ssl", "gauge", "Whether TLS was used.", [&](const Probe& p) {
    if (p.kind == Kind::kHttp) AppendSample(out, "probe_http_ssl", p.labels, p.https ? 1 : 0);
  });
  each("probe_http_version", "gauge", "HTTP version of the response.", [&](const Probe& p) {
    if (p.kind == Kind::kHttp) AppendSample(out, "probe_http_version", p.labels, 1.1);
  });
  each("probe_http_redirects", "gauge", "Redirects followed.", [&](const Probe& p) {
    if (p.kind == Kind::kHttp) AppendSample(out, "probe_http_redirects", p.labels, 0);
  });
  each("probe_ssl_earliest_cert_expiry", "gauge", "Earliest certificate expiry (Unix s).",
       [&](const Probe& p) {
         if (p.kind == Kind::kHttp && p.https) {
           AppendSample(out, "probe_ssl_earliest_cert_expiry", p.labels, p.cert_expiry);
         }
       });
  each("pg_settings_max_connections", "gauge", "max_connections of the server.",
       [&](const Probe& p) {
         if (p.kind == Kind::kPostgres)
           AppendSample(out, "pg_settings_max_connections", p.labels, 100);
       });
  each("smoke_postgres_connections_in_use", "gauge", "Connections in use.", [&](const Probe& p) {
    if (p.kind == Kind::kPostgres) {
      AppendSample(out, "smoke_postgres_connections_in_use", p.labels, p.gauge_a);
    }
  });
  each("redis_up", "gauge", "Whether INFO answered.", [&](const Probe& p) {
    if (p.kind == Kind::kRedis) AppendSample(out, "redis_up", p.labels, p.outcome == kOk ? 1 : 0);
  });
  each("redis_memory_used_bytes", "gauge", "used_memory.", [&](const Probe& p) {
    if (p.kind == Kind::kRedis) AppendSample(out, "redis_memory_used_bytes", p.labels, p.gauge_a);
  });
  each("redis_keyspace_hits_total", "gauge", "keyspace_hits.", [&](const Probe& p) {
    if (p.kind == Kind::kRedis) {
      AppendSample(out, "redis_keyspace_hits_total", p.labels, p.counter_a);
    }
  });
  each("redis_keyspace_misses_total", "gauge", "keyspace_misses.", [&](const Probe& p) {
    if (p.kind == Kind::kRedis) {
      AppendSample(out, "redis_keyspace_misses_total", p.labels, p.counter_b);
    }
  });
  AppendFamilyHeader(out, "smoke_probe_duration_seconds", "histogram",
                     "Latency distribution per probe.");
  for (const Probe& p : probes_) {
    for (int b = 0; b < kBuckets; ++b) {
      AppendSample(out, "smoke_probe_duration_seconds_bucket",
                   WithLabel(p.labels, "le", kBucketLabels[b]), p.buckets[b]);
    }
    AppendSample(out, "smoke_probe_duration_seconds_sum", p.labels, p.sum);
    AppendSample(out, "smoke_probe_duration_seconds_count", p.labels, p.count);
  }
  each("smoke_probe_attempts_total", "counter", "Runs.", [&](const Probe& p) {
    AppendSample(out, "smoke_probe_attempts_total", p.labels, p.attempts);
  });
  each("smoke_probe_results_total", "counter", "Runs by outcome.", [&](const Probe& p) {
    for (int o = 0; o < 4; ++o) {
      AppendSample(out, "smoke_probe_results_total", WithLabel(p.labels, "outcome", kOutcomes[o]),
                   p.results[o]);
    }
  });
  each("smoke_probe_failures_total", "counter", "Runs that failed or were skipped, by reason.",
       [&](const Probe& p) {
         for (const auto& [reason, n] : p.failures) {
           AppendSample(out, "smoke_probe_failures_total", WithLabel(p.labels, "reason", reason),
                        n);
         }
       });
  each("smoke_probe_outcome", "gauge", "1 for the latest run's outcome.", [&](const Probe& p) {
    for (int o = 0; o < 4; ++o) {
      AppendSample(out, "smoke_probe_outcome", WithLabel(p.labels, "outcome", kOutcomes[o]),
                   p.outcome == o ? 1 : 0);
    }
  });
  each("smoke_probe_last_run_timestamp_seconds", "gauge", "Start of the latest run.",
       [&](const Probe& p) {
         AppendSample(out, "smoke_probe_last_run_timestamp_seconds", p.labels, p.last_run);
       });
  each("smoke_probe_consecutive_failures", "gauge", "Runs in a row that did not pass.",
       [&](const Probe& p) {
         AppendSample(out, "smoke_probe_consecutive_failures", p.labels, p.consecutive_failures);
       });
  each("smoke_probe_info", "gauge", "1 per configured probe.", [&](const Probe& p) {
    static const char* kKinds[] = {"http", "postgres", "redis", "tcp"};
    AppendSample(out, "smoke_probe_info",
                 WithLabel(p.labels, "kind", kKinds[static_cast<int>(p.kind)]), 1);
  });

  // The exporter's own series (rules/exporter.rules.yml).
  static const char* kGroups[] = {
      "rules/probes.rules.yml;smoke-probes", "rules/database.rules.yml;smoke-database",
      "rules/cache.rules.yml;smoke-cache", "rules/tls.rules.yml;smoke-tls",
      "rules/exporter.rules.yml;smoke-exporter"};
  const double now_s = static_cast<double>(last_run_time_ms_) / 1000.0;
  AppendFamilyHeader(out, "smoke_rule_group_last_evaluation_timestamp_seconds", "gauge",
                     "Time of the group's latest evaluation.");
  for (const char* g : kGroups) {
    AppendSample(out, "smoke_rule_group_last_evaluation_timestamp_seconds",
                 std::string("rule_group=\"") + g + "\"", std::floor(now_s));
  }
  AppendFamilyHeader(out, "smoke_rule_group_interval_seconds", "gauge", "The group's interval.");
  for (const char* g : kGroups) {
    AppendSample(out, "smoke_rule_group_interval_seconds", std::string("rule_group=\"") + g + "\"",
                 15);
  }
  AppendFamilyHeader(out, "smoke_rule_evaluation_failures_total", "counter",
                     "Rule evaluations that failed.");
  for (const char* g : kGroups) {
    AppendSample(out, "smoke_rule_evaluation_failures_total",
                 std::string("rule_group=\"") + g + "\"", 0);
  }
  const std::string am = "alertmanager=\"http://alertmanager.staging.example:9093/api/v2/alerts\"";
  AppendFamilyHeader(out, "smoke_notifications_errors_total", "counter", "Failed posts.");
  AppendSample(out, "smoke_notifications_errors_total", am, 0);
  AppendFamilyHeader(out, "smoke_notifications_dropped_total", "counter", "Dropped alerts.");
  AppendSample(out, "smoke_notifications_dropped_total", am, 0);
  AppendFamilyHeader(out, "smoke_config_last_reload_successful", "gauge",
                     "Whether the last reload succeeded.");
  AppendSample(out, "smoke_config_last_reload_successful", "", 1);
}

}  // namespace smoke::bench
