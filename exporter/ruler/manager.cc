#include "exporter/ruler/manager.h"

#include <glob.h>

#include <algorithm>
#include <climits>
#include <map>

#include "exporter/ruler/alert_state_file.h"

namespace smoke::ruler {
namespace {

int64_t ToMs(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// Expands glob patterns as Prometheus's rule_files do; a pattern without matches is kept as a
// path so that loading reports it as missing.
std::vector<std::string> ExpandGlobs(const std::vector<std::string>& patterns) {
  std::vector<std::string> out;
  for (const std::string& pattern : patterns) {
    glob_t g{};
    if (::glob(pattern.c_str(), 0, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
    } else {
      out.push_back(pattern);
    }
    ::globfree(&g);
  }
  return out;
}

// Prometheus's RestoreForState, applied to the state saved at `down_ms`, for a pending alert:
// the time spent pending before the restart counts, the downtime does not, and an alert close to
// firing gets at least the grace period.
bool RestorePendingActiveAt(Alert* a, int64_t hold_ms, int64_t down_ms, int64_t now_ms,
                            int64_t grace_ms) {
  if (hold_ms < grace_ms) return false;
  const int64_t remaining = hold_ms - (down_ms - a->active_at_ms);
  if (remaining <= 0) return true;
  if (remaining < grace_ms) {
    a->active_at_ms = now_ms + grace_ms - hold_ms;
  } else {
    a->active_at_ms += now_ms - down_ms;
  }
  return true;
}

}  // namespace

Manager::Manager(ManagerOptions options, tsdb::MemoryStorage& storage)
    : storage_(storage), options_(std::move(options)) {}

void Manager::SetOptions(ManagerOptions options) {
  std::lock_guard<std::mutex> lock(options_mu_);
  options_ = std::move(options);
}

ManagerOptions Manager::options() const {
  std::lock_guard<std::mutex> lock(options_mu_);
  return options_;
}

Manager::~Manager() = default;

core::Status Manager::Update(const std::vector<std::string>& files, int64_t now_ms,
                             std::vector<GroupSpec> generated) {
  std::lock_guard<std::mutex> update_lock(update_mu_);
  std::vector<GroupSpec> specs;
  std::string errors;
  for (const std::string& path : ExpandGlobs(files)) {
    core::Result<RuleFile> file = LoadRuleFile(path, options().load);
    if (!file.ok()) {
      if (!errors.empty()) errors += "\n";
      errors += file.status().message();
      continue;
    }
    for (GroupSpec& g : file->groups) specs.push_back(std::move(g));
  }
  if (!errors.empty()) return core::Status::Error(errors);
  for (GroupSpec& g : generated) specs.push_back(std::move(g));
  ReplaceGroupsLocked(std::move(specs), now_ms);
  return core::Status::Ok();
}

void Manager::SetGroups(std::vector<GroupSpec> groups, int64_t now_ms) {
  std::lock_guard<std::mutex> update_lock(update_mu_);
  ReplaceGroupsLocked(std::move(groups), now_ms);
}

void Manager::ReplaceGroupsLocked(std::vector<GroupSpec> specs, int64_t now_ms) {
  std::map<std::string, Scheduled> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Scheduled& s : groups_) old.emplace(s.group->Key(), std::move(s));
  }
  const GroupOptions group_options = options().group;
  std::vector<Scheduled> fresh;
  for (GroupSpec& spec : specs) {
    Scheduled s;
    s.group = std::make_shared<Group>(std::move(spec), group_options);
    auto it = old.find(s.group->Key());
    if (it != old.end()) {
      s.group->CopyStateFrom(*it->second.group);
      // Keep the slot when the interval did not change, so a reload does not delay evaluation.
      s.next_eval_ms = it->second.group->interval() == s.group->interval()
                           ? it->second.next_eval_ms
                           : s.group->EvalTimestamp(now_ms) + ToMs(s.group->interval());
      old.erase(it);
    } else {
      s.next_eval_ms = s.group->EvalTimestamp(now_ms) + ToMs(s.group->interval());
    }
    fresh.push_back(std::move(s));
  }
  for (auto& [key, removed] : old) removed.group->MarkStale(now_ms, storage_);
  std::lock_guard<std::mutex> lock(mu_);
  groups_ = std::move(fresh);
}

int Manager::Tick(int64_t now_ms) {
  std::lock_guard<std::mutex> update_lock(update_mu_);
  std::vector<Scheduled*> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Scheduled& s : groups_) {
      if (s.next_eval_ms <= now_ms) due.push_back(&s);
    }
  }
  for (Scheduled* s : due) {
    const int64_t interval = std::max<int64_t>(1, ToMs(s->group->interval()));
    // Slots that passed entirely while we were busy (or stopped) are skipped and counted.
    const int64_t missed = (now_ms - s->next_eval_ms) / interval;
    const int64_t ts = s->next_eval_ms + missed * interval;
    s->group->Eval(ts, storage_, static_cast<uint64_t>(missed));
    s->next_eval_ms = ts + interval;
  }
  return static_cast<int>(due.size());
}

