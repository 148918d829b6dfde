#pragma once
// Internal to the evaluator: an evaluation error deep in the tree unwinds to EvalInstant /
// EvalRange, which turn it into a Status (Prometheus panics and recovers the same way). Never
// crosses the module boundary.
// Thread-safety: a value type.

#include <stdexcept>
#include <string>

namespace smoke::promql {

class EvalError : public std::runtime_error {
 public:
  explicit EvalError(const std::string& message) : std::runtime_error(message) {}
};

[[noreturn]] inline void ThrowEvalError(const std::string& message) { throw EvalError(message); }

}  // namespace smoke::promql
