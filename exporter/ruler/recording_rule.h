#pragma once
// A recording rule (rules/recording.go): its expression's result under a new metric name, with the
// rule's labels set (an empty value removes a label). Two output series with one label set, or more
// series than the group's limit, make the evaluation fail and write nothing.
// Thread-safety: as Rule.

#include "exporter/ruler/rule.h"

namespace smoke::ruler {

class RecordingRule : public Rule {
 public:
  explicit RecordingRule(RuleSpec spec) : Rule(std::move(spec)) {}
  core::Result<promql::Vector> Eval(const RuleEvalContext& ctx) override;
};

}  // namespace smoke::ruler
