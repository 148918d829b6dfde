#include "bench/scheduled/peer.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "bench/common/http_fetch.h"
#include "bench/common/process.h"
#include "bench/common/prometheus_server.h"

namespace smoke::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The value of the first sample line that starts with `series` in a text exposition, or -1.
double SampleValue(const std::string& text, const std::string& series) {
  size_t at = 0;
  while ((at = text.find(series, at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      const size_t space = text.find(' ', at + series.size());
      if (space != std::string::npos) return std::strtod(text.c_str() + space + 1, nullptr);
    }
    at += series.size();
  }
  return -1;
}

// The scalar of an instant query's single result ("value":[ts,"N"]), or -1.
double QueryScalar(const std::string& prometheus, const std::string& expr) {
  auto body = HttpGet(prometheus + "/api/v1/query?query=" + UrlEncode(expr));
  if (!body.ok()) return -1;
  const size_t value = body->find("\"value\":[");
  const size_t open = value == std::string::npos ? value : body->find(",\"", value);
  if (open == std::string::npos) return -1;
  return std::strtod(body->c_str() + open + 2, nullptr);
}

}  // namespace

core::Result<PeerFigures> MeasurePeer(const PeerOptions& o) {
  const std::string bb_config = o.dir + "/blackbox.yml";
  std::ofstream(bb_config) << "modules:\n  http_2xx:\n    prober: http\n    timeout: "
                           << o.timeout_s << "s\n";
  const std::string bb_port = FreePort();
  Child blackbox({o.blackbox, "--config.file=" + bb_config,
                  "--web.listen-address=127.0.0.1:" + bb_port, "--log.level=warn"},
                 o.dir + "/blackbox.log");
  bool up = false;
  for (int i = 0; i < 100 && !up && blackbox.Running(); ++i) {
    up = HttpGet("http://127.0.0.1:" + bb_port + "/-/healthy", std::chrono::seconds(1)).ok();
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!up) return core::Status::Error("blackbox_exporter did not come up; see " + o.dir);

  // The scrape timeout is a second longer than the module's (but at most the interval, as
  // Prometheus requires), so that blackbox's own timeout, as the exporter's, ends a blackholed
  // probe.
  const std::string prom_config = o.dir + "/prometheus.yml";
  {
    std::ofstream out(prom_config);
    out << "global:\n  scrape_interval: " << o.interval_s
        << "s\n  scrape_timeout: " << std::min(o.timeout_s + 1, o.interval_s)
        << "s\nscrape_configs:\n  - job_name: blackbox\n"
        << "    metrics_path: /probe\n    params: {module: [http_2xx]}\n"
        << "    relabel_configs:\n"
        << "      - {source_labels: [__address__], target_label: __param_target}\n"
        << "      - {source_labels: [__param_target], target_label: instance}\n"
        << "      - {target_label: __address__, replacement: '127.0.0.1:" << bb_port << "'}\n"
        << "    static_configs:\n      - targets:\n";
    for (const std::string& t : o.targets) out << "        - '" << t << "'\n";
  }
  auto prometheus = PrometheusServer::Start(o.dir + "/prometheus", prom_config);
  if (!prometheus.ok()) return prometheus.status();
  std::ifstream pidfile(o.dir + "/prometheus/prometheus.pid");
  pid_t prom_pid = 0;
  pidfile >> prom_pid;
  if (prom_pid <= 0) return core::Status::Error("no prometheus.pid in " + o.dir + "/prometheus");

  std::this_thread::sleep_for(std::chrono::seconds(o.interval_s + o.timeout_s));
  const double prom0 = CpuSeconds(prom_pid), bb0 = CpuSeconds(blackbox.pid());
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.interval_s * o.intervals));
  const double prom1 = CpuSeconds(prom_pid), bb1 = CpuSeconds(blackbox.pid());
  PeerFigures f;
  f.window_s = std::chrono::duration<double>(Clock::now() - t0).count();
  f.prometheus_cores = (prom1 - prom0) / f.window_s;
  f.blackbox_cores = (bb1 - bb0) / f.window_s;
  f.prometheus_rss_bytes = ReadProcessMemory(prom_pid).rss_bytes;
  f.blackbox_rss_bytes = ReadProcessMemory(blackbox.pid()).rss_bytes;
  if (!blackbox.Running()) return core::Status::Error("blackbox_exporter exited during the run");
  auto metrics = HttpGet(prometheus->url() + "/metrics");
  if (metrics.ok()) {
    f.interval_p99_s =
        SampleValue(*metrics, "prometheus_target_interval_length_seconds{interval=\"" +
                                  std::to_string(o.interval_s) + "s\",quantile=\"0.99\"}");
  }
  f.passing = QueryScalar(prometheus->url(), "count(probe_success == 1)");
  return f;
}

}  // namespace smoke::bench
