#pragma once
// Binary operators between scalars and instant vectors (prometheus/promql/engine.go's
// VectorBinop, VectorAnd/Or/Unless, VectorscalarBinop): one-to-one, many-to-one and one-to-many
// vector matching with on/ignoring/group_left/group_right, the set operators, comparisons as
// filters or with bool, and __name__ dropped by arithmetic and bool comparisons.
// Thread-safety: pure functions.

#include "exporter/promql/ast.h"
#include "exporter/promql/token.h"
#include "exporter/promql/value.h"

namespace smoke::promql {

// Arithmetic, atan2, or a comparison giving 1/0.
double ScalarBinop(ItemType op, double lhs, double rhs);

// `vector op scalar`, or `scalar op vector` if scalar_on_left. A comparison without bool keeps
// the vector's value where it holds.
Vector VectorScalarBinop(ItemType op, Vector vector, double scalar, bool scalar_on_left,
                         bool return_bool);

// A non-set operator between two vectors. Throws EvalError with Prometheus's messages for
// duplicate series on the "one" side and ambiguous many-to-one matches.
Vector VectorBinop(ItemType op, const Vector& lhs, const Vector& rhs,
                   const VectorMatching& matching, bool return_bool);

Vector VectorAnd(Vector lhs, const Vector& rhs, const VectorMatching& matching);
Vector VectorOr(Vector lhs, Vector rhs, const VectorMatching& matching);
Vector VectorUnless(Vector lhs, const Vector& rhs, const VectorMatching& matching);

}  // namespace smoke::promql
