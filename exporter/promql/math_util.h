#pragma once
// Numeric helpers shared by aggregations and functions, computed exactly as Prometheus computes
// them (promql/quantile.go, functions.go): Kahan-Neumaier summation, the φ-quantile of a set of
// values, the quantile of classic histogram buckets, and least-squares linear regression.
// Thread-safety: pure functions.

#include <cstdint>
#include <vector>

#include "exporter/promql/value.h"

namespace smoke::promql {

// One step of Neumaier's compensated summation. Prometheus 3 also clears the compensation
// once the sum overflows (`reset_on_inf`).
void KahanSumInc(double inc, double* sum, double* c, bool reset_on_inf = false);

// The φ-quantile of `values` (sorted in place, NaN first) with linear interpolation between
// ranks: NaN for no values or q = NaN, -Inf for q < 0, +Inf for q > 1.
double Quantile(double q, std::vector<double>* values);

struct Bucket {
  double upper_bound;
  double count;
};

// histogram_quantile over classic buckets: NaN unless there is a +Inf bucket and at least two
// buckets and one observation; interpolates linearly inside the bucket (from 0 in the lowest one
// if its bound is positive); returns the second-highest bound if the rank falls into +Inf.
// Non-monotonic counts are flattened; Prometheus 3 also ignores relative differences < 1e-12.
double BucketQuantile(double q, std::vector<Bucket> buckets, bool prometheus2);

// Least-squares fit of the points against time in seconds relative to `intercept_time_ms`.
void LinearRegression(const std::vector<Point>& points, int64_t intercept_time_ms, double* slope,
                      double* intercept);

// Prometheus's util/almost.Equal.
bool AlmostEqual(double a, double b, double epsilon);

}  // namespace smoke::promql
