// bench_scheduled: the real smoke_exporter binary scheduling N HTTP probes (issue 9: 1k and 10k
// at 15 s), started as a subprocess with a generated config. Over a bounded window of whole
// intervals after a warm-up it reports the exporter's CPU cores (utime+stime / wall), its RSS
// (VmRSS at the end of the window, VmHWM at the end of the run), the scheduler's lag
// (smoke_scheduler_lag_seconds, the window's delta: p50/p99 interpolated as
// histogram_quantile() does, and the exact share <= 100 ms, which is the target; also per lane:
// healthy probes run in the fast lane, blackholed ones in the slow lane), and how often the
// healthy probes ran (per-probe smoke_scheduler_runs_total shows whether they kept their slots).
// With --blackholed F, that share of the probes targets a socket that never answers, so each of
// their runs holds a worker until its timeout. Then it times --scrapes sequential GETs of /metrics
// (p50/p99 latency, bytes). blackbox_exporter has no scheduler (it probes only on demand), so the
// absolute targets are the criterion: < 1 core, < 300 MB RSS, lag p99 < 100 ms. With --peer it then
// also measures the nearest equivalent for the same targets, Prometheus scraping
// blackbox_exporter's /probe (peer.h).

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/common/blackhole_listener.h"
#include "bench/common/command.h"
#include "bench/common/exposition_server.h"
#include "bench/common/http_fetch.h"
#include "bench/common/machine.h"
#include "bench/common/process.h"
#include "bench/common/stats.h"
#include "bench/scheduled/peer.h"
#include "bench/scheduled/scheduler_snapshot.h"

namespace smoke::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  int targets = 1000;
  double blackholed = 0;  // share of the targets that never answer
  int interval_s = 15;
  int intervals = 2;             // measured intervals, after one warm-up interval
  int timeout_s = 5;             // the exporter's default
  int max_concurrency = 0;       // 0 = the exporter's default (32)
  int slow_max_concurrency = 0;  // 0 = the exporter's default (256)
  int scrapes = 20;
  bool peer = false;  // also measure Prometheus scraping blackbox_exporter for the same targets
  std::string exporter = SMOKE_EXPORTER_BINARY;
  std::string blackbox = "/usr/bin/prometheus-blackbox-exporter";
};

std::string Reproduce(const Flags& f) {
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "bench_scheduled --targets %d --blackholed %g --interval %d --intervals %d "
                "--timeout %d --max-concurrency %d --slow-max-concurrency %d --scrapes %d%s",
                f.targets, f.blackholed, f.interval_s, f.intervals, f.timeout_s, f.max_concurrency,
                f.slow_max_concurrency, f.scrapes, f.peer ? " --peer" : "");
  return buf;
}

bool IsBlackholed(int i, double share) {
  // Spread evenly: probe i is blackholed when the running share crosses an integer.
  return std::floor((i + 1) * share) > std::floor(i * share);
}

std::string ProbeName(int i, bool blackholed) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%05d", blackholed ? "b" : "h", i);
  return buf;
}

std::vector<std::string> TargetUrls(const Flags& f, const std::string& healthy,
                                    const std::string& blackhole) {
  std::vector<std::string> urls;
  for (int i = 0; i < f.targets; ++i) {
    const bool b = IsBlackholed(i, f.blackholed);
    urls.push_back("http://" + (b ? blackhole : healthy) + "/metrics/" + ProbeName(i, b));
  }
  return urls;
}

void WriteConfig(const std::string& path, const Flags& f, const std::vector<std::string>& urls) {
  std::ofstream out(path);
  out << "global:\n  interval: " << f.interval_s << "s\n  timeout: " << f.timeout_s << "s\n";
  if (f.max_concurrency > 0) out << "  max_concurrency: " << f.max_concurrency << "\n";
  if (f.slow_max_concurrency > 0) {
    out << "  slow_max_concurrency: " << f.slow_max_concurrency << "\n";
  }
  out << "probes:\n";
  for (int i = 0; i < f.targets; ++i) {
    out << "  - {name: " << ProbeName(i, IsBlackholed(i, f.blackholed)) << ", kind: http, target: '"
        << urls[i] << "'}\n";
  }
}

// Sleeps until `until`, returning false early if the exporter exits.
bool SleepWhileRunning(Child& child, Clock::time_point until) {
  while (Clock::now() < until) {
    if (!child.Running()) return false;
    std::this_thread::sleep_for(
        std::min<Clock::duration>(std::chrono::milliseconds(500), until - Clock::now()));
  }
  return child.Running();
}

