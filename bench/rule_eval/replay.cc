#include "bench/rule_eval/replay.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>

#include "bench/rule_eval/scrape_source.h"
#include "exporter/ruler/group.h"
#include "exporter/ruler/rule_file.h"
#include "exporter/tsdb/exposition_parser.h"

namespace smoke::bench {
namespace {

struct Event {
  int64_t t;
  int kind;      // 0: scrape (first at equal times: a scrape stamped t is visible at t), 1: eval
  size_t index;  // into scrapes or groups
  bool operator<(const Event& o) const {
    if (t != o.t) return t < o.t;
    if (kind != o.kind) return kind < o.kind;
    return index < o.index;
  }
};

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

promql::Vector ToBatch(const tsdb::ParsedExposition& parsed, const promql::Labels& target,
                       int64_t t_ms) {
  promql::Vector batch;
  batch.reserve(parsed.samples.size());
  for (const tsdb::ExpositionSample& s : parsed.samples) {
    promql::Labels labels = s.labels;
    for (const promql::Label& l : target) {
      if (!labels.Has(l.name)) labels = labels.Set(l.name, l.value);  // honor_labels: true
    }
    batch.push_back(promql::Sample{std::move(labels), s.timestamp_ms.value_or(t_ms), s.value});
  }
  return batch;
}

}  // namespace

core::Result<ReplayResult> Replay(const ReplayPlan& plan, tsdb::MemoryStorage& storage) {
  ReplayResult result;
  std::vector<std::unique_ptr<ruler::Group>> groups;
  for (const std::string& file : plan.rule_files) {
    core::Result<ruler::RuleFile> loaded = ruler::LoadRuleFile(file);
    if (!loaded.ok()) return loaded.status();
    for (ruler::GroupSpec& spec : loaded->groups) {
      ruler::GroupOptions options;
      options.default_interval = std::chrono::milliseconds(plan.interval_ms);
      options.eval_options = plan.eval_options;
      options.eval_options.default_subquery_step = std::chrono::milliseconds(plan.interval_ms);
      result.rules[spec.file + ";" + spec.name] = spec.rules.size();
      groups.push_back(std::make_unique<ruler::Group>(std::move(spec), options));
    }
  }

  std::vector<Event> events;
  for (size_t i = 0; i < plan.scrapes.size(); ++i) events.push_back({plan.scrapes[i].t_ms, 0, i});
  for (size_t g = 0; g < groups.size(); ++g) {
    auto evals = plan.evaluations.find(groups[g]->Key());
    if (evals == plan.evaluations.end()) {
      return core::Status::Error("Prometheus did not evaluate group " + groups[g]->Key());
    }
    for (int64_t t : evals->second) events.push_back({t, 1, g});
  }
  std::sort(events.begin(), events.end());

  ScrapeSource source(plan.alert, plan.fleet);
  for (const Event& e : events) {
    if (e.kind == 0) {
      const ScrapeRecord& rec = plan.scrapes[e.index];
      std::string text = source.Next(rec.run_time_ms);
      if (std::hash<std::string>()(text) != rec.text_hash) {
        return core::Status::Error("scrape " + std::to_string(e.index) +
                                   ": the regenerated text differs from the one served");
      }
      if (!rec.stored) continue;
      const auto start = std::chrono::steady_clock::now();
      core::Result<tsdb::ParsedExposition> parsed = tsdb::ParseTextExposition(text);
      if (!parsed.ok()) return core::Status::Error("scrape: " + parsed.status().message());
      const tsdb::MemoryStorage::BatchResult appended =
          storage.Append(ToBatch(*parsed, plan.target_labels, rec.t_ms));
      result.ingest_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (appended.appended != parsed->samples.size()) {
        return core::Status::Error("scrape " + std::to_string(e.index) + ": only " +
                                   std::to_string(appended.appended) + " of " +
                                   std::to_string(parsed->samples.size()) + " samples stored");
      }
      ++result.scrapes;
      continue;
    }
    ruler::Group& group = *groups[e.index];
    const double cpu_start = ThreadCpuSeconds();
    group.Eval(e.t, storage);
    const double cpu = ThreadCpuSeconds() - cpu_start;
    ++result.evaluations;
    const ruler::GroupStatus status = group.Snapshot();
    auto measured = plan.measured.find(group.Key());
    if (measured != plan.measured.end() && measured->second.count(e.t) > 0) {
      result.durations[group.Key()].push_back(status.last_duration_seconds);
      result.cpu[group.Key()].push_back(cpu);
    }
  }
  for (const auto& group : groups) {
    const ruler::GroupStatus status = group->Snapshot();
    result.evaluation_failures += status.evaluation_failures;
    for (const ruler::RuleStatus& r : status.rules) {
      if (!r.last_error.empty() && result.errors.size() < 5) {
        result.errors.push_back(group->Key() + " " + r.name + ": " + r.last_error);
      }
    }
  }
  return result;
}

}  // namespace smoke::bench
