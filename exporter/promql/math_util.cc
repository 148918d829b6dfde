#include "exporter/promql/math_util.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace smoke::promql {

void KahanSumInc(double inc, double* sum, double* c, bool reset_on_inf) {
  const double t = *sum + inc;
  if (reset_on_inf && std::isinf(t)) {
    *c = 0;
  } else if (std::fabs(*sum) >= std::fabs(inc)) {
    *c += (*sum - t) + inc;
  } else {
    *c += (inc - t) + *sum;
  }
  *sum = t;
}

double Quantile(double q, std::vector<double>* values) {
  if (values->empty() || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  std::sort(values->begin(), values->end(), [](double a, double b) {
    if (std::isnan(a)) return !std::isnan(b);
    return a < b;
  });
  const double n = static_cast<double>(values->size());
  const double rank = q * (n - 1);
  const double lower = std::max(0.0, std::floor(rank));
  const double upper = std::min(n - 1, lower + 1);
  const double weight = rank - std::floor(rank);
  return (*values)[static_cast<size_t>(lower)] * (1 - weight) +
         (*values)[static_cast<size_t>(upper)] * weight;
}

double BucketQuantile(double q, std::vector<Bucket> buckets, bool prometheus2) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (std::isnan(q)) return nan;
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  std::stable_sort(buckets.begin(), buckets.end(),
                   [](const Bucket& a, const Bucket& b) { return a.upper_bound < b.upper_bound; });
  if (!std::isinf(buckets.back().upper_bound) || buckets.back().upper_bound < 0) return nan;

  // Merge buckets with the same bound.
  size_t n = 0;
  for (size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].upper_bound == buckets[n].upper_bound) {
      buckets[n].count += buckets[i].count;
    } else {
      buckets[++n] = buckets[i];
    }
  }
  buckets.resize(n + 1);

  if (prometheus2) {
    double max = buckets[0].count;
    for (size_t i = 1; i < buckets.size(); ++i) {
      if (buckets[i].count > max) {
        max = buckets[i].count;
      } else if (buckets[i].count < max) {
        buckets[i].count = max;
      }
    }
  } else {
    double prev = buckets[0].count;
    for (size_t i = 1; i < buckets.size(); ++i) {
      const double curr = buckets[i].count;
      if (curr == prev) continue;
      if (AlmostEqual(prev, curr, 1e-12) || curr < prev) {
        buckets[i].count = prev;
        continue;
      }
      prev = curr;
    }
  }

  if (buckets.size() < 2) return nan;
  const double observations = buckets.back().count;
  if (observations == 0) return nan;
  double rank = q * observations;
  // sort.Search over all but the +Inf bucket.
  size_t b = 0;
  {
    size_t lo = 0;
    size_t hi = buckets.size() - 1;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (!(buckets[mid].count >= rank)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    b = lo;
  }
  if (b == buckets.size() - 1) return buckets[buckets.size() - 2].upper_bound;
  if (b == 0 && buckets[0].upper_bound <= 0) return buckets[0].upper_bound;
  double bucket_start = 0;
  const double bucket_end = buckets[b].upper_bound;
  double count = buckets[b].count;
  if (b > 0) {
    bucket_start = buckets[b - 1].upper_bound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucket_start + (bucket_end - bucket_start) * (rank / count);
}

void LinearRegression(const std::vector<Point>& points, int64_t intercept_time_ms, double* slope,
                      double* intercept) {
  double n = 0;
  double sum_x = 0, c_x = 0;
  double sum_y = 0, c_y = 0;
  double sum_xy = 0, c_xy = 0;
  double sum_x2 = 0, c_x2 = 0;
  const double init_y = points[0].v;
  bool const_y = true;
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    if (const_y && i > 0 && p.v != init_y) const_y = false;
    n += 1.0;
    const double x = static_cast<double>(p.t - intercept_time_ms) / 1e3;
    KahanSumInc(x, &sum_x, &c_x);
    KahanSumInc(p.v, &sum_y, &c_y);
    KahanSumInc(x * p.v, &sum_xy, &c_xy);
    KahanSumInc(x * x, &sum_x2, &c_x2);
  }
  if (const_y) {
    if (std::isinf(init_y)) {
      *slope = *intercept = std::numeric_limits<double>::quiet_NaN();
      return;
    }
    *slope = 0;
    *intercept = init_y;
    return;
  }
  sum_x += c_x;
  sum_y += c_y;
  sum_xy += c_xy;
  sum_x2 += c_x2;
  const double cov_xy = sum_xy - sum_x * sum_y / n;
  const double var_x = sum_x2 - sum_x * sum_x / n;
  *slope = cov_xy / var_x;
  *intercept = sum_y / n - *slope * sum_x / n;
}

bool AlmostEqual(double a, double b, double epsilon) {
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  constexpr double kMinNormal = 2.2250738585072014e-308;
  const double abs_sum = std::fabs(a) + std::fabs(b);
  const double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || abs_sum < kMinNormal) return diff < epsilon * kMinNormal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < epsilon;
}

}  // namespace smoke::promql
