#include "bench/common/prometheus_server.h"

#include <cstdlib>

#include "bench/common/command.h"
#include "bench/common/http_fetch.h"

namespace smoke::bench {
namespace {

std::string Script() { return std::string(SMOKE_SOURCE_DIR) + "/scripts/prometheus.sh"; }

std::string Binary() {
  const char* env = std::getenv("PROMETHEUS");
  return env != nullptr && *env != '\0' ? env : "/usr/bin/prometheus";
}

}  // namespace

core::Result<PrometheusServer> PrometheusServer::Start(const std::string& dir,
                                                       const std::string& config_file,
                                                       const std::string& extra_flags) {
  std::string cmd = "PROM_ARGS=" + ShellQuote(extra_flags) + " " + ShellQuote(Script()) +
                    " start " + ShellQuote(dir) + " " + ShellQuote(config_file);
  core::Result<std::string> out = RunCommand(cmd);
  if (!out.ok()) return out.status();
  const size_t at = out->find("URL=");
  if (at == std::string::npos) return core::Status::Error("prometheus.sh printed no URL: " + *out);
  const size_t end = out->find('\n', at);
  return PrometheusServer(dir, out->substr(at + 4, end == std::string::npos ? end : end - at - 4));
}

PrometheusServer::PrometheusServer(PrometheusServer&& other) noexcept
    : dir_(std::move(other.dir_)), url_(std::move(other.url_)) {
  other.dir_.clear();
}

PrometheusServer::~PrometheusServer() { Stop(); }

core::Status PrometheusServer::Reload() {
  core::Result<std::string> r = HttpPost(url_ + "/-/reload");
  return r.ok() ? core::Status::Ok() : r.status();
}

core::Status PrometheusServer::Halt() {
  if (dir_.empty()) return core::Status::Ok();
  core::Result<std::string> out = RunCommand(ShellQuote(Script()) + " halt " + ShellQuote(dir_));
  dir_.clear();
  return out.ok() ? core::Status::Ok() : out.status();
}

void PrometheusServer::Stop() {
  if (dir_.empty()) return;
  (void)RunCommand(ShellQuote(Script()) + " stop " + ShellQuote(dir_));
  dir_.clear();
}

std::string PrometheusVersion() {
  core::Result<std::string> out = RunCommand(ShellQuote(Binary()) + " --version 2>&1");
  if (!out.ok()) return "unknown";
  return out->substr(0, out->find('\n'));
}

}  // namespace smoke::bench
