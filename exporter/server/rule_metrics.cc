#include "exporter/server/rule_metrics.h"

#include "exporter/results/family_builder.h"

namespace smoke::server {

std::vector<prometheus::MetricFamily> CollectRuleMetrics(
    const std::vector<ruler::GroupStatus>& groups) {
  results::FamilyBuilder b;
  for (const ruler::GroupStatus& g : groups) {
    const config::LabelPairs labels = {{"rule_group", g.file + ";" + g.name}};
    int unhealthy = 0;
    for (const ruler::RuleStatus& r : g.rules) unhealthy += r.health == ruler::RuleHealth::kErr;
    b.AddGauge("smoke_rule_group_interval_seconds", "The interval of a rule group.", labels,
               core::ToSeconds(g.interval));
    b.AddGauge("smoke_rule_group_rules", "The number of rules.", labels,
               static_cast<double>(g.rules.size()));
    b.AddGauge("smoke_rule_group_rules_unhealthy",
               "The number of rules whose last evaluation failed.", labels, unhealthy);
    b.AddGauge("smoke_rule_group_last_evaluation_timestamp_seconds",
               "The timestamp of the last rule group evaluation in seconds.", labels,
               g.last_eval_ms / 1000.0);
    b.AddGauge("smoke_rule_group_last_duration_seconds",
               "The duration of the last rule group evaluation.", labels,
               g.last_duration_seconds);
    b.AddGauge("smoke_rule_group_last_evaluation_samples",
               "The number of samples returned during the last rule group evaluation.", labels,
               static_cast<double>(g.samples_written));
    b.AddCounter("smoke_rule_group_iterations_total",
                 "The total number of scheduled rule group evaluations, whether executed or "
                 "missed.",
                 labels, static_cast<double>(g.iterations + g.iterations_missed));
    b.AddCounter("smoke_rule_group_iterations_missed_total",
                 "The total number of rule group evaluations missed due to slow rule group "
                 "evaluation.",
                 labels, static_cast<double>(g.iterations_missed));
    b.AddCounter("smoke_rule_evaluation_failures_total",
                 "The total number of rule evaluation failures.", labels,
                 static_cast<double>(g.evaluation_failures));
  }
  return b.Take();
}

}  // namespace smoke::server
