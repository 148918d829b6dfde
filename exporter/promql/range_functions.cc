#include "exporter/promql/range_functions.h"

#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "exporter/promql/eval_error.h"
#include "exporter/promql/go_math.h"
#include "exporter/promql/math_util.h"

namespace smoke::promql {
namespace {

using Points = std::vector<Point>;

// Go's time.Duration.Seconds() for a millisecond duration.
double RangeSeconds(int64_t ms) {
  const int64_t ns = ms * 1000000;
  const int64_t sec = ns / 1000000000;
  const int64_t nsec = ns % 1000000000;
  return static_cast<double>(sec) + static_cast<double>(nsec) / 1e9;
}

// rate, increase and delta (functions.go's extrapolatedRate).
std::optional<double> ExtrapolatedRate(const RangeWindow& w, bool is_counter, bool is_rate) {
  const Points& p = *w.points;
  if (p.size() < 2) return std::nullopt;
  double result = p.back().v - p.front().v;
  if (is_counter) {
    double prev = p.front().v;
    for (size_t i = 1; i < p.size(); ++i) {
      if (p[i].v < prev) result += prev;
      prev = p[i].v;
    }
  }
  double to_start = static_cast<double>(p.front().t - w.start_ms) / 1000;
  double to_end = static_cast<double>(w.end_ms - p.back().t) / 1000;
  const double sampled = static_cast<double>(p.back().t - p.front().t) / 1000;
  const double avg = sampled / static_cast<double>(p.size() - 1);
  const double threshold = avg * 1.1;
  double factor;
  if (w.prometheus2) {
    if (is_counter && result > 0 && p.front().v >= 0) {
      const double to_zero = sampled * (p.front().v / result);
      if (to_zero < to_start) to_start = to_zero;
    }
    double interval = sampled;
    interval += to_start < threshold ? to_start : avg / 2;
    interval += to_end < threshold ? to_end : avg / 2;
    factor = interval / sampled;
  } else {
    if (to_start >= threshold) to_start = avg / 2;
    if (is_counter) {
      double to_zero = to_start;
      if (result > 0 && p.front().v >= 0) to_zero = sampled * (p.front().v / result);
      if (to_zero < to_start) to_start = to_zero;
    }
    if (to_end >= threshold) to_end = avg / 2;
    factor = (sampled + to_start + to_end) / sampled;
  }
  if (is_rate) factor /= RangeSeconds(w.end_ms - w.start_ms);
  return result * factor;
}

std::optional<double> Rate(const RangeWindow& w) { return ExtrapolatedRate(w, true, true); }
std::optional<double> Increase(const RangeWindow& w) { return ExtrapolatedRate(w, true, false); }
std::optional<double> Delta(const RangeWindow& w) { return ExtrapolatedRate(w, false, false); }

// irate and idelta: the last two samples.
std::optional<double> InstantValue(const RangeWindow& w, bool is_rate) {
  const Points& p = *w.points;
  if (p.size() < 2) return std::nullopt;
  const Point& last = p[p.size() - 1];
  const Point& prev = p[p.size() - 2];
  double result = is_rate && last.v < prev.v ? last.v : last.v - prev.v;
  const int64_t interval = last.t - prev.t;
  if (interval == 0) return std::nullopt;
  if (is_rate) result /= static_cast<double>(interval) / 1000;
  return result;
}

std::optional<double> Irate(const RangeWindow& w) { return InstantValue(w, true); }
std::optional<double> Idelta(const RangeWindow& w) { return InstantValue(w, false); }

std::optional<double> AvgOverTime(const RangeWindow& w) {
  double mean = 0, count = 0, c = 0;
  for (const Point& p : *w.points) {
    count++;
    if (std::isinf(mean)) {
      if (std::isinf(p.v) && (mean > 0) == (p.v > 0)) continue;
      if (!std::isinf(p.v) && !std::isnan(p.v)) continue;
    }
    KahanSumInc(p.v / count - mean / count, &mean, &c);
  }
  if (std::isinf(mean)) return mean;
  return mean + c;
}

std::optional<double> SumOverTime(const RangeWindow& w) {
  double sum = 0, c = 0;
  for (const Point& p : *w.points) KahanSumInc(p.v, &sum, &c);
  if (std::isinf(sum)) return sum;
  return sum + c;
}

std::optional<double> CountOverTime(const RangeWindow& w) {
  return static_cast<double>(w.points->size());
}

std::optional<double> LastOverTime(const RangeWindow& w) { return w.points->back().v; }
std::optional<double> FirstOverTime(const RangeWindow& w) { return w.points->front().v; }
std::optional<double> PresentOverTime(const RangeWindow&) { return 1.0; }
std::optional<double> TsOfLastOverTime(const RangeWindow& w) {
  return static_cast<double>(w.points->back().t) / 1000;
}
std::optional<double> TsOfFirstOverTime(const RangeWindow& w) {
  return static_cast<double>(w.points->front().t) / 1000;
}

// max/min_over_time and their ts_of_ variants: a NaN is replaced by any later value.
template <bool kMax, bool kTimestamp>
std::optional<double> CompareOverTime(const RangeWindow& w) {
  const Points& p = *w.points;
  double best = p[0].v;
  int64_t best_t = p[0].t;
  for (const Point& pt : p) {
    const bool better = kMax ? pt.v > best : pt.v < best;
    if (better || std::isnan(best)) {
      best = pt.v;
      best_t = pt.t;
    }
  }
  if (kTimestamp) return static_cast<double>(best_t) / 1000;
  return best;
}

std::optional<double> QuantileOverTime(const RangeWindow& w) {
  std::vector<double> values;
  values.reserve(w.points->size());
  for (const Point& p : *w.points) values.push_back(p.v);
  return Quantile(w.scalars.at(0), &values);
}

std::optional<double> MadOverTime(const RangeWindow& w) {
  std::vector<double> values;
  for (const Point& p : *w.points) {
    if (std::isnan(p.v)) return std::numeric_limits<double>::quiet_NaN();
    values.push_back(p.v);
  }
  const double median = Quantile(0.5, &values);
  for (double& v : values) v = std::fabs(v - median);
  return Quantile(0.5, &values);
}

// Welford's algorithm with Kahan-compensated mean and sum of squares.
double Variance(const Points& points) {
  double count = 0, mean = 0, c_mean = 0, aux = 0, c_aux = 0;
  for (const Point& p : points) {
    count++;
    const double delta = p.v - (mean + c_mean);
    KahanSumInc(delta / count, &mean, &c_mean);
    KahanSumInc(delta * (p.v - (mean + c_mean)), &aux, &c_aux);
  }
  return (aux + c_aux) / count;
}

std::optional<double> StdvarOverTime(const RangeWindow& w) { return Variance(*w.points); }
std::optional<double> StddevOverTime(const RangeWindow& w) {
  return std::sqrt(Variance(*w.points));
}

std::optional<double> Changes(const RangeWindow& w) {
  const Points& p = *w.points;
  int changes = 0;
  for (size_t i = 1; i < p.size(); ++i) {
    const double cur = p[i].v;
    const double prev = p[i - 1].v;
    if (cur != prev && !(std::isnan(cur) && std::isnan(prev))) changes++;
  }
  return changes;
}

std::optional<double> Resets(const RangeWindow& w) {
  const Points& p = *w.points;
  int resets = 0;
  for (size_t i = 1; i < p.size(); ++i) {
    if (p[i].v < p[i - 1].v) resets++;
  }
  return resets;
}

std::optional<double> Deriv(const RangeWindow& w) {
  const Points& p = *w.points;
  if (p.size() < 2) return std::nullopt;
  double slope, intercept;
  // Relative to the first sample's time, for precision (prometheus/prometheus#2674).
  LinearRegression(p, p[0].t, &slope, &intercept);
  return slope;
}

std::optional<double> PredictLinear(const RangeWindow& w) {
  const Points& p = *w.points;
  if (p.size() < 2) return std::nullopt;
  double slope, intercept;
  LinearRegression(p, w.eval_ms, &slope, &intercept);
  return slope * w.scalars.at(0) + intercept;
}

// Double exponential smoothing (holt_winters in Prometheus 2).
std::optional<double> HoltWinters(const RangeWindow& w) {
  const double sf = w.scalars.at(0);
  const double tf = w.scalars.at(1);
  if (sf <= 0 || sf >= 1) {
    ThrowEvalError("invalid smoothing factor. Expected: 0 < sf < 1, got: " + FormatGoPercentF(sf));
  }
  if (tf <= 0 || tf >= 1) {
    ThrowEvalError("invalid trend factor. Expected: 0 < tf < 1, got: " + FormatGoPercentF(tf));
  }
  const Points& p = *w.points;
  if (p.size() < 2) return std::nullopt;
  double s0 = 0;
  double s1 = p[0].v;
  double b = p[1].v - p[0].v;
  for (size_t i = 1; i < p.size(); ++i) {
    const double x = sf * p[i].v;
    // The trend at this point (calcTrendValue); the first step keeps the initial trend.
    if (i - 1 != 0) b = tf * (s1 - s0) + (1 - tf) * b;
    const double y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

const std::map<std::string_view, RangeFunctionInfo>& Table() {
  static const auto* const kTable = new std::map<std::string_view, RangeFunctionInfo>{
      {"avg_over_time", {AvgOverTime, false}},
      {"changes", {Changes, false}},
      {"count_over_time", {CountOverTime, false}},
      {"delta", {Delta, false}},
      {"deriv", {Deriv, false}},
      {"double_exponential_smoothing", {HoltWinters, false}},
      {"first_over_time", {FirstOverTime, true}},
      {"holt_winters", {HoltWinters, false}},
      {"idelta", {Idelta, false}},
      {"increase", {Increase, false}},
      {"irate", {Irate, false}},
      {"last_over_time", {LastOverTime, true}},
      {"mad_over_time", {MadOverTime, false}},
      {"max_over_time", {CompareOverTime<true, false>, false}},
      {"min_over_time", {CompareOverTime<false, false>, false}},
      {"predict_linear", {PredictLinear, false}},
      {"present_over_time", {PresentOverTime, false}},
      {"quantile_over_time", {QuantileOverTime, false}},
      {"rate", {Rate, false}},
      {"resets", {Resets, false}},
      {"stddev_over_time", {StddevOverTime, false}},
      {"stdvar_over_time", {StdvarOverTime, false}},
      {"sum_over_time", {SumOverTime, false}},
      {"ts_of_first_over_time", {TsOfFirstOverTime, false}},
      {"ts_of_last_over_time", {TsOfLastOverTime, false}},
      {"ts_of_max_over_time", {CompareOverTime<true, true>, false}},
      {"ts_of_min_over_time", {CompareOverTime<false, true>, false}},
      // The evaluator answers absent_over_time itself; the entry marks it as a range function.
      {"absent_over_time", {PresentOverTime, false}},
  };
  return *kTable;
}

}  // namespace

const RangeFunctionInfo* FindRangeFunction(std::string_view name) {
  const auto& t = Table();
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

}  // namespace smoke::promql
