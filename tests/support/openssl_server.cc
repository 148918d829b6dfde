#include "tests/support/openssl_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

namespace smoke::testing {

OpenSslServer::OpenSslServer(const TestCertificate& cert, const std::filesystem::path& root) {
  const std::string log = (root / ".s_server.out").string();
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<std::string> args = {"openssl",     "s_server",    "-accept",
                                   "127.0.0.1:0", "-cert",       cert.cert_file,
                                   "-key",        cert.key_file, "-WWW"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string dir = root.string();

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int null = open("/dev/null", O_RDWR);
    if (out < 0 || null < 0 || chdir(dir.c_str()) != 0) _exit(127);
    dup2(null, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    execvp("openssl", argv.data());
    _exit(127);
  }

  // s_server prints "ACCEPT 127.0.0.1:<port>" once it listens.
  constexpr std::string_view kAccept = "ACCEPT 127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string output;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    output = ss.str();
    const size_t at = output.find(kAccept);
    const size_t digits = at == std::string::npos ? at : at + kAccept.size();
    if (digits != std::string::npos && output.find('\n', digits) != std::string::npos) {
      port_ = std::stoi(output.substr(digits));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  throw std::runtime_error("openssl s_server did not start: " + output);
}

OpenSslServer::~OpenSslServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

std::string OpenSslServer::base_url() const { return "https://" + address(); }

std::string OpenSslServer::address() const { return "127.0.0.1:" + std::to_string(port_); }

}  // namespace smoke::testing
