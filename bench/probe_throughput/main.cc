// bench_probe_throughput: on-demand /probe throughput and CPU per probe, smoke_exporter vs
// Debian's prometheus-blackbox-exporter, side by side in one run. Both probe the same local HTTP
// target with an equivalent module (HTTP GET, expect 2xx), driven by the same load generator
// (wrk, Debian's package, with N connections for D seconds, one peer after the other; a Lua
// script counts the answers that say probe_success 1. Without /usr/bin/wrk, or with
// --driver threads, N in-process libcurl client threads in a closed loop instead).
// CPU is each exporter process's utime+stime from /proc/PID/stat over the measured window.
// Prints probes/s, CPU-ms per probe, and "probes per CPU-second, ours / blackbox" (issue 9
// target: >= 3).

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/common/command.h"
#include "bench/common/exposition_server.h"
#include "bench/common/http_fetch.h"
#include "bench/common/machine.h"
#include "bench/common/process.h"

namespace smoke::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  int clients = 8;
  int seconds = 10;
  std::string exporter = SMOKE_EXPORTER_BINARY;
  std::string blackbox = "/usr/bin/prometheus-blackbox-exporter";
  std::string wrk = "/usr/bin/wrk";
  std::string driver;  // "wrk" or "threads"; empty = wrk if it is installed
  bool close = false;  // wrk sends "Connection: close": a new connection per probe
};

// Counts, in each wrk thread, the answers that report a successful probe (an HTTP 200 with
// probe_success 0 is a failed probe), and prints the totals when wrk is done.
constexpr const char* kWrkScript = R"lua(
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; failed = 0 end
function response(status, headers, body)
  if status == 200 and string.find(body, "probe_success 1", 1, true) then
    ok = ok + 1
  else
    failed = failed + 1
  end
end
function done(summary, latency, requests)
  local o, f = 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); f = f + t:get("failed") end
  io.write(string.format("probes_ok %d\nprobes_failed %d\n", o, f))
end
)lua";

struct Result {
  double probes_per_second = 0;
  double cpu_ms_per_probe = 0;
  long ok = 0;
  long failed = 0;         // answered, but not 200 with probe_success 1
  long socket_errors = 0;  // wrk: connect, read, write or timeout errors
  std::string error;       // the load generator could not run
};

// The integer after `key` in wrk's output, 0 if absent.
long After(const std::string& out, const std::string& key) {
  const size_t at = out.find(key);
  return at == std::string::npos ? 0 : std::atol(out.c_str() + at + key.size());
}

// Drives `url` with wrk for `seconds` and measures `pid`'s CPU meanwhile.
Result DriveWrk(const std::string& url, pid_t pid, const Flags& flags, const std::string& script) {
  for (int i = 0; i < 20; ++i) (void)HttpGet(url);  // warm-up
  const int threads = flags.clients < 2 ? 1 : 2;    // two cores: more wrk threads only contend
  const std::string command = ShellQuote(flags.wrk) + " -t" + std::to_string(threads) + " -c" +
                              std::to_string(flags.clients) + " -d" +
                              std::to_string(flags.seconds) + "s --timeout 10s " +
                              (flags.close ? "-H 'Connection: close' " : "") + "-s " +
                              ShellQuote(script) + " " + ShellQuote(url);
  const double cpu_before = CpuSeconds(pid);
  const auto start = Clock::now();
  auto out = RunCommand(command);
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = CpuSeconds(pid) - cpu_before;
  Result r;
  if (!out.ok()) {
    r.error = out.status().message();
    return r;
  }
  if (out->find("probes_ok ") == std::string::npos) {
    r.error = "wrk printed no probe counts: " + *out;
    return r;
  }
  r.ok = After(*out, "probes_ok ");
  // Socket errors (connect, read, write, timeout) never reach the Lua response() callback.
  r.failed = After(*out, "probes_failed ");
  // Socket errors never reach the Lua response() callback, so they are counted apart.
  const size_t socket_errors = out->find("Socket errors:");
  if (socket_errors != std::string::npos) {
    const std::string line =
        out->substr(socket_errors, out->find('\n', socket_errors) - socket_errors);
    r.socket_errors = After(line, "connect ") + After(line, "read ") + After(line, "write ") +
                      After(line, "timeout ");
  }
  r.probes_per_second = static_cast<double>(r.ok) / wall;
  r.cpu_ms_per_probe = r.ok > 0 ? 1000.0 * cpu / static_cast<double>(r.ok) : 0;
  return r;
}

