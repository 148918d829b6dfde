#pragma once
// A synthetic fleet of scheduled probes whose /metrics text has the shape smoke_exporter serves
// (README, "Metrics"): per probe the blackbox-style probe_* gauges, the smoke_probe_* counters,
// outcome gauges and latency histogram, and a few kind-specific gauges (HTTP phases and TLS,
// PostgreSQL connections, Redis INFO counters), labelled probe/component/target/env; plus the
// exporter's own rule-group and notifier series that rules/exporter.rules.yml reads.
//
// Each Step is one run of every probe (one probe interval). Most probes pass; a few fail
// steadily with a reason their kind can have, flap, are degraded, skipped or slow, so every
// bundled alert has something to find. Durations are drawn with nanosecond precision, as a
// steady clock measures them, which is what makes them the expensive series to compress.
// Deterministic: the same options and run times give byte-identical texts.
// Thread-safety: none; a fleet is stepped by one thread.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace smoke::bench {

struct FleetOptions {
  int probes = 300;
  uint64_t seed = 1;
};

class ProbeFleet {
 public:
  explicit ProbeFleet(FleetOptions options);

  // Runs every probe once, as of `run_time_ms` (Unix ms: the runs started up to a second
  // before it), and appends the text exposition of the fleet's state to `out`.
  void Step(int64_t run_time_ms, std::string* out);

  int probes() const { return static_cast<int>(probes_.size()); }

 private:
  enum class Kind { kHttp, kPostgres, kRedis, kTcp };
  enum class Behaviour { kHealthy, kFailing, kFlapping, kDegraded, kSkipped, kSlow };
  static constexpr int kBuckets = 12;  // the default histogram_buckets and +Inf
  static constexpr int kPhases = 5;

  struct Probe {
    int index = 0;
    Kind kind = Kind::kHttp;
    Behaviour behaviour = Behaviour::kHealthy;
    std::string labels;  // probe="...",component="...",target="...",env="staging"
    std::string fail_reason;
    double base_latency = 0.02;
    bool https = false;
    double cert_expiry = 0;
    // State after the latest run.
    int outcome = 0;  // index into kOutcomes
    double duration = 0;
    double phases[kPhases] = {};
    double last_run = 0;
    double attempts = 0;
    double results[4] = {};
    std::map<std::string, double> failures;  // reason -> count; a series appears on first use
    double buckets[kBuckets] = {};
    double sum = 0;
    double count = 0;
    double consecutive_failures = 0;
    double content_length = 0;
    double gauge_a = 0;    // PostgreSQL connections in use / Redis used memory
    double counter_a = 0;  // Redis keyspace hits
    double counter_b = 0;  // Redis keyspace misses
  };

  void Run(Probe& p, int64_t run_time_ms);
  void Write(std::string* out) const;

  FleetOptions options_;
  std::vector<Probe> probes_;
  int64_t step_ = 0;
  int64_t last_run_time_ms_ = 0;
};

}  // namespace smoke::bench
