// bench_rule_eval: rule evaluation time of the embedded engine (smoke::ruler, smoke::promql,
// smoke::tsdb) against a real Prometheus 2.42 evaluating the same rule files over the same
// scraped data, in one run (issues 5 and 9). See prometheus_side.h for how Prometheus is fed,
// frozen and measured, and replay.h for our side. Prints, per rule group, the median wall time
// of the same evaluations on both sides, CPU per round of all groups, the query-level time of
// each typical expression, whether the results agree, and the command that reproduces it.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/common/machine.h"
#include "bench/common/prometheus_server.h"
#include "bench/common/stats.h"
#include "bench/rule_eval/prometheus_side.h"
#include "bench/rule_eval/replay.h"
#include "bench/rule_eval/result_compare.h"
#include "bench/rule_eval/rule_set.h"
#include "exporter/promql/engine.h"
#include "exporter/promql/parser.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::bench {
namespace {

struct Flags {
  int probes = 300;
  int series = 10'000;
  int scrape_interval_s = 2;
  int eval_interval_s = 4;
  int scrapes = 30;
  int quiet_seconds = 32;
  int runs = 11;
  int compat = 2;
  bool keep = false;
};

std::string Command(const Flags& f) {
  return "bench_rule_eval --probes " + std::to_string(f.probes) + " --series " +
         std::to_string(f.series) + " --scrape-interval " + std::to_string(f.scrape_interval_s) +
         " --eval-interval " + std::to_string(f.eval_interval_s) + " --scrapes " +
         std::to_string(f.scrapes) + " --quiet " + std::to_string(f.quiet_seconds) + " --runs " +
         std::to_string(f.runs) + " --compat " + std::to_string(f.compat);
}

std::string ShortGroup(const std::string& key) {
  const size_t semi = key.find(';');
  return std::filesystem::path(key.substr(0, semi)).filename().string() + ";" +
         key.substr(semi + 1);
}

std::string Truncate(std::string s, size_t n) {
  return s.size() > n ? s.substr(0, n - 3) + "..." : s;
}

int Fail(const core::Status& s) {
  std::fprintf(stderr, "bench_rule_eval: %s\n", s.message().c_str());
  return 2;
}

int Run(const Flags& flags) {
  std::printf("bench_rule_eval: rule evaluation, smoke_exporter's embedded engine vs Prometheus\n");
  std::printf("machine: %s\n", DescribeMachine().c_str());
  std::printf("peer: %s (/usr/bin/prometheus): same rule files, same scraped data, same run\n",
              PrometheusVersion().c_str());
  std::fflush(stdout);

  char tmpl[] = "/tmp/bench_rule_eval.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return Fail(core::Status::Error("mkdtemp failed"));
  struct Cleanup {
    std::string dir;
    bool keep;
    ~Cleanup() {
      if (!keep) std::filesystem::remove_all(dir);
    }
  } cleanup{tmpl, flags.keep};

  core::Result<std::vector<std::string>> files = PrepareRuleFiles(cleanup.dir);
  if (!files.ok()) return Fail(files.status());

  AlertSeriesOptions alert;
  alert.counter_series = alert.histogram_series = alert.ratio_series = flags.series;
  FleetOptions fleet;
  fleet.probes = flags.probes;
  const std::vector<std::string> check_exprs = {
      "count by (alertname, alertstate) (ALERTS)",
      "count by (__name__) ({__name__=~\".+:.+\"})",
  };

  PromSideOptions po;
  po.work_dir = cleanup.dir;
  po.rule_files = *files;
  po.scrape_interval_s = flags.scrape_interval_s;
  po.eval_interval_s = flags.eval_interval_s;
  po.scrapes = flags.scrapes;
  po.quiet_seconds = flags.quiet_seconds;
  po.runs = flags.runs;
  po.check_exprs = check_exprs;
  for (const TypicalExpression& e : TypicalExpressions()) po.timed_exprs.push_back(e.expr);
  core::Result<PromSideResult> prom = [&] {
    ScrapeSource source(alert, fleet);
    return RunPrometheusSide(po, source);
  }();
  if (!prom.ok()) return Fail(prom.status());
  std::fprintf(stderr, "Prometheus stopped; replaying %zu scrapes and %zu groups into ours...\n",
               prom->scrapes.size(), prom->evaluations.size());

  // Our side: the same scrapes, the same evaluations.
  ReplayPlan plan;
  plan.rule_files = *files;
  plan.scrapes = prom->scrapes;
  plan.alert = alert;
  plan.fleet = fleet;
  plan.target_labels = promql::Labels{{"job", "bench"}, {"instance", prom->target}};
  plan.eval_options.compatibility =
      flags.compat == 3 ? promql::Compatibility::kPrometheus3 : promql::Compatibility::kPrometheus2;
  plan.interval_ms = 1000LL * flags.eval_interval_s;
  // The first two evaluations of each group are a warm-up: the first creates the group's
  // output series, and after a start Prometheus writes no ALERTS until it has restored alert
  // state, which it does after its second evaluation.
  for (const auto& [group, evals] : prom->evaluations) {
    size_t n = 0;
    for (const auto& [slot, seconds] : evals) {
      plan.evaluations[group].push_back(slot);
      if (n++ >= 2) plan.measured[group].insert(slot);
    }
  }
  tsdb::MemoryStorage storage;
  core::Result<ReplayResult> ours = Replay(plan, storage);
  if (!ours.ok()) return Fail(ours.status());

  std::vector<std::vector<double>> our_query_seconds;
  std::vector<ResultMap> our_query_results;
  for (const TypicalExpression& e : TypicalExpressions()) {
    core::Result<promql::ExprPtr> expr = promql::ParseExpr(e.expr);
    if (!expr.ok()) return Fail(expr.status());
    std::vector<double> seconds;
    for (int r = 0; r <= flags.runs; ++r) {
      const auto start = std::chrono::steady_clock::now();
      core::Result<promql::Value> v =
          promql::EvalInstant(**expr, storage, prom->t_end, plan.eval_options);
      const auto stop = std::chrono::steady_clock::now();
      if (!v.ok()) return Fail(v.status());
      if (r == 0) {
        our_query_results.push_back(FromValue(*v));
      } else {
        seconds.push_back(std::chrono::duration<double>(stop - start).count());
      }
    }
    our_query_seconds.push_back(std::move(seconds));
  }
  std::vector<ResultMap> our_checks;
  for (const std::string& e : check_exprs) {
    core::Result<promql::ExprPtr> expr = promql::ParseExpr(e);
    if (!expr.ok()) return Fail(expr.status());
    core::Result<promql::Value> v =
        promql::EvalInstant(**expr, storage, prom->t_end, plan.eval_options);
    our_checks.push_back(v.ok() ? FromValue(*v) : ResultMap{});
  }

  // Report.
  const tsdb::StorageStats st = storage.Stats();
  std::printf("machine after the run: %s\n", DescribeMachine().c_str());
  std::printf(
      "data: %zu scrapes every %d s of one target, %zu lines each (%d series per typical "
      "family, %d probes); %zu series in our store at the end, rules' output included\n",
      prom->scrapes.size(), flags.scrape_interval_s, prom->exposition_lines, flags.series,
      flags.probes, st.series);
  size_t unstored = 0;
  for (const ScrapeRecord& r : prom->scrapes) unstored += r.stored ? 0 : 1;
  if (unstored > 0) {
    std::printf(
        "WARNING: %zu scrapes failed in Prometheus (up == 0): its data then differs from "
        "ours by staleness markers\n",
        unstored);
  }
  std::printf(
      "rules: evaluated every %d s on the frozen data (Prometheus restarted on its "
      "storage with the rules and nothing to scrape); %zu groups from %zu files\n",
      flags.eval_interval_s, prom->evaluations.size(), files->size());
  std::printf(
      "ours: ruler::Group::Eval (GroupStatus.last_duration_seconds: every rule's query, "
      "appending its output, alert state), single thread, PromQL semantics of "
      "Prometheus %d\nPrometheus: prometheus_rule_group_last_duration_seconds (its groups "
      "run concurrently)\nmedian wall time over the same evaluations (same timestamps, "
      "same data), the first two evaluations of each group left out\n",
      flags.compat);
  std::printf("\n%-52s %5s %5s %10s %10s %8s\n", "GROUP (file;name)", "RULES", "EVALS", "OURS ms",
              "PROM ms", "RATIO");
  double our_sum = 0, prom_sum = 0, log_sum = 0;
  int compared = 0;
  for (const std::string& file : *files) {
    for (const auto& [group, measured] : plan.measured) {
      if (group.substr(0, group.find(';')) != file) continue;
      std::vector<double> theirs;
      for (int64_t slot : measured) theirs.push_back(prom->evaluations.at(group).at(slot));
      const double o = Median(ours->durations[group]) * 1000;
      const double p = Median(theirs) * 1000;
      if (ours->durations[group].size() != theirs.size() || o <= 0 || p <= 0) {
        std::printf("%-52s not compared (%zu of ours, %zu of Prometheus's)\n",
                    ShortGroup(group).c_str(), ours->durations[group].size(), theirs.size());
        continue;
      }
      our_sum += o;
      prom_sum += p;
      log_sum += std::log(o / p);
      ++compared;
      std::printf("%-52s %5zu %5zu %10.3f %10.3f %8.3f\n", ShortGroup(group).c_str(),
                  ours->rules[group], theirs.size(), o, p, o / p);
    }
  }
  std::printf("%-52s %5s %5s %10.3f %10.3f %8.3f\n", "all groups: sum of medians", "", "", our_sum,
              prom_sum, prom_sum > 0 ? our_sum / prom_sum : 0);
  std::printf("%-52s %5s %5s %10s %10s %8.3f\n", "all groups: geometric mean of the ratios", "", "",
              "", "", compared > 0 ? std::exp(log_sum / compared) : 0);
  double our_cpu = 0;
  for (const auto& [group, cpu] : ours->cpu) our_cpu += Mean(cpu);
  std::printf("%-52s %5s %5s %10.3f %10.3f %8.3f\n", "all groups: CPU ms per round", "", "",
              our_cpu * 1000, prom->cpu_per_round * 1000,
              prom->cpu_per_round > 0 ? our_cpu / prom->cpu_per_round : 0);
  std::printf(
      "  (CPU per round: one evaluation of every group. Ours: the thread's CPU time in "
      "Group::Eval, mean per group, summed. Prometheus: process_cpu_seconds_total over "
      "the evaluations seen, x groups; includes its GC and answering our polls.)\n");
  std::printf(
      "rule evaluation failures: ours %llu, Prometheus %.0f; Prometheus's missed "
      "iterations %.0f, evaluations no poll saw %.0f\n",
      static_cast<unsigned long long>(ours->evaluation_failures), prom->evaluation_failures,
      prom->iterations_missed, prom->unobserved);
  for (const std::string& e : ours->errors) std::printf("  our error: %s\n", e.c_str());

  std::printf(
      "\nquery level, each typical expression at the last evaluation time: "
      "promql::EvalInstant vs /api/v1/query?stats=all evalTotalTime (rules unloaded), "
      "median of %d runs after a warm-up\n",
      flags.runs);
  std::printf("%-52s %10s %10s %8s  %s\n", "EXPRESSION", "OURS ms", "PROM ms", "RATIO",
              "RESULTS (series)");
  for (size_t i = 0; i < TypicalExpressions().size(); ++i) {
    const double o = Median(our_query_seconds[i]) * 1000;
    const double p = Median(prom->query_seconds[i]) * 1000;
    std::printf("%-52s %10.3f %10.3f %8.3f  %s\n",
                Truncate(TypicalExpressions()[i].expr, 52).c_str(), o, p, p > 0 ? o / p : 0,
                Agreement(our_query_results[i], prom->query_results[i]).c_str());
  }
  std::printf(
      "\ncross-check at the last evaluation time: ALERTS by name and state: %s; "
      "recorded series by name: %s\n",
      Agreement(our_checks[0], prom->checks[0]).c_str(),
      Agreement(our_checks[1], prom->checks[1]).c_str());
  std::printf("our ingest of all scrapes (parse + append, not part of any figure above): %.2f s\n",
              ours->ingest_seconds);
  if (flags.compat == 3) {
    std::printf("(--compat 3: our values follow Prometheus 3 and differ from 2.42's by design)\n");
  }
  std::printf("ratio = ours / Prometheus (below 1: ours is faster)\n");
  std::printf("reproduce: bench/run.sh rule_eval    (that is: %s)\n", Command(flags).c_str());
  return 0;
}

}  // namespace
}  // namespace smoke::bench

