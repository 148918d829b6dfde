#pragma once
// The live state of every scheduled probe: latest result, counters, latency histogram and
// bounded history with evidence. It is the prometheus-cpp Collectable behind the per-probe series
// of /metrics and the source of /api/v1/probes and the status page.
// Thread-safety: thread-safe. Record() is called from scheduler workers while Collect() and the
// snapshot functions run on HTTP threads.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/collectable.h>

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/results/probe_identity.h"
#include "exporter/results/result_history.h"

namespace smoke::results {

// What the API and status page show for one probe.
struct ProbeSnapshot {
  ProbeIdentity identity;
  uint64_t attempts = 0;
  uint64_t consecutive_failures = 0;  // runs in a row that did not pass
  std::optional<HistoryEntry> last;
  std::optional<HistoryEntry> last_failure;
  core::TimePoint state_since{};  // when the current outcome began
};

class ResultStore : public prometheus::Collectable {
 public:
  ResultStore(std::vector<double> buckets, config::HistorySpec history);

  // Declares the scheduled probes (on start and reload). Probes no longer present are dropped
  // with their series; known probes keep counters and history; new ones start empty.
  void SetProbes(const std::vector<ProbeIdentity>& probes, std::vector<double> buckets,
                 config::HistorySpec history);
  // Records a result for a declared probe; results for unknown probes (removed by a reload while
  // running) are ignored.
  void Record(const std::string& name, const core::ProbeResult& result);

  std::vector<ProbeSnapshot> Snapshots() const;
  std::optional<ProbeSnapshot> Snapshot(const std::string& name) const;
  // Newest first; empty if unknown.
  std::vector<HistoryEntry> History(const std::string& name) const;
  std::vector<HistoryEntry> Failures(const std::string& name) const;

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  struct ProbeState {
    ProbeState(ProbeIdentity id, const config::HistorySpec& h)
        : identity(std::move(id)), history(h.limit, h.failure_limit) {}
    ProbeIdentity identity;
    uint64_t attempts = 0;
    uint64_t sequence = 0;
    uint64_t consecutive_failures = 0;
    std::map<core::Outcome, uint64_t> outcomes;
    std::map<core::Reason, uint64_t> failures;
    std::vector<uint64_t> bucket_counts;  // non-cumulative, one per bucket plus +Inf
    double duration_sum = 0;
    std::optional<HistoryEntry> last;
    core::TimePoint state_since{};
    ResultHistory history;
  };
  ProbeSnapshot MakeSnapshot(const ProbeState& state) const;

  mutable std::mutex mu_;
  std::vector<double> buckets_;
  config::HistorySpec history_spec_;
  std::map<std::string, std::unique_ptr<ProbeState>> probes_;
};

}  // namespace smoke::results
