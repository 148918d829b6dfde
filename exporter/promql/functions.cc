#include "exporter/promql/functions.h"

#include <algorithm>

namespace smoke::promql {
namespace {

constexpr ValueType kV = ValueType::kVector;
constexpr ValueType kM = ValueType::kMatrix;
constexpr ValueType kS = ValueType::kScalar;
constexpr ValueType kStr = ValueType::kString;

std::vector<Function> BuildTable() {
  std::vector<Function> t = {
      {"abs", {kV}},
      {"absent", {kV}},
      {"absent_over_time", {kM}},
      {"acos", {kV}},
      {"acosh", {kV}},
      {"asin", {kV}},
      {"asinh", {kV}},
      {"atan", {kV}},
      {"atanh", {kV}},
      {"avg_over_time", {kM}},
      {"ceil", {kV}},
      {"changes", {kM}},
      {"clamp", {kV, kS, kS}},
      {"clamp_max", {kV, kS}},
      {"clamp_min", {kV, kS}},
      {"cos", {kV}},
      {"cosh", {kV}},
      {"count_over_time", {kM}},
      {"day_of_month", {kV}, 1},
      {"day_of_week", {kV}, 1},
      {"day_of_year", {kV}, 1},
      {"days_in_month", {kV}, 1},
      {"deg", {kV}},
      {"delta", {kM}},
      {"deriv", {kM}},
      {"double_exponential_smoothing", {kM, kS, kS}, 0, kV, true},
      {"exp", {kV}},
      {"first_over_time", {kM}},
      {"floor", {kV}},
      {"histogram_avg", {kV}},
      {"histogram_count", {kV}},
      {"histogram_fraction", {kS, kS, kV}},
      {"histogram_quantile", {kS, kV}},
      {"histogram_stddev", {kV}},
      {"histogram_stdvar", {kV}},
      {"histogram_sum", {kV}},
      // Prometheus 2.x's name for double_exponential_smoothing, removed in 3.0; rule files
      // written for 2.x still use it.
      {"holt_winters", {kM, kS, kS}},
      {"hour", {kV}, 1},
      {"idelta", {kM}},
      {"increase", {kM}},
      {"info", {kV, kV}, 1, kV, true},
      {"irate", {kM}},
      {"label_join", {kV, kStr, kStr, kStr}, -1},
      {"label_replace", {kV, kStr, kStr, kStr, kStr}},
      {"last_over_time", {kM}},
      {"ln", {kV}},
      {"log10", {kV}},
      {"log2", {kV}},
      {"mad_over_time", {kM}, 0, kV, true},
      {"max_over_time", {kM}},
      {"min_over_time", {kM}},
      {"minute", {kV}, 1},
      {"month", {kV}, 1},
      {"pi", {}, 0, kS},
      {"predict_linear", {kM, kS}},
      {"present_over_time", {kM}},
      {"quantile_over_time", {kS, kM}},
      {"rad", {kV}},
      {"rate", {kM}},
      {"resets", {kM}},
      {"round", {kV, kS}, 1},
      {"scalar", {kV}, 0, kS},
      {"sgn", {kV}},
      {"sin", {kV}},
      {"sinh", {kV}},
      {"sort", {kV}},
      {"sort_by_label", {kV, kStr}, -1, kV, true},
      {"sort_by_label_desc", {kV, kStr}, -1, kV, true},
      {"sort_desc", {kV}},
      {"sqrt", {kV}},
      {"stddev_over_time", {kM}},
      {"stdvar_over_time", {kM}},
      {"sum_over_time", {kM}},
      {"tan", {kV}},
      {"tanh", {kV}},
      {"time", {}, 0, kS},
      {"timestamp", {kV}},
      {"ts_of_first_over_time", {kM}, 0, kV, true},
      {"ts_of_last_over_time", {kM}, 0, kV, true},
      {"ts_of_max_over_time", {kM}, 0, kV, true},
      {"ts_of_min_over_time", {kM}, 0, kV, true},
      {"vector", {kS}},
      {"year", {kV}, 1},
  };
  std::sort(t.begin(), t.end(),
            [](const Function& a, const Function& b) { return a.name < b.name; });
  return t;
}

}  // namespace

const std::vector<Function>& AllFunctions() {
  static const std::vector<Function>* const kTable = new std::vector<Function>(BuildTable());
  return *kTable;
}

const Function* FindFunction(std::string_view name) {
  const std::vector<Function>& t = AllFunctions();
  auto it = std::lower_bound(t.begin(), t.end(), name,
                             [](const Function& f, std::string_view n) { return f.name < n; });
  if (it == t.end() || it->name != name) return nullptr;
  return &*it;
}

}  // namespace smoke::promql