int main(int argc, char** argv) {
  smoke::bench::Flags f;
  CLI::App app{"Rule evaluation: the embedded engine vs Prometheus on the same data"};
  app.add_option("--probes", f.probes, "probes in the synthetic fleet")
      ->check(CLI::Range(1, 100000));
  app.add_option("--series", f.series, "series per typical-expression family")
      ->check(CLI::Range(100, 1000000));
  app.add_option("--scrape-interval", f.scrape_interval_s, "seconds between scrapes")
      ->check(CLI::Range(1, 30));
  app.add_option("--eval-interval", f.eval_interval_s, "seconds between group evaluations")
      ->check(CLI::Range(1, 60));
  app.add_option("--scrapes", f.scrapes, "scrapes before the data is frozen")
      ->check(CLI::Range(3, 500));
  app.add_option("--quiet", f.quiet_seconds, "seconds of rule evaluations on the frozen data")
      ->check(CLI::Range(5, 600));
  app.add_option("--runs", f.runs, "query-level runs per expression")->check(CLI::Range(1, 1000));
  app.add_option("--compat", f.compat, "our PromQL semantics: 2 (the peer's) or 3")
      ->check(CLI::IsMember({2, 3}));
  app.add_flag("--keep", f.keep, "keep the work directory (rule files, Prometheus's data)");
  CLI11_PARSE(app, argc, argv);
  return smoke::bench::Run(f);
}
