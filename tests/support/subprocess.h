#pragma once
// Runs a program (the smoke_exporter binary in e2e tests) with its stdout and stderr captured to
// files, and stops it on destruction.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace smoke::testing {

class Subprocess {
 public:
  // `env` entries ("NAME=value") are added to the current environment.
  Subprocess(std::vector<std::string> argv, const std::string& output_dir,
             std::vector<std::string> env = {});
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig) const;
  // Waits for exit; returns the exit status (or 128+signal), nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string stdout_path_;
  std::string stderr_path_;
};

// Polls `condition` every 20 ms until it returns true or `timeout` passes. Returns the final
// value. The timeout only guards against hangs; tests never rely on it elapsing.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace smoke::testing
