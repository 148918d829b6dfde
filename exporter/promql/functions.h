#pragma once
// The PromQL function signature table used by the type checker: every function of Prometheus 2.x
// and 3.x (including the native-histogram histogram_* family, label_replace, label_join,
// sort_by_label and info), its argument types, how many further arguments it accepts and what it
// returns. The evaluator implements them elsewhere.
// Thread-safety: the table is immutable static data; safe to read from any thread.

#include <string_view>
#include <vector>

#include "exporter/promql/ast.h"

namespace smoke::promql {

struct Function {
  std::string_view name;
  std::vector<ValueType> arg_types;
  // 0: exactly arg_types.size() arguments. n > 0: the last argument type may be omitted and up to
  // n arguments of that type may be given. -1: unbounded repetition of the last type.
  int variadic = 0;
  ValueType return_type = ValueType::kVector;
  // Prometheus rejects these unless started with --enable-feature=promql-experimental-functions.
  bool experimental = false;
};

// The function named exactly `name` (function names are case-sensitive), or nullptr.
const Function* FindFunction(std::string_view name);

// Every function, in alphabetical order.
const std::vector<Function>& AllFunctions();

}  // namespace smoke::promql
