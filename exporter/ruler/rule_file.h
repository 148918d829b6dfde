#pragma once
// Prometheus rule files (model/rulefmt): groups of recording and alerting rules, loaded strictly
// as `promtool check rules` does. Unknown keys are rejected, each rule has exactly one of
// record/alert, names and label names are validated, `for`/`keep_firing_for` are only allowed on
// alerting rules, every expr is parsed and every label/annotation template is parse-checked.
// Every error names the file, the group, the rule index and line:col, e.g.
//   rules.yml:12:11: group "api", rule 2 (alert "ApiDown"): could not parse expression: 1:5: parse error: ...
// Only the first YAML document is read, as Prometheus does.
// Thread-safety: the loaded structs are immutable values; loading is reentrant.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/duration.h"
#include "exporter/core/status.h"
#include "exporter/promql/ast.h"

namespace smoke::ruler {

struct SourcePos {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

// Ordered as written in the file; names are unique within one map.
using StringPairs = std::vector<std::pair<std::string, std::string>>;

struct RuleSpec {
  // Exactly one of `record` and `alert` is non-empty.
  std::string record;
  std::string alert;
  std::string expr;                          // as written
  std::shared_ptr<const promql::Expr> parsed;  // expr, parsed and type-checked
  core::Duration for_duration{0};
  core::Duration keep_firing_for{0};
  StringPairs labels;
  StringPairs annotations;  // alerting rules only
  SourcePos pos;            // of the rule's first key

  bool is_alert() const { return !alert.empty(); }
  const std::string& name() const { return is_alert() ? alert : record; }
};

struct GroupSpec {
  std::string name;
  std::string file;
  std::optional<core::Duration> interval;      // unset: the global evaluation interval
  std::optional<core::Duration> query_offset;  // unset: the global rule query offset
  int limit = 0;                               // 0: no limit
  StringPairs labels;                          // group labels (Prometheus 3), added to every rule
  std::vector<RuleSpec> rules;
  SourcePos pos;
};

struct RuleFile {
  std::string path;
  std::vector<GroupSpec> groups;
  // What Prometheus accepts but is almost certainly a mistake (e.g. `for: 0s` on a recording
  // rule), as "FILE:LINE:COL: message", sorted by position.
  std::vector<std::string> warnings;

  size_t rule_count() const;
};

struct RuleLoadOptions {
  // Give exactly the verdict of Prometheus 2.42's `promtool check rules` (the promtool CI runs):
  // reject Prometheus 3's additions (group labels, query_offset) as unknown keys, and only warn
  // about an expression whose type no rule can use (a range vector or string), which 2.42 accepts
  // and then fails at every evaluation. When false (the default, what the engine loads with),
  // Prometheus 3's additions are accepted and such an expression is an error.
  bool strict_prometheus2 = false;
};

// Loads one file. On error the Status message holds every error found, one per line.
core::Result<RuleFile> LoadRuleFile(const std::string& path, const RuleLoadOptions& options = {});
// The same for text already in memory; `path` is used in messages only.
core::Result<RuleFile> LoadRuleText(const std::string& text, const std::string& path,
                                    const RuleLoadOptions& options = {});

}  // namespace smoke::ruler