// Drives `url` from `clients` threads for `seconds` and measures `pid`'s CPU meanwhile.
Result DriveThreads(const std::string& url, pid_t pid, const Flags& flags) {
  for (int i = 0; i < 20; ++i) (void)HttpGet(url);  // warm-up
  std::atomic<long> ok{0}, failed{0};
  const double cpu_before = CpuSeconds(pid);
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(flags.seconds);
  std::vector<std::thread> threads;
  for (int i = 0; i < flags.clients; ++i) {
    threads.emplace_back([&] {
      while (Clock::now() < end) {
        auto body = HttpGet(url);
        const bool success = body.ok() && body->find("probe_success 1") != std::string::npos;
        (success ? ok : failed)++;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = CpuSeconds(pid) - cpu_before;
  Result r;
  r.ok = ok.load();
  r.failed = failed.load();
  r.probes_per_second = static_cast<double>(r.ok) / wall;
  r.cpu_ms_per_probe = r.ok > 0 ? 1000.0 * cpu / static_cast<double>(r.ok) : 0;
  return r;
}

bool WaitUntilUp(const std::string& url) {
  for (int i = 0; i < 200; ++i) {
    if (HttpGet(url, std::chrono::seconds(1)).ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int Main(const Flags& flags) {
  std::printf("%s\n", DescribeMachine().c_str());
  ExpositionServer target([] { return std::string("ok\n"); });
  const std::string target_url = "http://" + target.address() + "/metrics";
  char dir[] = "/tmp/bench-probe-XXXXXX";
  if (::mkdtemp(dir) == nullptr) return 1;
  const RemoveOnExit remove_dir(dir);
  const std::string ours_config = std::string(dir) + "/smoke.yml";
  std::ofstream(ours_config)
      << "modules:\n  http_2xx: {kind: http}\n"
         "probe_endpoint: {allowed_targets: ['http://127\\.0\\.0\\.1:\\d+/.*']}\n";
  const std::string bb_config = std::string(dir) + "/blackbox.yml";
  std::ofstream(bb_config) << "modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n";

  const std::string ours_port = FreePort();
  const std::string bb_port = FreePort();
  Child ours({flags.exporter, "--config.file=" + ours_config,
              "--web.listen-address=127.0.0.1:" + ours_port, "--log.level=warn"});
  Child blackbox({flags.blackbox, "--config.file=" + bb_config,
                  "--web.listen-address=127.0.0.1:" + bb_port, "--log.level=warn"});
  const std::string query = "/probe?module=http_2xx&target=" + UrlEncode(target_url);
  const std::string ours_url = "http://127.0.0.1:" + ours_port + query;
  const std::string bb_url = "http://127.0.0.1:" + bb_port + query;
  if (!WaitUntilUp(ours_url) || !WaitUntilUp(bb_url)) {
    std::fprintf(stderr, "an exporter did not come up\n");
    return 1;
  }
  const std::string script = std::string(dir) + "/count.lua";
  std::ofstream(script) << kWrkScript;
  const bool use_wrk = flags.driver == "wrk";
  auto drive = [&](const std::string& url, pid_t pid) {
    return use_wrk ? DriveWrk(url, pid, flags, script) : DriveThreads(url, pid, flags);
  };
  const double load_start = LoadAverage();
  const Result a = drive(ours_url, ours.pid());
  const Result b = drive(bb_url, blackbox.pid());
  const double load_end = LoadAverage();
  for (const Result* r : {&a, &b}) {
    if (!r->error.empty()) {
      std::fprintf(stderr, "load generator failed: %s\n", r->error.c_str());
      return 1;
    }
  }
  std::printf(
      "load generator: %s, %d connections%s, %d s per peer; load average %.2f at "
      "start, %.2f at end\n",
      use_wrk ? "wrk" : "in-process libcurl threads", flags.clients,
      use_wrk && !flags.close ? " (keep-alive)" : ", a new connection per probe", flags.seconds,
      load_start, load_end);
  std::printf("%-16s %12s %12s %16s %8s %14s\n", "", "probes ok", "probes/s", "CPU ms/probe",
              "failed", "socket errors");
  for (const auto& [name, r] : {std::pair{"smoke_exporter", &a}, std::pair{"blackbox 0.23", &b}}) {
    std::printf("%-16s %12ld %12.0f %16.3f %8ld %14ld\n", name, r->ok, r->probes_per_second,
                r->cpu_ms_per_probe, r->failed, r->socket_errors);
  }
  const double ratio = a.cpu_ms_per_probe > 0 ? b.cpu_ms_per_probe / a.cpu_ms_per_probe : 0;
  std::printf("probes per CPU-second, ours / blackbox: %.2f (target >= 3)\n", ratio);
  std::printf("throughput, ours / blackbox: %.2f\n",
              b.probes_per_second > 0 ? a.probes_per_second / b.probes_per_second : 0);
  std::printf("reproduce: bench_probe_throughput --clients %d --seconds %d --driver %s%s\n",
              flags.clients, flags.seconds, flags.driver.c_str(), flags.close ? " --close" : "");
  return 0;
}

}  // namespace
}  // namespace smoke::bench

int main(int argc, char** argv) {
  smoke::bench::Flags flags;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--close") {
      flags.close = true;
      --i;  // no value
      continue;
    }
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (flag == "--clients" && value) {
      flags.clients = std::atoi(value);
    } else if (flag == "--seconds" && value) {
      flags.seconds = std::atoi(value);
    } else if (flag == "--exporter" && value) {
      flags.exporter = value;
    } else if (flag == "--blackbox" && value) {
      flags.blackbox = value;
    } else if (flag == "--wrk" && value) {
      flags.wrk = value;
    } else if (flag == "--driver" && value &&
               (std::string(value) == "wrk" || std::string(value) == "threads")) {
      flags.driver = value;
    } else {
      std::fprintf(stderr,
                   "usage: bench_probe_throughput [--clients N (8)] [--seconds S (10)] "
                   "[--exporter PATH] [--blackbox PATH]\n"
                   "                              [--driver wrk|threads (wrk if installed)] "
                   "[--wrk PATH (/usr/bin/wrk)]\n"
                   "                              [--close (wrk: Connection: close, a new "
                   "connection per probe)]\n");
      return 2;
    }
  }
  if (flags.driver.empty()) {
    flags.driver = ::access(flags.wrk.c_str(), X_OK) == 0 ? "wrk" : "threads";
  }
  return smoke::bench::Main(flags);
}
