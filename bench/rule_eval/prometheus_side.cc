#include "bench/rule_eval/prometheus_side.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "bench/common/exposition_server.h"
#include "bench/common/http_fetch.h"
#include "bench/common/prometheus_server.h"
#include "bench/rule_eval/prometheus_rule_metrics.h"

namespace smoke::bench {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

std::string Seconds(int64_t t_ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(t_ms / 1000),
                static_cast<long long>(t_ms % 1000));
  return buf;
}

// With `target`, the benchmark's target is scraped every scrape interval (honor_labels: true, so
// the exposition's own job label, x_total's, is kept, as our replay does); without, nothing is.
core::Status WriteConfig(const std::string& path, const std::string& target,
                         const PromSideOptions& o, bool with_rules) {
  std::ofstream out(path);
  const std::string scrape = std::to_string(o.scrape_interval_s) + "s";
  out << "global:\n  scrape_interval: " << scrape << "\n  scrape_timeout: " << scrape
      << "\n  evaluation_interval: " << o.eval_interval_s << "s\n";
  if (with_rules) {
    out << "rule_files:\n";
    for (const std::string& f : o.rule_files) out << "  - '" << f << "'\n";
  }
  if (!target.empty()) {
    out << "scrape_configs:\n  - job_name: bench\n    honor_labels: true\n"
        << "    static_configs:\n      - targets: ['" << target << "']\n";
  }
  out.close();
  return out ? core::Status::Ok() : core::Status::Error("cannot write " + path);
}

core::Result<nlohmann::json> Query(const std::string& url, const std::string& expr, int64_t t_ms,
                                   bool stats) {
  core::Result<std::string> body = HttpGet(url + "/api/v1/query?query=" + UrlEncode(expr) +
                                           "&time=" + Seconds(t_ms) + (stats ? "&stats=all" : ""));
  if (!body.ok()) return body.status();
  nlohmann::json j = nlohmann::json::parse(*body, nullptr, false);
  if (j.is_discarded() || j.value("status", "") != "success") {
    return core::Status::Error("query " + expr + ": " + body->substr(0, 300));
  }
  return j["data"];
}

// The phase (ms within the interval) of evaluations that started at `starts`: Prometheus 2.42's
// last_evaluation_timestamp is the start time, the evaluation's timestamp plus the ticker's
// delay; the phase is the earliest start modulo the interval, taken circularly.
int64_t Phase(const std::vector<int64_t>& starts, int64_t interval_ms) {
  int64_t best = starts.front() % interval_ms, best_spread = interval_ms;
  for (int64_t s : starts) {
    const int64_t c = s % interval_ms;
    int64_t spread = 0;
    for (int64_t x : starts)
      spread = std::max(spread, (x % interval_ms - c + interval_ms) % interval_ms);
    if (spread < best_spread) {
      best_spread = spread;
      best = c;
    }
  }
  return best;
}

}  // namespace