core::Result<SchedulerSnapshot> Snapshot(const std::string& metrics_url) {
  auto body = HttpGet(metrics_url, std::chrono::seconds(120));
  if (!body.ok()) return body.status();
  return ParseSchedulerSnapshot(*body);
}

const char* Verdict(bool met) { return met ? "met" : "MISSED"; }

int Main(const Flags& f) {
  std::printf("%s\n", DescribeMachine().c_str());
  const double load_start = LoadAverage();
  ExpositionServer target([] { return std::string("ok\n"); });
  BlackholeListener blackhole;
  char dir[] = "/tmp/bench-scheduled-XXXXXX";
  if (::mkdtemp(dir) == nullptr) return 1;
  const RemoveOnExit remove_dir(dir);
  const std::string config = std::string(dir) + "/smoke.yml";
  const std::vector<std::string> urls = TargetUrls(f, target.address(), blackhole.address());
  WriteConfig(config, f, urls);

  const std::string port = FreePort();
  const std::string base = "http://127.0.0.1:" + port;
  const auto started = Clock::now();
  auto exporter_process = std::make_unique<Child>(
      std::vector<std::string>{f.exporter, "--config.file=" + config,
                               "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"},
      std::string(dir) + "/exporter.log");
  Child& exporter = *exporter_process;
  bool up = false;
  for (int i = 0; i < 600 && !up && exporter.Running(); ++i) {
    up = HttpGet(base + "/-/healthy", std::chrono::seconds(1)).ok();
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!up) {
    std::fprintf(stderr, "the exporter did not come up; its log: %s/exporter.log\n", dir);
    return 1;
  }
  const double startup_s = std::chrono::duration<double>(Clock::now() - started).count();

  // Warm-up: one interval plus a timeout, so every probe has had its first run (spread over up
  // to 5 s plus jitter) and the first blackholed runs have timed out. All first runs fall in the
  // same few seconds, so every interval has that burst, and the window's edges may cut through
  // it: per-probe run counts in the window vary by one, and their mean need not be exactly 1.
  const auto interval = std::chrono::seconds(f.interval_s);
  if (!SleepWhileRunning(exporter, Clock::now() + interval + std::chrono::seconds(f.timeout_s))) {
    std::fprintf(stderr, "the exporter exited during warm-up; its log: %s/exporter.log\n", dir);
    return 1;
  }
  // The window has no /metrics scrapes in it: the snapshot before is taken before the CPU
  // reading, the one after after it.
  auto before = Snapshot(base + "/metrics");
  if (!before.ok()) {
    std::fprintf(stderr, "%s\n", before.status().message().c_str());
    return 1;
  }
  const double cpu0 = CpuSeconds(exporter.pid());
  const auto t0 = Clock::now();
  if (!SleepWhileRunning(exporter, t0 + f.intervals * interval)) {
    std::fprintf(stderr, "the exporter exited during the run; its log: %s/exporter.log\n", dir);
    return 1;
  }
  const double cpu1 = CpuSeconds(exporter.pid());
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const ProcessMemory window_mem = ReadProcessMemory(exporter.pid());
  auto after = Snapshot(base + "/metrics");
  if (!after.ok()) {
    std::fprintf(stderr, "%s\n", after.status().message().c_str());
    return 1;
  }

  std::vector<double> latencies_ms;
  double bytes = 0;
  for (int i = 0; i < f.scrapes; ++i) {
    const auto s = Clock::now();
    auto body = HttpGet(base + "/metrics", std::chrono::seconds(120));
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - s).count());
    if (!body.ok()) {
      std::fprintf(stderr, "%s\n", body.status().message().c_str());
      return 1;
    }
    bytes = static_cast<double>(body->size());
  }
  const ProcessMemory end_mem = ReadProcessMemory(exporter.pid());

  const SchedulerSnapshot d = Delta(*after, *before);
  const double cores = wall > 0 ? (cpu1 - cpu0) / wall : 0;
  const double p50 = HistogramQuantile(0.5, d.lag.buckets);
  const double p99 = HistogramQuantile(0.99, d.lag.buckets);
  const double on_time = ShareAtOrBelow(0.1, d.lag.buckets);
  int healthy = 0, healthy_every_slot = 0, healthy_passing = 0, blackholed = 0;
  double healthy_runs = 0, blackholed_runs = 0, overlaps = 0, missed = 0;
  for (const auto& [name, p] : d.probes) {
    if (name.empty()) continue;
    overlaps += p.overlaps_skipped;
    missed += p.missed;
    if (name[0] == 'h') {
      ++healthy;
      healthy_runs += p.runs;
      // With per-run jitter a probe's slots can straddle the window's edges, so a probe that
      // kept its schedule ran intervals - 1 to intervals + 1 times in it.
      if (p.runs >= f.intervals - 1 && p.overlaps_skipped == 0 && p.missed == 0) {
        ++healthy_every_slot;
      }
      if (p.success == 1) ++healthy_passing;
    } else {
      ++blackholed;
      blackholed_runs += p.runs;
    }
  }
  exporter_process.reset();  // stopped before the peer runs

  std::printf(
      "targets %d (%d healthy, %d blackholed), interval %ds, timeout %ds, "
      "max_concurrency %s, slow_max_concurrency %s; startup %.1f s; window %.1f s (%d "
      "intervals)\n",
      f.targets, healthy, blackholed, f.interval_s, f.timeout_s,
      f.max_concurrency > 0 ? std::to_string(f.max_concurrency).c_str() : "32 (default)",
      f.slow_max_concurrency > 0 ? std::to_string(f.slow_max_concurrency).c_str() : "256 (default)",
      startup_s, wall, f.intervals);
  std::printf("%-44s %14s  %s\n", "figure", "value", "target");
  std::printf("%-44s %14.3f  < 1: %s\n", "CPU cores (utime+stime / wall)", cores,
              Verdict(cores < 1));
  std::printf("%-44s %14.1f  < 300: %s\n", "RSS MB, end of window (VmRSS)",
              window_mem.rss_bytes / 1e6, Verdict(window_mem.rss_bytes < 300e6));
  std::printf("%-44s %14.1f  < 300: %s\n", "RSS MB, peak incl. scrapes (VmHWM)",
              end_mem.hwm_bytes / 1e6, Verdict(end_mem.hwm_bytes < 300e6));
  std::printf("%-44s %14.0f\n", "runs started in window (lag observations)", d.lag.count);
  std::printf("%-44s %14.2f\n", "lag mean ms",
              d.lag.count > 0 ? 1000 * d.lag.sum / d.lag.count : 0);
  std::printf("%-44s %14.2f\n", "lag p50 ms (interpolated in buckets)", 1000 * p50);
  std::printf("%-44s %14.2f  < 100: %s\n", "lag p99 ms (interpolated in buckets)", 1000 * p99,
              Verdict(on_time >= 0.99));
  std::printf("%-44s %13.3f%%  >= 99%%\n", "runs with lag <= 100 ms (exact)", 100 * on_time);
  for (const auto& [lane, h] : d.lag_by_lane) {
    if (lane.empty()) continue;  // an exporter without lanes
    std::printf("%-44s %14.2f  (%.0f runs, %.3f%% <= 100 ms)\n",
                ("  " + lane + " lane: lag p99 ms").c_str(),
                1000 * HistogramQuantile(0.99, h.buckets), h.count,
                100 * ShareAtOrBelow(0.1, h.buckets));
  }
  std::printf("%-44s %14.0f\n", "runs queued for a worker (saturation)", d.saturation_delayed);
  std::printf("%-44s %14.0f\n", "runs skipped, previous in flight", overlaps);
  std::printf("%-44s %14.0f\n", "slots missed", missed);
  std::printf("%-44s %14.2f  (1.00 on schedule)\n", "healthy runs per probe per interval",
              healthy > 0 ? healthy_runs / healthy / f.intervals : 0);
  std::printf("%-44s %8d / %-5d\n", "healthy probes, >= K-1 runs and none skipped",
              healthy_every_slot, healthy);
  std::printf("%-44s %8d / %-5d\n", "healthy probes passing at the end", healthy_passing, healthy);
  if (blackholed > 0) {
    std::printf("%-44s %14.2f\n", "blackholed runs per probe per interval",
                blackholed_runs / blackholed / f.intervals);
  }
  std::printf("/metrics: %d scrapes, %.0f bytes (%.1f MB), latency p50 %.1f ms, p99 %.1f ms\n",
              f.scrapes, bytes, bytes / 1e6, Percentile(latencies_ms, 50),
              Percentile(latencies_ms, 99));
  if (f.peer) {
    PeerOptions po;
    po.targets = urls;
    po.interval_s = f.interval_s;
    po.timeout_s = f.timeout_s;
    po.intervals = f.intervals;
    po.blackbox = f.blackbox;
    po.dir = dir;
    auto peer = MeasurePeer(po);
    if (!peer.ok()) {
      std::fprintf(stderr, "peer: %s\n", peer.status().message().c_str());
      return 1;
    }
    const double peer_cores = peer->prometheus_cores + peer->blackbox_cores;
    const double peer_rss = peer->prometheus_rss_bytes + peer->blackbox_rss_bytes;
    std::printf(
        "peer: Prometheus 2.42 scraping blackbox_exporter 0.23 /probe for the same "
        "targets (window %.1f s)\n",
        peer->window_s);
    std::printf("%-44s %.3f + %.3f = %.3f   ours / peer: %.2f\n",
                "CPU cores, Prometheus + blackbox", peer->prometheus_cores, peer->blackbox_cores,
                peer_cores, peer_cores > 0 ? cores / peer_cores : 0);
    std::printf("%-44s %.1f + %.1f = %.1f   ours / peer: %.2f\n",
                "RSS MB, Prometheus + blackbox (VmRSS)", peer->prometheus_rss_bytes / 1e6,
                peer->blackbox_rss_bytes / 1e6, peer_rss / 1e6,
                peer_rss > 0 ? window_mem.rss_bytes / peer_rss : 0);
    // Prometheus reports -1 for a figure it did not have (too short a run): "n/a".
    auto figure = [](bool known, double v, const char* format) {
      char buf[32];
      std::snprintf(buf, sizeof buf, format, v);
      return std::string(known ? buf : "n/a");
    };
    const std::string interval_excess =
        figure(peer->interval_p99_s >= 0, 1000 * (peer->interval_p99_s - f.interval_s), "%.2f");
    std::printf("%-44s %14s  (ours: lag p99 %.2f ms)\n", "scrape interval p99 - interval, ms",
                interval_excess.c_str(), 1000 * p99);
    std::printf("%-44s %8s / %-5d\n", "healthy targets passing at the end",
                figure(peer->passing >= 0, peer->passing, "%.0f").c_str(), healthy);
  } else {
    std::printf(
        "peer: none run (--peer adds Prometheus scraping blackbox_exporter); the "
        "absolute targets are the criterion\n");
  }
  std::printf("load average %.2f at start, %.2f at end\n", load_start, LoadAverage());
  std::printf("reproduce: %s\n", Reproduce(f).c_str());
  return 0;
}

}  // namespace
}  // namespace smoke::bench

