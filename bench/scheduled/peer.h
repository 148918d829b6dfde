#pragma once
// The closest peer to the exporter's own scheduling: a real Prometheus (Debian's 2.42) scraping
// Debian's blackbox_exporter's /probe for the same targets, at the same interval and timeout,
// measured over the same kind of window (warm-up of one interval plus a timeout, then whole
// intervals). Both processes' CPU (utime+stime / wall, from /proc) and RSS are summed, since
// together they do what the exporter does alone. Prometheus's own
// prometheus_target_interval_length_seconds (the actual time between two scrapes of a target)
// stands in for schedule lag: blackbox has no scheduler of its own.
// Thread-safety: one call at a time (it starts and stops processes).

#include <string>
#include <vector>

#include "exporter/core/status.h"

namespace smoke::bench {

struct PeerOptions {
  std::vector<std::string> targets;  // URLs, as the exporter's probes use them
  int interval_s = 15;
  int timeout_s = 5;
  int intervals = 2;
  std::string blackbox = "/usr/bin/prometheus-blackbox-exporter";
  std::string dir;  // scratch directory (exists; its contents are removed by the caller)
};

struct PeerFigures {
  double prometheus_cores = 0;
  double blackbox_cores = 0;
  double prometheus_rss_bytes = 0;  // VmRSS at the end of the window
  double blackbox_rss_bytes = 0;
  // prometheus_target_interval_length_seconds{quantile="0.99"}; -1 if Prometheus had none.
  double interval_p99_s = -1;
  double passing = -1;  // count(probe_success == 1) at the end; -1 if the query failed
  double window_s = 0;
};

core::Result<PeerFigures> MeasurePeer(const PeerOptions& options);

}  // namespace smoke::bench