int64_t Manager::NextDue() const {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t next = INT64_MAX;
  for (const Scheduled& s : groups_) next = std::min(next, s.next_eval_ms);
  return next;
}

std::vector<GroupStatus> Manager::Snapshot() const {
  std::vector<std::shared_ptr<Group>> groups;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const Scheduled& s : groups_) groups.push_back(s.group);
  }
  std::vector<GroupStatus> out;
  for (const auto& g : groups) out.push_back(g->Snapshot());
  return out;
}

size_t Manager::NumGroups() const {
  std::lock_guard<std::mutex> lock(mu_);
  return groups_.size();
}

core::Status Manager::SaveState(const std::string& path, int64_t now_ms) const {
  SavedAlertState state;
  state.saved_at_ms = now_ms;
  std::vector<std::shared_ptr<Group>> groups;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const Scheduled& s : groups_) groups.push_back(s.group);
  }
  for (const auto& g : groups) {
    GroupStatus status = g->Snapshot();
    std::map<std::string, int> seen;
    for (RuleStatus& r : status.rules) {
      const int index = seen[r.name]++;
      if (!r.alerting || r.alerts.empty()) continue;
      state.rules.push_back(SavedRuleAlerts{g->Key(), r.name, index, std::move(r.alerts)});
    }
  }
  return WriteAlertState(path, state);
}

core::Status Manager::RestoreState(const std::string& path, int64_t now_ms) {
  core::Result<std::optional<SavedAlertState>> saved = ReadAlertState(path);
  if (!saved.ok()) return saved.status();
  if (!saved->has_value()) return core::Status::Ok();
  const SavedAlertState& state = **saved;
  const int64_t down_ms = state.saved_at_ms;
  const ManagerOptions opts = options();
  if (now_ms - down_ms > ToMs(opts.for_outage_tolerance)) return core::Status::Ok();

  std::lock_guard<std::mutex> update_lock(update_mu_);
  std::map<std::string, std::shared_ptr<Group>> by_key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const Scheduled& s : groups_) by_key[s.group->Key()] = s.group;
  }
  for (const SavedRuleAlerts& r : state.rules) {
    auto it = by_key.find(r.group_key);
    if (it == by_key.end()) continue;
    int64_t hold_ms = -1;
    int index = 0;
    for (const RuleStatus& rs : it->second->Snapshot().rules) {
      if (rs.name == r.rule && index++ == r.index) hold_ms = ToMs(rs.for_duration);
    }
    for (Alert a : r.alerts) {
      if (a.state == AlertState::kPending &&
          !RestorePendingActiveAt(&a, hold_ms, down_ms, now_ms, ToMs(opts.for_grace_period))) {
        continue;
      }
      it->second->RestoreAlert(r.rule, r.index, a);
    }
  }
  return core::Status::Ok();
}

}  // namespace smoke::ruler
