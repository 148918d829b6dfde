#pragma once
// A rule group (rules/group.go): rules evaluated in order at one timestamp per iteration, each
// seeing what the earlier ones wrote. Outputs go back to the storage; a series a rule wrote in the
// previous iteration but not in this one gets a staleness marker, which is how ALERTS series
// disappear. Alerting rules' alerts that need sending are handed to the notify function.
// Thread-safety: Eval must not run concurrently with itself; Snapshot may be called from any
// thread at any time.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/promql/engine.h"
#include "exporter/ruler/alert.h"
#include "exporter/ruler/group_status.h"
#include "exporter/ruler/rule.h"
#include "exporter/ruler/rule_file.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::ruler {

// Receives the alerts an alerting rule sends after an evaluation (with their valid_until set).
using NotifyFunc = std::function<void(const RuleSpec& rule, const std::vector<Alert>& alerts)>;

struct GroupOptions {
  core::Duration default_interval = std::chrono::minutes(1);
  core::Duration default_query_offset{0};
  promql::EvalOptions eval_options;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
  core::Duration resend_delay = std::chrono::minutes(1);
  // Spread groups over their interval by a hash of their key, as Prometheus does. The embedded
  // engine turns it off so every group runs right after the self-scrape of its slot.
  bool spread_evaluation = true;
  NotifyFunc notify;  // may be empty
};

class Group {
 public:
  Group(GroupSpec spec, GroupOptions options);
  ~Group();
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  const std::string& name() const { return spec_.name; }
  const std::string& file() const { return spec_.file; }
  // "file;name", unique across the loaded files.
  std::string Key() const { return spec_.file + ";" + spec_.name; }
  core::Duration interval() const { return interval_; }

  // The evaluation timestamp of the slot `now_ms` falls in: the interval slot start plus a
  // per-group offset (hash of the key mod interval) that spreads groups, as Prometheus does.
  int64_t EvalTimestamp(int64_t now_ms) const;

  // One iteration at ts_ms. `missed` iterations skipped before this one are counted.
  void Eval(int64_t ts_ms, tsdb::MemoryStorage& storage, uint64_t missed = 0);

  // Writes staleness markers for every series the group wrote last (a group removed by a reload).
  void MarkStale(int64_t ts_ms, tsdb::MemoryStorage& storage);

  // Takes over alert state and previously written series from a group of the same file and name
  // (reload): rules match by name and position among rules of that name, as in Prometheus.
  void CopyStateFrom(Group& old);

  // Seeds alert state persisted before a restart into the rule `rule_name` (index among rules of
  // that name). Returns false if there is no such alerting rule.
  bool RestoreAlert(const std::string& rule_name, int index, const Alert& alert);

  GroupStatus Snapshot() const;

 private:
  struct RuleSlot;

  GroupSpec spec_;
  GroupOptions options_;
  core::Duration interval_;
  core::Duration query_offset_;
  mutable std::mutex mu_;  // guards everything below against Snapshot during Eval
  std::vector<RuleSlot> rules_;
  int64_t last_eval_ms_ = 0;
  double last_duration_seconds_ = 0;
  uint64_t iterations_ = 0;
  uint64_t iterations_missed_ = 0;
  uint64_t evaluation_failures_ = 0;
  uint64_t samples_written_ = 0;
};

}  // namespace smoke::ruler
