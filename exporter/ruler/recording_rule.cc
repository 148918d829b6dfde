#include "exporter/ruler/recording_rule.h"

#include <string>
#include <unordered_set>

namespace smoke::ruler {

core::Result<promql::Vector> RecordingRule::Eval(const RuleEvalContext& ctx) {
  core::Result<promql::Vector> result = Query(ctx);
  if (!result.ok()) return result.status();
  promql::Vector vec = std::move(result).value();
  std::unordered_set<std::string> seen;
  for (promql::Sample& s : vec) {
    promql::Labels labels = s.labels.Set(promql::kMetricNameLabel, spec().record);
    for (const auto& [name, value] : spec().labels) labels = labels.Set(name, value);
    s.labels = std::move(labels);
    s.t = ctx.query_ts_ms();
    if (!seen.insert(s.labels.Key()).second) {
      return core::Status::Error(
          "vector contains metrics with the same labelset after applying rule labels");
    }
  }
  if (ctx.limit > 0 && static_cast<int>(vec.size()) > ctx.limit) {
    return core::Status::Error("exceeded limit of " + std::to_string(ctx.limit) + " with " +
                               std::to_string(vec.size()) + " series");
  }
  return vec;
}

}  // namespace smoke::ruler
