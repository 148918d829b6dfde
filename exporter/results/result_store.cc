#include "exporter/results/result_store.h"

#include <algorithm>
#include <limits>

#include "exporter/results/family_builder.h"
#include "exporter/results/result_exposition.h"

namespace smoke::results {
namespace {

constexpr core::Outcome kOutcomes[] = {core::Outcome::kOk, core::Outcome::kDegraded,
                                       core::Outcome::kFailed, core::Outcome::kSkipped};

config::LabelPairs With(config::LabelPairs labels, const char* name, std::string_view value) {
  labels.emplace_back(name, std::string(value));
  return labels;
}

}  // namespace

ResultStore::ResultStore(std::vector<double> buckets, config::HistorySpec history)
    : buckets_(std::move(buckets)), history_spec_(history) {}

void ResultStore::SetProbes(const std::vector<ProbeIdentity>& probes, std::vector<double> buckets,
                            config::HistorySpec history) {
  std::lock_guard lock(mu_);
  const bool buckets_changed = buckets != buckets_;
  buckets_ = std::move(buckets);
  history_spec_ = history;
  std::map<std::string, std::unique_ptr<ProbeState>> next;
  for (const ProbeIdentity& id : probes) {
    auto it = probes_.find(id.name);
    std::unique_ptr<ProbeState> state;
    if (it != probes_.end() && it->second->identity.kind == id.kind) {
      state = std::move(it->second);
      state->history.Resize(history.limit, history.failure_limit);
    } else {
      state = std::make_unique<ProbeState>(id, history);
    }
    state->identity = id;
    // Changing buckets restarts the histogram: mixing bucket layouts would corrupt quantiles.
    if (buckets_changed || state->bucket_counts.size() != buckets_.size() + 1) {
      state->bucket_counts.assign(buckets_.size() + 1, 0);
      state->duration_sum = 0;
    }
    next[id.name] = std::move(state);
  }
  probes_ = std::move(next);
}

void ResultStore::Record(const std::string& name, const core::ProbeResult& result) {
  std::lock_guard lock(mu_);
  auto it = probes_.find(name);
  if (it == probes_.end()) return;
  ProbeState& s = *it->second;
  ++s.attempts;
  ++s.outcomes[result.outcome];
  if (!result.passed()) {
    ++s.failures[result.reason];
    ++s.consecutive_failures;
  } else {
    s.consecutive_failures = 0;
  }
  if (result.outcome != core::Outcome::kSkipped) {
    size_t bucket = std::lower_bound(buckets_.begin(), buckets_.end(), result.duration_seconds) -
                    buckets_.begin();
    ++s.bucket_counts[bucket];
    s.duration_sum += result.duration_seconds;
  }
  if (!s.last || s.last->result.outcome != result.outcome) s.state_since = result.started;
  HistoryEntry entry{++s.sequence, result};
  s.history.Add(entry);
  s.last = std::move(entry);
}

ProbeSnapshot ResultStore::MakeSnapshot(const ProbeState& s) const {
  ProbeSnapshot snap;
  snap.identity = s.identity;
  snap.attempts = s.attempts;
  snap.consecutive_failures = s.consecutive_failures;
  snap.last = s.last;
  if (const HistoryEntry* f = s.history.LastFailure()) snap.last_failure = *f;
  snap.state_since = s.state_since;
  return snap;
}

std::vector<ProbeSnapshot> ResultStore::Snapshots() const {
  std::lock_guard lock(mu_);
  std::vector<ProbeSnapshot> out;
  out.reserve(probes_.size());
  for (const auto& [name, state] : probes_) out.push_back(MakeSnapshot(*state));
  return out;
}

std::optional<ProbeSnapshot> ResultStore::Snapshot(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = probes_.find(name);
  if (it == probes_.end()) return std::nullopt;
  return MakeSnapshot(*it->second);
}

std::vector<HistoryEntry> ResultStore::History(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = probes_.find(name);
  return it == probes_.end() ? std::vector<HistoryEntry>{} : it->second->history.Recent();
}

std::vector<HistoryEntry> ResultStore::Failures(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = probes_.find(name);
  return it == probes_.end() ? std::vector<HistoryEntry>{} : it->second->history.Failures();
}

std::vector<prometheus::MetricFamily> ResultStore::Collect() const {
  std::lock_guard lock(mu_);
  FamilyBuilder out;
  for (const auto& [name, state] : probes_) {
    const ProbeState& s = *state;
    const config::LabelPairs labels = s.identity.Labels();
    out.AddGauge("smoke_probe_info", "Configured probes; always 1", With(labels, "kind", s.identity.kind), 1);
    out.AddCounter("smoke_probe_attempts_total", "Probe runs, whatever their outcome", labels,
                   static_cast<double>(s.attempts));
    for (core::Outcome o : kOutcomes) {
      auto it = s.outcomes.find(o);
      out.AddCounter("smoke_probe_results_total",
                     "Probe runs by outcome (ok, degraded, failed, skipped)",
                     With(labels, "outcome", core::OutcomeName(o)),
                     it == s.outcomes.end() ? 0 : static_cast<double>(it->second));
    }
    for (const auto& [reason, count] : s.failures) {
      out.AddCounter("smoke_probe_failures_total",
                     "Probe runs that did not pass (failed or skipped), by bounded reason",
                     With(labels, "reason", core::ReasonName(reason)), static_cast<double>(count));
    }
    prometheus::ClientMetric& hist =
        out.Add("smoke_probe_duration_seconds", "Probe duration distribution (skipped runs excluded)",
                prometheus::MetricType::Histogram, labels);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < buckets_.size(); ++i) {
      cumulative += s.bucket_counts[i];
      hist.histogram.bucket.push_back({cumulative, buckets_[i]});
    }
    cumulative += s.bucket_counts.back();
    hist.histogram.bucket.push_back({cumulative, std::numeric_limits<double>::infinity()});
    hist.histogram.sample_count = cumulative;
    hist.histogram.sample_sum = s.duration_sum;
    if (!s.last) continue;
    const core::ProbeResult& r = s.last->result;
    AppendResultSeries(r, labels, out);
    for (core::Outcome o : kOutcomes) {
      out.AddGauge("smoke_probe_outcome", "1 for the outcome of the latest run, 0 for the others",
                   With(labels, "outcome", core::OutcomeName(o)), r.outcome == o ? 1 : 0);
    }
    for (const core::AssertionResult& a : r.assertions) {
      config::LabelPairs al = With(labels, "assertion", a.name);
      al.emplace_back("severity", std::string(core::SeverityName(a.severity)));
      out.AddGauge("smoke_probe_assertion_success",
                   "Whether each named assertion passed in the latest run", al, a.passed ? 1 : 0);
    }
    out.AddGauge("smoke_probe_last_run_timestamp_seconds",
                 "Unix time the latest run started", labels, core::ToUnixSeconds(r.started));
    out.AddGauge("smoke_probe_consecutive_failures", "Runs in a row that did not pass", labels,
                 static_cast<double>(s.consecutive_failures));
  }
  return out.Take();
}

}  // namespace smoke::results
