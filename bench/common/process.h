#pragma once
// The processes a benchmark measures (an exporter under test, its peer): started as children,
// stopped on destruction, and read from /proc for CPU time and memory.
// Thread-safety: Child is not thread-safe (one owner); the functions are reentrant.

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace smoke::bench {

// A child process started with posix_spawn; SIGTERM and reaped on destruction.
class Child {
 public:
  // argv[0] is the executable's path. With a non-empty `log_file`, the child's stdout and
  // stderr go there (a 10k-probe exporter logs too much for the benchmark's own output).
  explicit Child(const std::vector<std::string>& argv, const std::string& log_file = "");
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }  // -1 if it could not be started
  // False once the child has exited (reaped here; the destructor then does nothing).
  bool Running();

 private:
  pid_t pid_ = -1;
};

// Removes a scratch directory (rm -rf) when it goes out of scope, early returns included.
class RemoveOnExit {
 public:
  explicit RemoveOnExit(std::string dir) : dir_(std::move(dir)) {}
  ~RemoveOnExit();
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;

 private:
  std::string dir_;
};

// utime + stime of `pid` so far, in seconds (/proc/PID/stat); 0 if unreadable.
double CpuSeconds(pid_t pid);

struct ProcessMemory {
  double rss_bytes = 0;  // VmRSS: resident now
  double hwm_bytes = 0;  // VmHWM: peak resident since start
};
// From /proc/PID/status; zeros if unreadable.
ProcessMemory ReadProcessMemory(pid_t pid);

// A TCP port on 127.0.0.1 that is free right now (scripts/free_port.sh), "0" if none.
std::string FreePort();

// The 1-minute load average (/proc/loadavg), for a benchmark's start and end lines.
double LoadAverage();

}  // namespace smoke::bench
