#pragma once
// Internal to the parser. How the two phases report an error: Prometheus collects errors and
// prints only the first; since nothing after the first error can change the message, both phases
// stop at the first one by throwing ParseFailure, which ParseExpr turns into a Status. Also the
// tree surgery for the postfix modifiers (offset, @, [range]), with Prometheus's checks.
// Thread-safety: plain values and reentrant functions.

#include <string>
#include <string_view>

#include "exporter/core/clock.h"
#include "exporter/promql/ast.h"

namespace smoke::promql::internal {

struct ParseFailure {
  PositionRange pos;
  std::string message;
};

[[noreturn]] void Fail(PositionRange pos, std::string message);

// "line:col" of `pos` in `input` (1-based, columns in bytes), "unknown position" for an empty
// input, as Prometheus's PositionRange.StartPosInput.
std::string StartPosInput(std::string_view input, int pos);

// "offset <d>" on `e`, which must be a vector selector, range selector or subquery without an
// offset yet; `end` is where the modifier ends.
void SetOffset(Expr* e, core::Duration d, int end);
// "@ <timestamp>" (seconds) on `e`; checks the bounds first, as Prometheus does.
void SetTimestamp(Expr* e, double seconds, int end);
// "@ start()" / "@ end()" on `e`.
void SetAtModifier(Expr* e, AtModifier at, int end);
// "<lhs>[range]": `lhs` must be a plain vector selector; `brackets` is where "[...]" is.
ExprPtr MakeRangeSelector(ExprPtr lhs, core::Duration range, PositionRange brackets);

// Prometheus's checkAST: type-checks `expr` (and normalises vector matching: set operators become
// many-to-many, matching is dropped when a side is a scalar). Throws ParseFailure.
void CheckAst(Expr& expr, std::string_view input);

}  // namespace smoke::promql::internal
