#include "exporter/ruler/group.h"

#include <chrono>

#include "exporter/promql/printer.h"
#include "exporter/promql/storage.h"
#include "exporter/ruler/alerting_rule.h"
#include "exporter/ruler/recording_rule.h"

namespace smoke::ruler {
namespace {

int64_t ToMs(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

struct Group::RuleSlot {
  std::unique_ptr<Rule> rule;
  AlertingRule* alerting = nullptr;  // rule, if it is an alerting rule
  // Series written by the last successful evaluation, by Labels::Key().
  std::map<std::string, promql::Labels> previous;
};

Group::Group(GroupSpec spec, GroupOptions options)
    : spec_(std::move(spec)),
      options_(std::move(options)),
      interval_(spec_.interval.value_or(options_.default_interval)),
      query_offset_(spec_.query_offset.value_or(options_.default_query_offset)) {
  for (const RuleSpec& r : spec_.rules) {
    RuleSlot slot;
    if (r.is_alert()) {
      auto rule = std::make_unique<AlertingRule>(r);
      slot.alerting = rule.get();
      slot.rule = std::move(rule);
    } else {
      slot.rule = std::make_unique<RecordingRule>(r);
    }
    rules_.push_back(std::move(slot));
  }
}

Group::~Group() = default;

int64_t Group::EvalTimestamp(int64_t now_ms) const {
  const int64_t interval = std::max<int64_t>(1, ToMs(interval_));
  const int64_t offset =
      options_.spread_evaluation
          ? static_cast<int64_t>(promql::Labels{{"name", spec_.name}, {"file", spec_.file}}.Hash() %
                                 static_cast<uint64_t>(interval))
          : 0;
  const int64_t adjusted = now_ms - offset;
  int64_t base = adjusted - adjusted % interval;
  if (adjusted < 0 && adjusted % interval != 0) base -= interval;
  return base + offset;
}

void Group::Eval(int64_t ts_ms, tsdb::MemoryStorage& storage, uint64_t missed) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto group_start = std::chrono::steady_clock::now();
  RuleEvalContext ctx;
  ctx.ts_ms = ts_ms;
  ctx.query_offset_ms = ToMs(query_offset_);
  ctx.storage = &storage;
  ctx.eval_options = options_.eval_options;
  ctx.limit = spec_.limit;
  ctx.external_labels = &options_.external_labels;
  ctx.external_url = options_.external_url;

  uint64_t samples = 0;
  for (RuleSlot& slot : rules_) {
    const auto rule_start = std::chrono::steady_clock::now();
    core::Result<promql::Vector> out = slot.rule->Eval(ctx);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - rule_start).count();
    slot.rule->RecordEvaluation(ts_ms, seconds, out.status());
    if (!out.ok()) {
      ++evaluation_failures_;
      continue;  // as Prometheus: no staleness markers after a failed evaluation
    }
    if (slot.alerting != nullptr && options_.notify) {
      std::vector<Alert> to_send = slot.alerting->TakeAlertsToSend(
          ts_ms, ToMs(options_.resend_delay), ToMs(interval_));
      if (!to_send.empty()) options_.notify(slot.rule->spec(), to_send);
    }
    std::map<std::string, promql::Labels> written;
    for (const promql::Sample& s : *out) written.emplace(s.labels.Key(), s.labels);
    promql::Vector batch = std::move(out).value();
    for (const auto& [key, labels] : slot.previous) {
      if (written.count(key) == 0) {
        batch.push_back(promql::Sample{labels, ctx.query_ts_ms(), promql::StaleNaN()});
      }
    }
    samples += storage.Append(batch).appended;
    slot.previous = std::move(written);
  }
  last_eval_ms_ = ts_ms;
  last_duration_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - group_start).count();
  ++iterations_;
  iterations_missed_ += missed;
  samples_written_ = samples;
}

void Group::MarkStale(int64_t ts_ms, tsdb::MemoryStorage& storage) {
  std::lock_guard<std::mutex> lock(mu_);
  promql::Vector batch;
  for (RuleSlot& slot : rules_) {
    for (const auto& [key, labels] : slot.previous) {
      batch.push_back(promql::Sample{labels, ts_ms, promql::StaleNaN()});
    }
    slot.previous.clear();
  }
  storage.Append(batch);
}

void Group::CopyStateFrom(Group& old) {
  std::scoped_lock lock(mu_, old.mu_);
  std::map<std::string, std::vector<RuleSlot*>> old_by_name;
  for (RuleSlot& slot : old.rules_) old_by_name[slot.rule->name()].push_back(&slot);
  std::map<std::string, size_t> seen;
  for (RuleSlot& slot : rules_) {
    const size_t index = seen[slot.rule->name()]++;
    auto it = old_by_name.find(slot.rule->name());
    if (it == old_by_name.end() || index >= it->second.size()) continue;
    RuleSlot& from = *it->second[index];
    slot.previous = std::move(from.previous);
    if (slot.alerting != nullptr && from.alerting != nullptr) {
      for (const Alert& a : from.alerting->Alerts()) slot.alerting->Restore(a);
    }
  }
  last_eval_ms_ = old.last_eval_ms_;
  iterations_ = old.iterations_;
  iterations_missed_ = old.iterations_missed_;
  evaluation_failures_ = old.evaluation_failures_;
}

bool Group::RestoreAlert(const std::string& rule_name, int index, const Alert& alert) {
  std::lock_guard<std::mutex> lock(mu_);
  int seen = 0;
  for (RuleSlot& slot : rules_) {
    if (slot.rule->name() != rule_name) continue;
    if (seen++ != index) continue;
    if (slot.alerting == nullptr) return false;
    slot.alerting->Restore(alert);
    return true;
  }
  return false;
}

GroupStatus Group::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  GroupStatus g;
  g.name = spec_.name;
  g.file = spec_.file;
  g.interval = interval_;
  g.limit = spec_.limit;
  g.last_eval_ms = last_eval_ms_;
  g.last_duration_seconds = last_duration_seconds_;
  g.iterations = iterations_;
  g.iterations_missed = iterations_missed_;
  g.evaluation_failures = evaluation_failures_;
  g.samples_written = samples_written_;
  for (const RuleSlot& slot : rules_) {
    const RuleSpec& spec = slot.rule->spec();
    RuleStatus r;
    r.name = spec.name();
    r.alerting = spec.is_alert();
    r.query = spec.parsed ? promql::ExprToString(*spec.parsed) : spec.expr;
    r.for_duration = spec.for_duration;
    r.keep_firing_for = spec.keep_firing_for;
    r.labels = spec.labels;
    r.annotations = spec.annotations;
    r.health = slot.rule->health();
    r.last_error = slot.rule->last_error();
    r.last_eval_ms = slot.rule->last_eval_ms();
    r.last_duration_seconds = slot.rule->last_duration_seconds();
    if (slot.alerting != nullptr) {
      r.state = slot.alerting->State();
      r.alerts = slot.alerting->Alerts();
    }
    g.rules.push_back(std::move(r));
  }
  return g;
}

}  // namespace smoke::ruler
