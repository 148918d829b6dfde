#pragma once
// What recording and alerting rules share: the spec they were loaded from, the query they run,
// and the health Prometheus reports for them (ok / err / unknown before the first evaluation).
// Thread-safety: not thread-safe; a Group serialises access (it evaluates its rules on one thread
// and takes its lock for snapshots).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "exporter/core/status.h"
#include "exporter/promql/engine.h"
#include "exporter/promql/storage.h"
#include "exporter/promql/value.h"
#include "exporter/ruler/rule_file.h"

namespace smoke::ruler {

enum class RuleHealth { kUnknown, kOk, kErr };
// "unknown", "ok", "err" (Prometheus's RuleHealth values).
std::string_view RuleHealthName(RuleHealth health);

// Everything one evaluation of one rule needs; all rules of a group run with the same ts.
struct RuleEvalContext {
  int64_t ts_ms = 0;
  int64_t query_offset_ms = 0;
  const promql::Queryable* storage = nullptr;
  promql::EvalOptions eval_options;
  int limit = 0;  // 0: none
  const std::map<std::string, std::string>* external_labels = nullptr;
  std::string external_url;

  int64_t query_ts_ms() const { return ts_ms - query_offset_ms; }
};

class Rule {
 public:
  explicit Rule(RuleSpec spec) : spec_(std::move(spec)) {}
  virtual ~Rule() = default;
  Rule(const Rule&) = delete;
  Rule& operator=(const Rule&) = delete;

  const RuleSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name(); }

  // Runs the rule at ctx.ts_ms and returns the samples to write back (timestamped
  // ctx.query_ts_ms()); updates alert state for alerting rules.
  virtual core::Result<promql::Vector> Eval(const RuleEvalContext& ctx) = 0;

  RuleHealth health() const { return health_; }
  const std::string& last_error() const { return last_error_; }
  int64_t last_eval_ms() const { return last_eval_ms_; }
  double last_duration_seconds() const { return last_duration_seconds_; }
  void RecordEvaluation(int64_t ts_ms, double duration_seconds, const core::Status& status);

 protected:
  // The rule's query at ctx.query_ts_ms(): an instant vector, or a scalar as one sample without
  // labels; anything else is an error.
  core::Result<promql::Vector> Query(const RuleEvalContext& ctx) const;

 private:
  RuleSpec spec_;
  RuleHealth health_ = RuleHealth::kUnknown;
  std::string last_error_;
  int64_t last_eval_ms_ = 0;
  double last_duration_seconds_ = 0;
};

}  // namespace smoke::ruler
