#pragma once
// The canonical text of an expression, as Prometheus's Expr.String() writes it:
//   sum by (job) (rate(x{a="b"}[5m]))     a + on (x) group_left (y) b     x offset -5m
//   x @ 123.000     x[5m:1m]     x[5m:]
// Parentheses are printed only where the tree has a ParenExpr, so parsing the output gives the
// same tree back (the round trip is tested over every rule in the corpus).
// Thread-safety: pure function of an immutable tree; safe to call concurrently.

#include <string>

#include "exporter/promql/ast.h"

namespace smoke::promql {

std::string ExprToString(const Expr& expr);

}  // namespace smoke::promql