int main(int argc, char** argv) {
  smoke::bench::Flags flags;
  bool ok = true;
  for (int i = 1; i < argc && ok; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--peer") {
      flags.peer = true;
      --i;  // no value
      continue;
    }
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    ok = value != nullptr;
    if (!ok) break;
    if (flag == "--targets") {
      flags.targets = std::atoi(value);
    } else if (flag == "--blackholed") {
      flags.blackholed = std::atof(value);
    } else if (flag == "--interval") {
      flags.interval_s = std::atoi(value);
    } else if (flag == "--intervals") {
      flags.intervals = std::atoi(value);
    } else if (flag == "--timeout") {
      flags.timeout_s = std::atoi(value);
    } else if (flag == "--max-concurrency") {
      flags.max_concurrency = std::atoi(value);
    } else if (flag == "--slow-max-concurrency") {
      flags.slow_max_concurrency = std::atoi(value);
    } else if (flag == "--scrapes") {
      flags.scrapes = std::atoi(value);
    } else if (flag == "--exporter") {
      flags.exporter = value;
    } else if (flag == "--blackbox") {
      flags.blackbox = value;
    } else {
      ok = false;
    }
  }
  if (!ok || flags.targets < 1 || flags.targets > 99999 || flags.blackholed < 0 ||
      flags.blackholed > 1 || flags.interval_s < 1 || flags.intervals < 1 || flags.timeout_s < 1 ||
      flags.timeout_s > flags.interval_s || flags.max_concurrency < 0 ||
      flags.slow_max_concurrency < 0 || flags.scrapes < 1) {
    std::fprintf(stderr,
                 "usage: bench_scheduled [--targets N (1000, at most 99999)] [--blackholed SHARE "
                 "(0; 0.5 = half)]\n"
                 "                       [--interval S (15)] [--intervals K (2, measured after "
                 "one warm-up interval)]\n"
                 "                       [--timeout S (5, <= interval)] [--max-concurrency N "
                 "(0 = exporter default 32)]\n"
                 "                       [--slow-max-concurrency N (0 = exporter default 256)]\n"
                 "                       [--scrapes M (20)] [--peer] [--exporter PATH] "
                 "[--blackbox PATH]\n");
    return 2;
  }
  return smoke::bench::Main(flags);
}
