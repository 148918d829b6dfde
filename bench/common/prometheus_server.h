#pragma once
// A real Prometheus (Debian's 2.42, /usr/bin/prometheus or $PROMETHEUS) started on a free
// loopback port with throwaway storage by scripts/prometheus.sh, as the integration tests do.
// The destructor stops it and removes its directory (unless halted).
// Thread-safety: not thread-safe; one owner.

#include <string>

#include "exporter/core/status.h"

namespace smoke::bench {

class PrometheusServer {
 public:
  // Starts Prometheus with `config_file` (a prometheus.yml) in `dir` (created; removed on
  // stop), with `extra_flags` appended to its command line.
  static core::Result<PrometheusServer> Start(const std::string& dir,
                                              const std::string& config_file,
                                              const std::string& extra_flags = "");
  PrometheusServer(PrometheusServer&& other) noexcept;
  PrometheusServer& operator=(PrometheusServer&&) = delete;
  PrometheusServer(const PrometheusServer&) = delete;
  ~PrometheusServer();

  const std::string& url() const { return url_; }  // http://127.0.0.1:<port>

  // Re-reads its config file (POST /-/reload) and waits until the reload has been applied.
  core::Status Reload();
  // Stops the process gracefully and keeps its directory, so that a server started on the same
  // directory afterwards replays the data from its WAL. A shutdown writes no staleness markers.
  // The object no longer owns the directory.
  core::Status Halt();
  // Stops the process and removes its directory; idempotent.
  void Stop();

 private:
  PrometheusServer(std::string dir, std::string url) : dir_(std::move(dir)), url_(std::move(url)) {}

  std::string dir_;
  std::string url_;
};

// "prometheus, version 2.42.0+ds (...)": the first line of `prometheus --version`.
std::string PrometheusVersion();

}  // namespace smoke::bench
