#pragma once
// The Prometheus side of bench_rule_eval, against a real Prometheus 2.42 on loopback:
//  1. Feed: Prometheus scrapes the benchmark's target (an ExpositionServer over a ScrapeSource)
//     every scrape interval, with no rules loaded, for `scrapes` scrapes.
//  2. Freeze: Prometheus is shut down gracefully (which writes no staleness markers) and
//     started again on the same storage with the rules and without any scrape config: the data
//     stays as the last scrape left it, and nothing competes with the rules for the CPU.
//  3. Rules: the rule files are loaded; every group evaluates every evaluation interval for
//     `quiet_seconds`. Its /metrics is polled every 200 ms: each evaluation's
//     prometheus_rule_group_last_duration_seconds, the iteration counters and the process's
//     CPU time. Then the cross-check expressions are queried at the last fully observed
//     evaluation time (t_end), with the rules' output in place.
//  4. Query level: the rules are unloaded and each timed expression is queried at t_end through
//     /api/v1/query?stats=all (evalTotalTime), once to warm up and `runs` times.
// What our side needs to replay the same data and evaluations is returned with the figures.
// Thread-safety: runs on the calling thread (the target's server answers on its own).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/rule_eval/replay.h"
#include "bench/rule_eval/result_compare.h"
#include "bench/rule_eval/scrape_source.h"
#include "exporter/core/status.h"

namespace smoke::bench {

struct PromSideOptions {
  std::string work_dir;  // Prometheus's data and config go below it
  std::vector<std::string> rule_files;
  int scrape_interval_s = 2;
  int eval_interval_s = 4;
  int scrapes = 30;
  int quiet_seconds = 32;
  int runs = 11;
  std::vector<std::string> check_exprs;  // queried at t_end with the rules loaded
  std::vector<std::string> timed_exprs;  // query level
};

struct PromSideResult {
  std::string target;                 // "127.0.0.1:<port>": the instance label
  std::vector<ScrapeRecord> scrapes;  // as Prometheus stored them, in order
  size_t exposition_lines = 0;        // of the last scrape
  // Per group: evaluation timestamp (slot) -> wall seconds, every evaluation observed.
  std::map<std::string, std::map<int64_t, double>> evaluations;
  int64_t t_end = 0;  // evaluations up to here were all observed and finished
  // Process CPU seconds per round (one evaluation of every group) while only rules ran:
  // the CPU time between the first and last poll, divided by the evaluations in between and
  // multiplied by the number of groups. Includes its GC and answering the polls.
  double cpu_per_round = 0;
  double iterations_missed = 0;
  double evaluation_failures = 0;
  double unobserved = 0;          // evaluations counted by Prometheus that no poll saw
  std::vector<ResultMap> checks;  // per check_exprs
  std::vector<std::vector<double>> query_seconds;  // per timed_exprs: evalTotalTime of each run
  std::vector<ResultMap> query_results;            // per timed_exprs
};

core::Result<PromSideResult> RunPrometheusSide(const PromSideOptions& options,
                                               ScrapeSource& source);

}  // namespace smoke::bench
