#pragma once
// The rule manager (rules/manager.go): loads rule files into groups, evaluates each group on its
// interval, swaps groups on reload without losing alert state, and persists alert state so a
// restart continues `for` timers and firing alerts (Prometheus's for-state restore, from a file
// instead of ALERTS_FOR_STATE).
// The manager has no thread: its owner calls Tick(now) whenever NextDue() has passed, which keeps
// it deterministic under a ManualClock.
// Thread-safety: thread-safe; Tick and Update are serialised, Snapshot may run concurrently.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/ruler/group.h"
#include "exporter/ruler/group_status.h"
#include "exporter/ruler/rule_file.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::ruler {

struct ManagerOptions {
  GroupOptions group;
  RuleLoadOptions load;
  // Restore limits, as --rules.alert.for-outage-tolerance and --rules.alert.for-grace-period.
  core::Duration for_outage_tolerance = std::chrono::hours(1);
  core::Duration for_grace_period = std::chrono::minutes(10);
};

class Manager {
 public:
  Manager(ManagerOptions options, tsdb::MemoryStorage& storage);
  ~Manager();

  // Loads `files` (glob patterns allowed) and replaces the running groups. On any error nothing
  // changes and the error lists every problem. Groups that keep their file and name keep their
  // state; groups that disappear write staleness markers for their series at `now_ms`.
  // `generated` groups (the SLO rules of the config) run after those of the files.
  core::Status Update(const std::vector<std::string>& files, int64_t now_ms,
                      std::vector<GroupSpec> generated = {});
  // Options for the groups the next Update/SetGroups builds (a reload changed them).
  void SetOptions(ManagerOptions options);
  ManagerOptions options() const;

  // Builds groups from already loaded files (tests, `rules test`).
  void SetGroups(std::vector<GroupSpec> groups, int64_t now_ms);

  // Evaluates every group whose evaluation time has come; returns how many groups ran.
  int Tick(int64_t now_ms);
  // The earliest time at which Tick has work; INT64_MAX with no groups.
  int64_t NextDue() const;

  std::vector<GroupStatus> Snapshot() const;
  size_t NumGroups() const;

  // Alert state persistence. SaveState writes atomically; RestoreState seeds alerts into the
  // current groups (call after the first Update and before the first Tick). A missing file is
  // not an error.
  core::Status SaveState(const std::string& path, int64_t now_ms) const;
  core::Status RestoreState(const std::string& path, int64_t now_ms);

 private:
  struct Scheduled {
    std::shared_ptr<Group> group;
    int64_t next_eval_ms = 0;
  };
  void ReplaceGroupsLocked(std::vector<GroupSpec> specs, int64_t now_ms);

  tsdb::MemoryStorage& storage_;
  mutable std::mutex options_mu_;
  ManagerOptions options_;
  std::mutex update_mu_;    // serialises Update/SetGroups/Tick/RestoreState
  mutable std::mutex mu_;   // guards groups_
  std::vector<Scheduled> groups_;
};

}  // namespace smoke::ruler
