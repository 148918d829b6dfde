#include "bench/common/command.h"

#include <sys/wait.h>

#include <cstdio>

namespace smoke::bench {

core::Result<std::string> RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return core::Status::Error("cannot run: " + command);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  if (status != 0) {
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return core::Status::Error("`" + command + "` exited with " + std::to_string(code) + ": " +
                               out.substr(out.size() > 500 ? out.size() - 500 : 0));
  }
  return out;
}

std::string ShellQuote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

}  // namespace smoke::bench
