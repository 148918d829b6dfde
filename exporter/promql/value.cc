#include "exporter/promql/value.h"

#include <algorithm>

#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

std::string PointString(double v, int64_t t) {
  return FormatGoFloat(v) + " @[" + std::to_string(t) + "]";
}

}  // namespace

ValueType TypeOf(const Value& value) {
  switch (value.index()) {
    case 0:
      return ValueType::kVector;
    case 1:
      return ValueType::kScalar;
    case 2:
      return ValueType::kMatrix;
    default:
      return ValueType::kString;
  }
}

std::string ValueToString(const Value& value) {
  std::string out;
  if (const auto* vec = std::get_if<Vector>(&value)) {
    for (const Sample& s : *vec) {
      if (!out.empty()) out += '\n';
      out += s.labels.ToString() + " => " + PointString(s.v, s.t);
    }
  } else if (const auto* scalar = std::get_if<Scalar>(&value)) {
    out = "scalar: " + PointString(scalar->v, scalar->t);
  } else if (const auto* matrix = std::get_if<Matrix>(&value)) {
    for (const Series& s : *matrix) {
      if (!out.empty()) out += '\n';
      out += s.labels.ToString() + " =>";
      for (const Point& p : s.points) out += "\n" + PointString(p.v, p.t);
    }
  } else {
    const auto& str = std::get<String>(value);
    out = "string: " + str.v + " @[" + std::to_string(str.t) + "]";
  }
  return out;
}

void SortByLabels(Matrix* matrix) {
  std::sort(matrix->begin(), matrix->end(),
            [](const Series& a, const Series& b) { return a.labels < b.labels; });
}

}  // namespace smoke::promql
