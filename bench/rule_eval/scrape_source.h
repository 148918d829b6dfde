#pragma once
// What the benchmark's scrape target serves: the typical-expression series (alert_series.h)
// followed by the probe fleet's (probe_fleet.h), advanced one step per scrape. The server and
// the replay of our side each own one, so both produce the same texts in the same order.
// Thread-safety: none.

#include <cstdint>
#include <string>

#include "bench/common/probe_fleet.h"
#include "bench/rule_eval/alert_series.h"

namespace smoke::bench {

class ScrapeSource {
 public:
  ScrapeSource(const AlertSeriesOptions& alert, const FleetOptions& fleet)
      : alert_(alert), fleet_(fleet) {}

  // The next scrape's text; `run_time_ms` is when the fleet's probes ran.
  std::string Next(int64_t run_time_ms) {
    std::string out;
    out.reserve(last_size_ + last_size_ / 8);
    alert_.Step(&out);
    fleet_.Step(run_time_ms, &out);
    last_size_ = out.size();
    return out;
  }

 private:
  AlertSeries alert_;
  ProbeFleet fleet_;
  size_t last_size_ = 1 << 20;
};

}  // namespace smoke::bench