core::Result<PromSideResult> RunPrometheusSide(const PromSideOptions& o, ScrapeSource& source) {
  PromSideResult result;
  struct Served {
    int64_t run_time_ms;
    size_t hash;
    size_t lines;
  };
  std::mutex mu;
  std::vector<Served> served;
  ExpositionServer server([&] {
    const int64_t run_time = NowMs();
    std::string text = source.Next(run_time);
    const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    std::lock_guard lock(mu);
    served.push_back({run_time, std::hash<std::string>()(text), lines});
    return text;
  });
  auto served_count = [&] {
    std::lock_guard lock(mu);
    return served.size();
  };
  result.target = server.address();
  const int64_t scrape_ms = 1000LL * o.scrape_interval_s;
  const int64_t eval_ms = 1000LL * o.eval_interval_s;

  // 1. Feed.
  const std::string config = o.work_dir + "/prometheus.yml";
  const std::string prom_dir = o.work_dir + "/prometheus";
  core::Status st = WriteConfig(config, server.address(), o, false);
  if (!st.ok()) return st;
  core::Result<PrometheusServer> feeder = PrometheusServer::Start(prom_dir, config);
  if (!feeder.ok()) return feeder.status();
  std::fprintf(stderr, "prometheus at %s; %d scrapes every %d s...\n", feeder->url().c_str(),
               o.scrapes, o.scrape_interval_s);
  const int64_t feed_deadline = NowMs() + 30'000 + 2 * scrape_ms * o.scrapes;
  while (served_count() < static_cast<size_t>(o.scrapes)) {
    if (NowMs() > feed_deadline) {
      return core::Status::Error("Prometheus scraped only " + std::to_string(served_count()) +
                                 " times in time");
    }
    SleepMs(50);
  }

  // 2. Freeze: a graceful shutdown writes no staleness markers (a reload that changes the
  // scrape interval does, once the old target's loop ends), and the restart replays the data
  // from the WAL with nothing to scrape: nothing competes with the rules for the CPU.
  if (st = feeder->Halt(); !st.ok()) return st;
  const size_t fed = served_count();
  if (st = WriteConfig(config, "", o, true); !st.ok()) return st;
  core::Result<PrometheusServer> prom = PrometheusServer::Start(prom_dir, config);
  if (!prom.ok()) return prom.status();
  const std::string url = prom->url();

  // 3. Rules on frozen data.
  std::fprintf(stderr, "restarted at %s after %zu scrapes; rules evaluate every %d s for %d s...\n",
               url.c_str(), fed, o.eval_interval_s, o.quiet_seconds);
  std::map<std::string, std::map<int64_t, double>> by_start;  // group -> start ms -> seconds
  const int64_t quiet_end = NowMs() + 1000LL * o.quiet_seconds;
  int64_t first_poll = 0, last_poll = 0;
  double first_cpu = 0, last_cpu = 0, first_iterations = 0, last_iterations = 0;
  std::map<std::string, PromGroupMetrics> last;
  while (NowMs() < quiet_end) {
    core::Result<PromRuleMetrics> m = ReadPromRuleMetrics(url);
    if (!m.ok()) return m.status();
    last_poll = NowMs();
    double iterations = 0;
    for (const auto& [group, g] : m->groups) {
      if (g.last_eval_ms > 0) by_start[group][g.last_eval_ms] = g.last_duration_seconds;
      iterations += g.iterations;
    }
    if (first_poll == 0) {
      first_poll = last_poll;
      first_cpu = m->process_cpu_seconds;
      first_iterations = iterations;
    }
    last_cpu = m->process_cpu_seconds;
    last_iterations = iterations;
    last = m->groups;
    SleepMs(200);
  }
  result.t_end = last_poll - eval_ms;
  double seen_evaluations = 0;
  for (const auto& [group, starts] : by_start) {
    std::vector<int64_t> keys;
    for (const auto& [start, seconds] : starts) keys.push_back(start);
    const int64_t phase = Phase(keys, eval_ms);
    for (const auto& [start, seconds] : starts) {
      const int64_t slot = start - ((start - phase) % eval_ms + eval_ms) % eval_ms;
      if (slot <= result.t_end) result.evaluations[group][slot] = seconds;
    }
    seen_evaluations += static_cast<double>(starts.size());
  }
  for (const auto& [group, g] : last) {
    result.iterations_missed += g.iterations_missed;
    result.evaluation_failures += g.evaluation_failures;
    result.unobserved += g.iterations;
  }
  result.unobserved -= seen_evaluations;
  if (last_iterations > first_iterations && !last.empty()) {
    result.cpu_per_round = (last_cpu - first_cpu) / (last_iterations - first_iterations) *
                           static_cast<double>(last.size());
  }

  // The scrapes as Prometheus stored them: the i-th sample of `up` is the i-th text served.
  core::Result<nlohmann::json> up = Query(
      url, "up{job=\"bench\"}[" + std::to_string(o.scrapes * o.scrape_interval_s * 3 + 600) + "s]",
      result.t_end, false);
  if (!up.ok()) return up.status();
  if ((*up)["result"].size() != 1) return core::Status::Error("expected one up series");
  {
    std::lock_guard lock(mu);
    const auto& values = (*up)["result"][0]["values"];
    // A scrape in flight at the shutdown may have been answered but not stored.
    if (values.size() + 1 == served.size()) served.pop_back();
    if (values.size() != served.size()) {
      return core::Status::Error("Prometheus stored " + std::to_string(values.size()) +
                                 " scrapes, the target answered " + std::to_string(served.size()));
    }
    for (size_t i = 0; i < values.size(); ++i) {
      ScrapeRecord r;
      r.t_ms = std::llround(values[i][0].get<double>() * 1000);
      r.stored = values[i][1].get<std::string>() == "1";
      r.run_time_ms = served[i].run_time_ms;
      r.text_hash = served[i].hash;
      result.scrapes.push_back(r);
    }
    result.exposition_lines = served.back().lines;
  }
  for (const std::string& e : o.check_exprs) {
    core::Result<nlohmann::json> d = Query(url, e, result.t_end, false);
    if (!d.ok()) return d.status();
    result.checks.push_back(FromPrometheusJson(*d));
  }

  // 4. Query level, nothing else running.
  if (st = WriteConfig(config, "", o, false); !st.ok()) return st;
  if (st = prom->Reload(); !st.ok()) return st;
  SleepMs(1000);
  for (const std::string& e : o.timed_exprs) {
    std::vector<double> seconds;
    for (int r = 0; r <= o.runs; ++r) {
      core::Result<nlohmann::json> d = Query(url, e, result.t_end, true);
      if (!d.ok()) return d.status();
      if (r == 0) {
        result.query_results.push_back(FromPrometheusJson(*d));
      } else {
        seconds.push_back((*d)["stats"]["timings"]["evalTotalTime"].get<double>());
      }
    }
    result.query_seconds.push_back(std::move(seconds));
  }
  return result;
}

}  // namespace smoke::bench
