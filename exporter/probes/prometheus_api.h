#pragma once
// The parts of Prometheus's HTTP API (v1) the prometheus probe reads: active targets
// (/api/v1/targets) and rules (/api/v1/rules), decoded from JSON into plain data. Every
// response is the v1 envelope {"status":"success","data":...} or {"status":"error",
// "errorType":...,"error":...}; an error envelope or a body that is not the documented shape is
// an error value, never an exception.
// Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/status.h"

namespace smoke::probes {

struct PrometheusTarget {
  std::string job;       // labels.job
  std::string instance;  // labels.instance
  std::string health;    // "up" | "down" | "unknown" (not scraped yet)
  std::string last_error;
  std::string scrape_pool;
};

struct PrometheusRule {
  std::string group;
  std::string file;
  std::string name;
  std::string type;    // "alerting" | "recording"
  std::string health;  // "ok" | "err" | "unknown" (not evaluated yet)
  std::string last_error;
};

core::Result<std::vector<PrometheusTarget>> ParsePrometheusTargets(std::string_view body);
core::Result<std::vector<PrometheusRule>> ParsePrometheusRules(std::string_view body);

}  // namespace smoke::probes
