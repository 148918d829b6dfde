#pragma once
// PromQL parsing: text -> syntax tree, with Prometheus's syntax, precedence, type rules and error
// messages. Like Prometheus's promql/parser it works in two phases: a recursive-descent parser
// builds the tree (syntax errors, unknown functions, invalid regexes, misplaced modifiers), then a
// type checker walks it (argument types, operand types, vector matching, aggregation parameters).
// Errors read exactly as Prometheus prints them, with a 1-based line:column of the offending item:
//   "1:15: parse error: unexpected <op:+>"
//   "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"
// The accepted language and the messages are those of Prometheus 2.x (the promtool that validates
// our rule files), plus the 3.x functions; experimental duration arithmetic is not supported.
// Thread-safety: the functions are reentrant; parse concurrently from any number of threads.

#include <string_view>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/promql/ast.h"
#include "exporter/promql/matcher.h"

namespace smoke::promql {

// Deeper nesting (parentheses, unary signs, function arguments, '^' chains) is a parse error, so
// that no input can exhaust the stack of the parser or of a later walk over the tree.
inline constexpr int kMaxNestingDepth = 200;

struct ParseOptions {
  // Accept the functions and aggregations Prometheus gates behind
  // --enable-feature=promql-experimental-functions (limitk, limit_ratio, sort_by_label, info, ...).
  bool enable_experimental_functions = false;
};

// Parses and type-checks one expression. Never throws.
core::Result<ExprPtr> ParseExpr(std::string_view input, const ParseOptions& options = {});

// Parses a series selector such as `up{job="api"}` or `{__name__=~"probe_.*"}` (the match[]
// parameter of the HTTP API) into its matchers; the metric name becomes a __name__ matcher.
core::Result<std::vector<LabelMatcher>> ParseMetricSelector(std::string_view input);

}  // namespace smoke::promql
