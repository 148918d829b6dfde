#include "exporter/probes/json_path_eval.h"

#include <re2/re2.h>

#include <cmath>
#include <cstdio>

namespace smoke::probes {
namespace {

constexpr std::string_view kNotFound = "path not found";

// Maximum nesting of arrays/objects outside strings; stops counting past `limit`.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
      if (max_depth > limit) return max_depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

std::string NumberText(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string Quote(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool EqualsScalar(const nlohmann::json& v, const config::JsonScalar& s) {
  switch (s.type) {
    case config::JsonScalar::Type::kString:
      return v.is_string() && v.get_ref<const std::string&>() == s.string_value;
    case config::JsonScalar::Type::kNumber:
      return v.is_number() && v.get<double>() == s.number_value;
    case config::JsonScalar::Type::kBool:
      return v.is_boolean() && v.get<bool>() == s.bool_value;
    case config::JsonScalar::Type::kNull:
      return v.is_null();
  }
  return false;
}

// -1/0/1 like <=>, or nullopt when the two are not both numbers or both strings.
std::optional<int> CompareScalar(const nlohmann::json& v, const config::JsonScalar& s) {
  if (s.type == config::JsonScalar::Type::kNumber && v.is_number()) {
    const double a = v.get<double>();
    return a < s.number_value ? -1 : (a > s.number_value ? 1 : 0);
  }
  if (s.type == config::JsonScalar::Type::kString && v.is_string()) {
    const int c = v.get_ref<const std::string&>().compare(s.string_value);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

std::string_view OpText(config::JsonOp op) {
  switch (op) {
    case config::JsonOp::kEq:
      return "==";
    case config::JsonOp::kNe:
      return "!=";
    case config::JsonOp::kLt:
      return "<";
    case config::JsonOp::kLe:
      return "<=";
    case config::JsonOp::kGt:
      return ">";
    case config::JsonOp::kGe:
      return ">=";
    case config::JsonOp::kExists:
      return "exists";
    case config::JsonOp::kAbsent:
      return "absent";
    case config::JsonOp::kAnyOf:
      return "in";
    case config::JsonOp::kMatches:
      return "=~";
  }
  return "?";
}

}  // namespace

bool ParseJsonBody(std::string_view body, nlohmann::json* out, std::string* error) {
  if (NestingDepth(body, kMaxJsonDepth) > kMaxJsonDepth) {
    *error = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  try {
    *out = nlohmann::json::parse(body.begin(), body.end());
    return true;
  } catch (const nlohmann::json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 1: syntax error ..."
    std::string what = e.what();
    const size_t bracket = what.find("] ");
    if (what.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    if (what.size() > 160) what = what.substr(0, 157) + "...";
    *error = what;
    return false;
  }
}

const nlohmann::json* ResolveJsonPath(const nlohmann::json& doc, const core::JsonPath& path) {
  const nlohmann::json* node = &doc;
  for (const core::JsonPathSegment& seg : path) {
    if (seg.kind == core::JsonPathSegment::Kind::kKey) {
      if (!node->is_object()) return nullptr;
      auto it = node->find(seg.key);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else {
      if (!node->is_array()) return nullptr;
      const auto size = static_cast<int64_t>(node->size());
      const int64_t index = seg.index < 0 ? size + seg.index : seg.index;
      if (index < 0 || index >= size) return nullptr;
      node = &(*node)[static_cast<size_t>(index)];
    }
  }
  return node;
}

std::string JsonValueText(const nlohmann::json& value, size_t max_bytes) {
  std::string text;
  try {
    text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const nlohmann::json::exception&) {
    return "<unprintable value>";
  }
  if (text.size() > max_bytes) {
    size_t cut = max_bytes;
    // Do not split a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "...";
  }
  return text;
}

std::string JsonScalarText(const config::JsonScalar& scalar) {
  switch (scalar.type) {
    case config::JsonScalar::Type::kString:
      return Quote(scalar.string_value);
    case config::JsonScalar::Type::kNumber:
      return NumberText(scalar.number_value);
    case config::JsonScalar::Type::kBool:
      return scalar.bool_value ? "true" : "false";
    case config::JsonScalar::Type::kNull:
      return "null";
  }
  return "null";
}

std::string DescribeJsonCheck(std::string_view path_text, config::JsonOp op,
                              const std::vector<config::JsonScalar>& operands,
                              std::string_view pattern) {
  std::string out = std::string(path_text) + " " + std::string(OpText(op));
  switch (op) {
    case config::JsonOp::kExists:
    case config::JsonOp::kAbsent:
      return out;
    case config::JsonOp::kMatches:
      return out + " " + Quote(pattern);
    case config::JsonOp::kAnyOf: {
      out += " [";
      for (size_t i = 0; i < operands.size(); ++i) {
        if (i > 0) out += ", ";
        out += JsonScalarText(operands[i]);
      }
      return out + "]";
    }
    default:
      return out + " " + (operands.empty() ? "null" : JsonScalarText(operands.front()));
  }
}

JsonCheckResult CheckJsonValue(const nlohmann::json* value, config::JsonOp op,
                               const std::vector<config::JsonScalar>& operands,
                               const re2::RE2* pattern) {
  JsonCheckResult r;
  r.actual = value == nullptr ? std::string(kNotFound) : JsonValueText(*value);
  if (op == config::JsonOp::kExists) {
    r.passed = value != nullptr;
    return r;
  }
  if (op == config::JsonOp::kAbsent) {
    r.passed = value == nullptr;
    return r;
  }
  if (value == nullptr) return r;  // every other operator needs a value to look at
  static const config::JsonScalar kNull;
  const config::JsonScalar& operand = operands.empty() ? kNull : operands.front();
  switch (op) {
    case config::JsonOp::kEq:
      r.passed = EqualsScalar(*value, operand);
      break;
    case config::JsonOp::kNe:
      r.passed = !EqualsScalar(*value, operand);
      break;
    case config::JsonOp::kLt:
    case config::JsonOp::kLe:
    case config::JsonOp::kGt:
    case config::JsonOp::kGe: {
      const std::optional<int> c = CompareScalar(*value, operand);
      if (!c) {
        r.actual += operand.type == config::JsonScalar::Type::kNumber ? " (not a number)"
                                                                      : " (not comparable)";
        break;
      }
      r.passed = (op == config::JsonOp::kLt && *c < 0) || (op == config::JsonOp::kLe && *c <= 0) ||
                 (op == config::JsonOp::kGt && *c > 0) || (op == config::JsonOp::kGe && *c >= 0);
      break;
    }
    case config::JsonOp::kAnyOf:
      for (const config::JsonScalar& s : operands) r.passed = r.passed || EqualsScalar(*value, s);
      break;
    case config::JsonOp::kMatches: {
      if (pattern == nullptr) break;
      const std::string text =
          value->is_string() ? value->get<std::string>() : JsonValueText(*value, 64 * 1024);
      r.passed = RE2::PartialMatch(text, *pattern);
      break;
    }
    default:
      break;
  }
  return r;
}

}  // namespace smoke::probes
