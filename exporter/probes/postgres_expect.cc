#include "exporter/probes/postgres_expect.h"

#include <charconv>
#include <cmath>
#include <optional>

#include "exporter/config/postgres_parser.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {
namespace {

using Expect = config::PostgresExpect;

constexpr size_t kValueBytes = 200;

std::optional<double> AsNumber(const std::string& text) {
  std::string_view s = text;
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || std::isnan(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> AsBool(const std::string& text) {
  if (text == "t" || text == "true" || text == "TRUE") return true;
  if (text == "f" || text == "false" || text == "FALSE") return false;
  return std::nullopt;
}

template <typename T>
bool Compare(Expect::Op op, const T& actual, const T& expected) {
  switch (op) {
    case Expect::Op::kEq:
      return actual == expected;
    case Expect::Op::kNe:
      return actual != expected;
    case Expect::Op::kLt:
      return actual < expected;
    case Expect::Op::kLe:
      return actual <= expected;
    case Expect::Op::kGt:
      return actual > expected;
    case Expect::Op::kGe:
      return actual >= expected;
  }
  return false;
}

bool LooksNumericOrBool(const std::string& text) {
  return AsNumber(text).has_value() || text == "t" || text == "f";
}

}  // namespace

std::string DescribeFirstValue(const clients::PgQueryResult& result) {
  if (result.rows.empty() || result.rows[0].empty()) return "no rows";
  const clients::PgValue& value = result.rows[0][0];
  if (!value) return "null";
  const std::string shown = PrintableSnippet(*value, kValueBytes);
  return LooksNumericOrBool(*value) ? shown : "\"" + shown + "\"";
}

ExpectVerdict EvaluateExpect(const Expect& expect, const clients::PgQueryResult& result) {
  ExpectVerdict v;
  v.expected = "first value " + config::FormatPostgresExpect(expect);
  v.actual = DescribeFirstValue(result);
  if (result.rows.empty() || result.rows[0].empty()) return v;
  const clients::PgValue& value = result.rows[0][0];
  if (expect.type == Expect::Type::kNull) {
    v.passed = (expect.op == Expect::Op::kEq) == !value.has_value();
    return v;
  }
  if (!value) {
    v.passed = expect.op == Expect::Op::kNe;
    return v;
  }
  switch (expect.type) {
    case Expect::Type::kNumber: {
      std::optional<double> n = AsNumber(*value);
      if (!n) {
        v.actual += " (not a number)";
        return v;
      }
      v.passed = Compare(expect.op, *n, expect.number);
      break;
    }
    case Expect::Type::kBool: {
      std::optional<bool> b = AsBool(*value);
      if (!b) {
        v.actual += " (not a boolean)";
        return v;
      }
      v.passed = Compare(expect.op, *b, expect.boolean);
      break;
    }
    case Expect::Type::kText:
      v.passed = Compare(expect.op, *value, expect.text);
      break;
    case Expect::Type::kNull:
      break;
  }
  return v;
}

}  // namespace smoke::probes
