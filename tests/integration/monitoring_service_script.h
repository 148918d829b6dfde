#pragma once
// A service started by one of the scripts/ that take "start DIR [ARGS]" and "stop DIR" and
// print URL=... and/or PORT=... (prometheus.sh, alertmanager.sh, pg.sh, redis.sh), in a fresh
// directory, for tests/integration/monitoring_*_test.cc. Halt() stops the process and keeps the
// directory (scripts that have no halt ignore it); destruction stops it and removes the directory.

#include <stdlib.h>

#include <stdexcept>
#include <string>

#include "tests/support/shell.h"

namespace smoke::testing {

class ScriptService {
 public:
  // `args` follow "start DIR" and are passed to the shell as written.
  explicit ScriptService(std::string script, const std::string& args = "")
      : script_(std::move(script)) {
    char dir[] = "/tmp/smoke-mon-XXXXXX";
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    int status = 0;
    const std::string out =
        Shell(script_ + " start " + ShellQuote(dir_) + " " + args + " 2>&1", &status);
    for (size_t pos = 0; pos < out.size();) {
      const size_t nl = out.find('\n', pos);
      const std::string line = out.substr(pos, nl - pos);
      if (line.rfind("URL=", 0) == 0) url_ = line.substr(4);
      if (line.rfind("PORT=", 0) == 0) port_ = std::stoi(line.substr(5));
      pos = nl == std::string::npos ? out.size() : nl + 1;
    }
    if (status != 0 || (url_.empty() && port_ == 0)) {
      Shell(script_ + " stop " + ShellQuote(dir_));
      throw std::runtime_error(script_ + " start failed: " + out);
    }
  }
  ~ScriptService() { Shell(script_ + " stop " + ShellQuote(dir_)); }
  ScriptService(const ScriptService&) = delete;
  ScriptService& operator=(const ScriptService&) = delete;

  void Halt() { Shell(script_ + " halt " + ShellQuote(dir_) + " 2>&1"); }
  const std::string& url() const { return url_; }
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string script_;
  std::string dir_;
  std::string url_;
  int port_ = 0;
};

}  // namespace smoke::testing
