#include "exporter/promql/functions_impl.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>

#include "exporter/promql/eval_error.h"
#include "exporter/promql/functions.h"
#include "exporter/promql/go_math.h"
#include "exporter/promql/label_functions.h"
#include "exporter/promql/math_util.h"

namespace smoke::promql {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = 3.14159265358979323846264338327950288419716939937510582097494459;

Vector& VectorArg(std::vector<Value>& args, size_t i) { return std::get<Vector>(args.at(i)); }
double ScalarArg(const std::vector<Value>& args, size_t i) {
  return std::get<Scalar>(args.at(i)).v;
}
const std::string& StringArg(const std::vector<Value>& args, size_t i) {
  return std::get<String>(args.at(i)).v;
}

// Go's math.Max / math.Min: an infinity wins over NaN, NaN over everything else, and the sign of
// zero is respected.
double GoMax(double x, double y) {
  if (std::isinf(x) && x > 0) return x;
  if (std::isinf(y) && y > 0) return y;
  if (std::isnan(x) || std::isnan(y)) return kNaN;
  if (x == 0 && x == y) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}
double GoMin(double x, double y) {
  if (std::isinf(x) && x < 0) return x;
  if (std::isinf(y) && y < 0) return y;
  if (std::isnan(x) || std::isnan(y)) return kNaN;
  if (x == 0 && x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}

// Go's math.Log2 and math.Log10 are not libm's.
double GoLog2(double x) {
  int exp;
  const double frac = std::frexp(x, &exp);
  if (frac == 0.5) return static_cast<double>(exp - 1);
  return std::log(frac) * 1.44269504088896340735992468100189214 + static_cast<double>(exp);
}
double GoLog10(double x) { return std::log(x) * 0.43429448190325182765112891891660508; }

template <double (*F)(double)>
Value Simple(std::vector<Value>& args, const FunctionContext&) {
  Vector& vec = VectorArg(args, 0);
  for (Sample& s : vec) {
    s.labels = s.labels.WithoutMetricName();
    s.v = F(s.v);
  }
  return std::move(vec);
}

double Abs(double v) { return std::fabs(v); }
double Ceil(double v) { return std::ceil(v); }
double Floor(double v) { return std::floor(v); }
double Exp(double v) { return std::exp(v); }
double Sqrt(double v) { return std::sqrt(v); }
double Ln(double v) { return std::log(v); }
double Sin(double v) { return std::sin(v); }
double Cos(double v) { return std::cos(v); }
double Tan(double v) { return std::tan(v); }
double Asin(double v) { return std::asin(v); }
double Acos(double v) { return std::acos(v); }
double Atan(double v) { return std::atan(v); }
double Sinh(double v) { return std::sinh(v); }
double Cosh(double v) { return std::cosh(v); }
double Tanh(double v) { return std::tanh(v); }
double Asinh(double v) { return std::asinh(v); }
double Acosh(double v) { return std::acosh(v); }
double Atanh(double v) { return std::atanh(v); }
double Rad(double v) { return v * kPi / 180; }
double Deg(double v) { return v * 180 / kPi; }
double Sgn(double v) { return v < 0 ? -1 : v > 0 ? 1 : v; }

Value Clamp(std::vector<Value>& args, const FunctionContext&) {
  Vector& vec = VectorArg(args, 0);
  const double min = ScalarArg(args, 1);
  const double max = ScalarArg(args, 2);
  if (max < min) return Vector{};
  for (Sample& s : vec) {
    s.labels = s.labels.WithoutMetricName();
    s.v = GoMax(min, GoMin(max, s.v));
  }
  return std::move(vec);
}

Value ClampMax(std::vector<Value>& args, const FunctionContext&) {
  Vector& vec = VectorArg(args, 0);
  const double max = ScalarArg(args, 1);
  for (Sample& s : vec) {
    s.labels = s.labels.WithoutMetricName();
    s.v = GoMin(max, s.v);
  }
  return std::move(vec);
}

Value ClampMin(std::vector<Value>& args, const FunctionContext&) {
  Vector& vec = VectorArg(args, 0);
  const double min = ScalarArg(args, 1);
  for (Sample& s : vec) {
    s.labels = s.labels.WithoutMetricName();
    s.v = GoMax(min, s.v);
  }
  return std::move(vec);
}

Value Round(std::vector<Value>& args, const FunctionContext&) {
  Vector& vec = VectorArg(args, 0);
  const double to_nearest = args.size() >= 2 ? ScalarArg(args, 1) : 1;
  // Prometheus divides by the inverse; it has fewer floating point surprises.
  const double inverse = 1.0 / to_nearest;
  for (Sample& s : vec) {
    s.labels = s.labels.WithoutMetricName();
    s.v = std::floor(s.v * inverse + 0.5) / inverse;
  }
  return std::move(vec);
}

Value ScalarFn(std::vector<Value>& args, const FunctionContext& ctx) {
  const Vector& vec = VectorArg(args, 0);
  return Scalar{ctx.t, vec.size() == 1 ? vec[0].v : kNaN};
}

Value VectorFn(std::vector<Value>& args, const FunctionContext& ctx) {
  return Vector{Sample{Labels(), ctx.t, ScalarArg(args, 0)}};
}

Value Time(std::vector<Value>&, const FunctionContext& ctx) {
  return Scalar{ctx.t, static_cast<double>(ctx.t) / 1000};
}

Value Pi(std::vector<Value>&, const FunctionContext& ctx) { return Scalar{ctx.t, kPi}; }

Value Timestamp(std::vector<Value>& args, const FunctionContext&) {
  Vector& vec = VectorArg(args, 0);
  for (Sample& s : vec) {
    s.labels = s.labels.WithoutMetricName();
    s.v = static_cast<double>(s.t) / 1000;
  }
  return std::move(vec);
}

Value Absent(std::vector<Value>& args, const FunctionContext& ctx) {
  if (!VectorArg(args, 0).empty()) return Vector{};
  return Vector{Sample{ctx.absent_labels, ctx.t, 1}};
}

// NaN sorts last in both directions.
template <bool kDescending>
Value Sort(std::vector<Value>& args, const FunctionContext&) {
  Vector& vec = VectorArg(args, 0);
  std::stable_sort(vec.begin(), vec.end(), [](const Sample& a, const Sample& b) {
    if (std::isnan(a.v)) return false;
    if (std::isnan(b.v)) return true;
    return kDescending ? a.v > b.v : a.v < b.v;
  });
  return std::move(vec);
}

// Natural order: runs of digits compare by numeric value.
int NaturalCompare(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = a[i] >= '0' && a[i] <= '9';
    const bool db = b[j] >= '0' && b[j] <= '9';
    if (da && db) {
      size_t ie = i, je = j;
      while (ie < a.size() && a[ie] >= '0' && a[ie] <= '9') ie++;
      while (je < b.size() && b[je] >= '0' && b[je] <= '9') je++;
      std::string_view na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size() ? -1 : 1;
      if (int c = na.compare(nb); c != 0) return c < 0 ? -1 : 1;
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j] ? -1 : 1;
    i++;
    j++;
  }
  if (i == a.size() && j == b.size()) return 0;
  return i == a.size() ? -1 : 1;
}

template <bool kDescending>
Value SortByLabel(std::vector<Value>& args, const FunctionContext&) {
  std::vector<std::string> names;
  for (size_t i = 1; i < args.size(); ++i) names.push_back(StringArg(args, i));
  Vector& vec = VectorArg(args, 0);
  std::stable_sort(vec.begin(), vec.end(), [&names](const Sample& a, const Sample& b) {
    int c = 0;
    for (const std::string& n : names) {
      c = NaturalCompare(a.labels.Get(n), b.labels.Get(n));
      if (c != 0) break;
    }
    if (c == 0) c = Labels::Compare(a.labels, b.labels);
    return kDescending ? c > 0 : c < 0;
  });
  return std::move(vec);
}

Value LabelReplaceFn(std::vector<Value>& args, const FunctionContext&) {
  return LabelReplace(std::move(VectorArg(args, 0)), StringArg(args, 1), StringArg(args, 2),
                      StringArg(args, 3), StringArg(args, 4));
}

Value LabelJoinFn(std::vector<Value>& args, const FunctionContext&) {
  std::vector<std::string> srcs;
  for (size_t i = 3; i < args.size(); ++i) srcs.push_back(StringArg(args, i));
  return LabelJoin(std::move(VectorArg(args, 0)), StringArg(args, 1), StringArg(args, 2), srcs);
}

// Date functions: of the evaluation time without an argument, else of each sample's value
// taken as Unix seconds.
template <double (*F)(const GoCivilTime&)>
Value Date(std::vector<Value>& args, const FunctionContext& ctx) {
  if (args.empty()) {
    return Vector{Sample{Labels(), ctx.t, F(GoUnixToCivil(ctx.t / 1000))}};
  }
  Vector& vec = VectorArg(args, 0);
  for (Sample& s : vec) {
    s.labels = s.labels.WithoutMetricName();
    s.v = F(GoUnixToCivil(GoFloatToInt64(s.v)));
  }
  return std::move(vec);
}

double Year(const GoCivilTime& c) { return static_cast<double>(c.year); }
double Month(const GoCivilTime& c) { return c.month; }
double DayOfMonth(const GoCivilTime& c) { return c.day; }
double DayOfYear(const GoCivilTime& c) { return c.year_day; }
double DayOfWeek(const GoCivilTime& c) { return c.weekday; }
double DaysInMonth(const GoCivilTime& c) { return c.days_in_month; }
double Hour(const GoCivilTime& c) { return c.hour; }
double Minute(const GoCivilTime& c) { return c.minute; }

Value HistogramQuantile(std::vector<Value>& args, const FunctionContext& ctx) {
  const double q = ScalarArg(args, 0);
  Vector& vec = VectorArg(args, 1);
  struct Group {
    Labels labels;
    std::vector<Bucket> buckets;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;
  for (Sample& s : vec) {
    double upper;
    if (!ParseGoFloat(s.labels.Get(kBucketLabel), &upper)) continue;
    std::string key;
    AppendSignature(
        s.labels, [](const std::string& n) { return n != kBucketLabel; }, &key);
    auto [it, inserted] = index.emplace(std::move(key), groups.size());
    if (inserted) {
      groups.push_back(Group{s.labels.WithoutMetricName().Del(kBucketLabel), {}});
    }
    groups[it->second].buckets.push_back(Bucket{upper, s.v});
  }
  Vector out;
  for (Group& g : groups) {
    out.push_back(
        Sample{std::move(g.labels), 0, BucketQuantile(q, std::move(g.buckets), ctx.prometheus2)});
  }
  return out;
}

// Native-histogram functions: classic (float) samples are skipped, so the result is empty.
Value NativeHistogramOnly(std::vector<Value>&, const FunctionContext&) { return Vector{}; }

Value Unsupported(std::vector<Value>&, const FunctionContext& ctx) {
  ThrowEvalError("function \"" + std::string(ctx.call.func->name) +
                 "\" is not supported by this engine");
}

const std::map<std::string_view, InstantFunction>& Table() {
  static const auto* const kTable = new std::map<std::string_view, InstantFunction>{
      {"abs", Simple<Abs>},
      {"absent", Absent},
      {"acos", Simple<Acos>},
      {"acosh", Simple<Acosh>},
      {"asin", Simple<Asin>},
      {"asinh", Simple<Asinh>},
      {"atan", Simple<Atan>},
      {"atanh", Simple<Atanh>},
      {"ceil", Simple<Ceil>},
      {"clamp", Clamp},
      {"clamp_max", ClampMax},
      {"clamp_min", ClampMin},
      {"cos", Simple<Cos>},
      {"cosh", Simple<Cosh>},
      {"day_of_month", Date<DayOfMonth>},
      {"day_of_week", Date<DayOfWeek>},
      {"day_of_year", Date<DayOfYear>},
      {"days_in_month", Date<DaysInMonth>},
      {"deg", Simple<Deg>},
      {"exp", Simple<Exp>},
      {"floor", Simple<Floor>},
      {"histogram_avg", NativeHistogramOnly},
      {"histogram_count", NativeHistogramOnly},
      {"histogram_fraction", NativeHistogramOnly},
      {"histogram_quantile", HistogramQuantile},
      {"histogram_stddev", NativeHistogramOnly},
      {"histogram_stdvar", NativeHistogramOnly},
      {"histogram_sum", NativeHistogramOnly},
      {"hour", Date<Hour>},
      {"info", Unsupported},
      {"label_join", LabelJoinFn},
      {"label_replace", LabelReplaceFn},
      {"ln", Simple<Ln>},
      {"log10", Simple<GoLog10>},
      {"log2", Simple<GoLog2>},
      {"minute", Date<Minute>},
      {"month", Date<Month>},
      {"pi", Pi},
      {"rad", Simple<Rad>},
      {"round", Round},
      {"scalar", ScalarFn},
      {"sgn", Simple<Sgn>},
      {"sin", Simple<Sin>},
      {"sinh", Simple<Sinh>},
      {"sort", Sort<false>},
      {"sort_by_label", SortByLabel<false>},
      {"sort_by_label_desc", SortByLabel<true>},
      {"sort_desc", Sort<true>},
      {"sqrt", Simple<Sqrt>},
      {"tan", Simple<Tan>},
      {"tanh", Simple<Tanh>},
      {"time", Time},
      {"timestamp", Timestamp},
      {"vector", VectorFn},
      {"year", Date<Year>},
  };
  return *kTable;
}

}  // namespace

InstantFunction FindInstantFunction(std::string_view name) {
  const auto& t = Table();
  auto it = t.find(name);
  return it == t.end() ? nullptr : it->second;
}

bool ParseGoFloat(std::string_view s, double* out) {
  if (s.empty()) return false;
  std::string_view body = s;
  bool negative = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  auto iequals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
    }
    return true;
  };
  if (iequals(body, "inf") || iequals(body, "infinity")) {
    *out = negative ? -kInf : kInf;
    return true;
  }
  if (iequals(body, "nan")) {
    *out = kNaN;
    return true;
  }
  if (body.empty() || !(std::isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.')) {
    return false;
  }
  const bool hex = body.size() > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
  if (hex && body.find_first_of("pP") == std::string_view::npos) return false;
  if (body.find('_') != std::string_view::npos) return false;
  const std::string text(s);
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return false;
  if (errno == ERANGE && std::isinf(v)) return false;
  *out = v;
  return true;
}

}  // namespace smoke::promql
