#include "bench/rule_eval/prometheus_rule_metrics.h"

#include <cmath>

#include "bench/common/http_fetch.h"
#include "exporter/tsdb/exposition_parser.h"

namespace smoke::bench {

core::Result<PromRuleMetrics> ReadPromRuleMetrics(const std::string& prometheus_url) {
  core::Result<std::string> text = HttpGet(prometheus_url + "/metrics");
  if (!text.ok()) return text.status();
  core::Result<tsdb::ParsedExposition> parsed = tsdb::ParseTextExposition(*text);
  if (!parsed.ok()) {
    return core::Status::Error("Prometheus's /metrics: " + parsed.status().message());
  }
  PromRuleMetrics result;
  std::map<std::string, PromGroupMetrics>& out = result.groups;
  for (const tsdb::ExpositionSample& s : parsed->samples) {
    const std::string_view name = s.labels.Get("__name__");
    if (name == "process_cpu_seconds_total") result.process_cpu_seconds = s.value;
    if (name.rfind("prometheus_rule_", 0) != 0) continue;
    const std::string group(s.labels.Get("rule_group"));
    if (group.empty()) continue;
    if (name == "prometheus_rule_group_last_evaluation_timestamp_seconds") {
      // When the evaluation started (not its timestamp: Prometheus 2.42 records time.Now()).
      out[group].last_eval_ms = static_cast<int64_t>(std::floor(s.value * 1000 + 1e-4));
    } else if (name == "prometheus_rule_group_last_duration_seconds") {
      out[group].last_duration_seconds = s.value;
    } else if (name == "prometheus_rule_group_iterations_total") {
      out[group].iterations = s.value;
    } else if (name == "prometheus_rule_group_iterations_missed_total") {
      out[group].iterations_missed = s.value;
    } else if (name == "prometheus_rule_evaluation_failures_total") {
      out[group].evaluation_failures += s.value;
    }
  }
  return result;
}

}  // namespace smoke::bench
