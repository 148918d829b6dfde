#pragma once
// The values a PromQL expression evaluates to, as prometheus/promql/value.go: an instant vector
// (one sample per series), a range vector (a matrix: points per series), a scalar or a string.
// Timestamps are Unix milliseconds, as in Prometheus.
// Thread-safety: plain value types.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "exporter/promql/ast.h"
#include "exporter/promql/labels.h"

namespace smoke::promql {

struct Point {
  int64_t t = 0;
  double v = 0;
};

struct Sample {
  Labels labels;
  int64_t t = 0;
  double v = 0;
};

// An instant vector. Within one vector no two samples have the same labels.
using Vector = std::vector<Sample>;

struct Series {
  Labels labels;
  std::vector<Point> points;  // ascending by time
};

// A range vector, or the result of a range query.
using Matrix = std::vector<Series>;

struct Scalar {
  int64_t t = 0;
  double v = 0;
};

struct String {
  int64_t t = 0;
  std::string v;
};

using Value = std::variant<Vector, Scalar, Matrix, String>;

ValueType TypeOf(const Value& value);

// Prometheus's text forms, used in test failure messages:
//   vector: one `{a="b"} => 1 @[1000]` line per sample; scalar: `scalar: 1 @[1000]`;
//   matrix: `{a="b"} =>` followed by `1 @[0]` lines; string: `string: x @[0]`.
std::string ValueToString(const Value& value);

// Sorts series by labels (Prometheus's order for range-query results).
void SortByLabels(Matrix* matrix);

}  // namespace smoke::promql
