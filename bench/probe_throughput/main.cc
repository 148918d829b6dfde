// bench_probe_throughput: on-demand /probe throughput and CPU per probe, smoke_exporter vs
// Debian's prometheus-blackbox-exporter, side by side in one run. Both probe the same local HTTP
// target with an equivalent module (HTTP GET, expect 2xx), driven by the same load generator
// (N client threads calling /probe in a closed loop for D seconds, one after the other peer).
// CPU is each exporter process's utime+stime from /proc/PID/stat over the measured window.
// Prints probes/s, CPU-ms per probe, and "probes per CPU-second, ours / blackbox" (issue 9
// target: >= 3).

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/common/command.h"
#include "bench/common/exposition_server.h"
#include "bench/common/http_fetch.h"
#include "bench/common/machine.h"

extern char** environ;

namespace smoke::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  int clients = 8;
  int seconds = 10;
  std::string exporter = SMOKE_EXPORTER_BINARY;
  std::string blackbox = "/usr/bin/prometheus-blackbox-exporter";
};

// A child process killed (SIGTERM, then reaped) on destruction.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], nullptr, nullptr, args.data(), environ) != 0) pid_ = -1;
  }
  ~Child() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// utime + stime of `pid`, in seconds.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // fields 3..13
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string FreePort() {
  auto out = RunCommand(std::string(SMOKE_SOURCE_DIR) + "/scripts/free_port.sh");
  if (!out.ok()) return "0";
  std::string port = *out;
  while (!port.empty() && (port.back() == '\n' || port.back() == '\r')) port.pop_back();
  return port;
}

struct Result {
  double probes_per_second = 0;
  double cpu_ms_per_probe = 0;
  long ok = 0;
  long failed = 0;
};

// Drives `url` from `clients` threads for `seconds` and measures `pid`'s CPU meanwhile.
Result Drive(const std::string& url, pid_t pid, const Flags& flags) {
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
  const Result a = Drive(ours_url, ours.pid(), flags);
  const Result b = Drive(bb_url, blackbox.pid(), flags);
  std::printf("%-16s %12s %16s %8s\n", "", "probes/s", "CPU ms/probe", "failed");
  std::printf("%-16s %12.0f %16.3f %8ld\n", "smoke_exporter", a.probes_per_second,
              a.cpu_ms_per_probe, a.failed);
  std::printf("%-16s %12.0f %16.3f %8ld\n", "blackbox 0.23", b.probes_per_second,
              b.cpu_ms_per_probe, b.failed);
  const double ratio = a.cpu_ms_per_probe > 0 ? b.cpu_ms_per_probe / a.cpu_ms_per_probe : 0;
  std::printf("probes per CPU-second, ours / blackbox: %.2f (target >= 3)\n", ratio);
  std::printf("throughput, ours / blackbox: %.2f\n",
              b.probes_per_second > 0 ? a.probes_per_second / b.probes_per_second : 0);
  std::printf("reproduce: bench_probe_throughput --clients %d --seconds %d\n", flags.clients,
              flags.seconds);
  RunCommand("rm -rf " + ShellQuote(dir));
  return 0;
}

}  // namespace
}  // namespace smoke::bench

int main(int argc, char** argv) {
  smoke::bench::Flags flags;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (flag == "--clients" && value) {
      flags.clients = std::atoi(value);
    } else if (flag == "--seconds" && value) {
      flags.seconds = std::atoi(value);
    } else if (flag == "--exporter" && value) {
      flags.exporter = value;
    } else if (flag == "--blackbox" && value) {
      flags.blackbox = value;
    } else {
      std::fprintf(stderr,
                   "usage: bench_probe_throughput [--clients N (8)] [--seconds S (10)] "
                   "[--exporter PATH] [--blackbox PATH]\n");
      return 2;
    }
  }
  return smoke::bench::Main(flags);
}
