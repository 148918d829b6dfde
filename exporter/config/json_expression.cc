#include "exporter/config/json_expression.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "exporter/config/regex_check.h"

namespace smoke::config {
namespace {

constexpr std::string_view kOperators =
    "an operator (==, !=, <, <=, >, >=, =~, in, exists, absent)";
constexpr std::string_view kValue = "a JSON value (a \"string\", a number, true, false or null)";

struct OpName {
  std::string_view text;
  JsonOp op;
};
// Two-character operators first so that "<=" is not read as "<".
constexpr OpName kSymbolOps[] = {
    {"==", JsonOp::kEq},      {"!=", JsonOp::kNe}, {"<=", JsonOp::kLe}, {">=", JsonOp::kGe},
    {"=~", JsonOp::kMatches}, {"<", JsonOp::kLt},  {">", JsonOp::kGt},
};

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  core::Result<JsonExpression> Parse() {
    JsonExpression expr;
    SkipSpace();
    expr.path = std::string(ScanPath());
    core::Result<core::JsonPath> parsed = core::ParseJsonPath(expr.path);
    if (!parsed.ok()) return Fail(parsed.status().message());
    expr.parsed = std::move(parsed).value();
    SkipSpace();
    const size_t op_start = i_;
    if (!ParseOperator(expr.op)) return Expected(kOperators, op_start);
    const std::string op_text(text_.substr(op_start, i_ - op_start));
    switch (expr.op) {
      case JsonOp::kExists:
      case JsonOp::kAbsent:
        break;
      case JsonOp::kAnyOf:
        if (!ParseList(expr.values)) return error_;
        break;
      case JsonOp::kMatches: {
        SkipSpace();
        value_start_ = i_;
        std::optional<std::string> v;
        if (i_ < text_.size() && text_[i_] == '"') v = ParseString(/*raw=*/true);
        if (!v) {
          return Expected("a \"quoted\" regular expression after \"=~\"", value_start_);
        }
        expr.pattern = std::move(*v);
        if (std::optional<std::string> error = RegexError(expr.pattern)) {
          return Fail("invalid regular expression: " + *error);
        }
        break;
      }
      default: {
        SkipSpace();
        std::optional<JsonScalar> v = ParseScalar();
        if (!v) return ValueError();
        const bool ordering = expr.op == JsonOp::kLt || expr.op == JsonOp::kLe ||
                              expr.op == JsonOp::kGt || expr.op == JsonOp::kGe;
        if (ordering && v->type != JsonScalar::Type::kNumber) {
          return Expected("a number after \"" + op_text + "\"", value_start_);
        }
        expr.values.push_back(std::move(*v));
      }
    }
    SkipSpace();
    if (i_ != text_.size()) return Expected("the end of the expression", i_);
    return expr;
  }

 private:
  core::Status Fail(const std::string& message) const {
    return core::Status::Error("invalid json assertion \"" + std::string(text_) + "\": " + message);
  }
  core::Status Expected(std::string_view what, size_t at) const {
    return Fail("expected " + std::string(what) + " at column " + std::to_string(at + 1));
  }
  // Why the value at value_start_ did not parse.
  core::Status ValueError() const {
    if (out_of_range_) {
      return Fail("number out of range at column " + std::to_string(value_start_ + 1) +
                  " (beyond a double's ±1.8e308)");
    }
    return Expected(kValue, value_start_);
  }

  void SkipSpace() {
    while (i_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[i_]))) ++i_;
  }

  // The path runs to the first space or operator character outside brackets and quotes; the
  // JSON path parser then says what is wrong with it.
  std::string_view ScanPath() {
    const size_t start = i_;
    int depth = 0;
    char quote = 0;
    for (; i_ < text_.size(); ++i_) {
      const char c = text_[i_];
      if (quote != 0) {
        if (c == '\\') {
          ++i_;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (depth > 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == '[') {
        ++depth;
      } else if (c == ']') {
        --depth;
      } else if (depth <= 0 && (std::isspace(static_cast<unsigned char>(c)) || c == '=' ||
                                c == '!' || c == '<' || c == '>')) {
        break;
      }
    }
    if (i_ > text_.size()) i_ = text_.size();
    return text_.substr(start, i_ - start);
  }

  bool ParseOperator(JsonOp& op) {
    for (const OpName& o : kSymbolOps) {
      if (text_.substr(i_, o.text.size()) == o.text) {
        op = o.op;
        i_ += o.text.size();
        return true;
      }
    }
    const OpName words[] = {
        {"exists", JsonOp::kExists}, {"absent", JsonOp::kAbsent}, {"in", JsonOp::kAnyOf}};
    for (const OpName& o : words) {
      if (text_.substr(i_, o.text.size()) == o.text && AtWordEnd(i_ + o.text.size())) {
        op = o.op;
        i_ += o.text.size();
        return true;
      }
    }
    return false;
  }

  bool AtWordEnd(size_t at) const {
    return at >= text_.size() || !std::isalnum(static_cast<unsigned char>(text_[at]));
  }

  bool ParseList(std::vector<JsonScalar>& values) {
    SkipSpace();
    if (i_ >= text_.size() || text_[i_] != '[') {
      error_ = Expected("'[' to start the list after \"in\"", i_);
      return false;
    }
    ++i_;
    while (true) {
      SkipSpace();
      std::optional<JsonScalar> v = ParseScalar();
      if (!v) {
        error_ = ValueError();
        return false;
      }
      values.push_back(std::move(*v));
      SkipSpace();
      if (i_ < text_.size() && text_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < text_.size() && text_[i_] == ']') {
        ++i_;
        return true;
      }
      error_ = Expected("',' or ']'", i_);
      return false;
    }
  }

  std::optional<JsonScalar> ParseScalar() {
    value_start_ = i_;
    JsonScalar v;
    if (i_ >= text_.size()) return std::nullopt;
    const char c = text_[i_];
    if (c == '"') {
      std::optional<std::string> s = ParseString(/*raw=*/false);
      if (!s) return std::nullopt;
      v.type = JsonScalar::Type::kString;
      v.string_value = std::move(*s);
      return v;
    }
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(i_, word.size()) == word && AtWordEnd(i_ + word.size())) {
        i_ += word.size();
        if (word == "null") {
          v.type = JsonScalar::Type::kNull;
        } else {
          v.type = JsonScalar::Type::kBool;
          v.bool_value = word == "true";
        }
        return v;
      }
    }
    return ParseNumber();
  }

  // JSON number syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  std::optional<JsonScalar> ParseNumber() {
    size_t j = i_;
    auto digits = [&] {
      const size_t s = j;
      while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
      return j - s;
    };
    if (j < text_.size() && text_[j] == '-') ++j;
    const size_t int_start = j;
    const size_t int_digits = digits();
    if (int_digits == 0 || (int_digits > 1 && text_[int_start] == '0')) return std::nullopt;
    if (j < text_.size() && text_[j] == '.') {
      ++j;
      if (digits() == 0) return std::nullopt;
    }
    if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
      ++j;
      if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
      if (digits() == 0) return std::nullopt;
    }
    if (!AtWordEnd(j)) return std::nullopt;
    JsonScalar v;
    v.type = JsonScalar::Type::kNumber;
    v.number_value = std::strtod(std::string(text_.substr(i_, j - i_)).c_str(), nullptr);
    // 1e999 would become inf, which prints as "inf" and no JSON body can hold (found by fuzzing).
    if (!std::isfinite(v.number_value)) {
      out_of_range_ = true;
      return std::nullopt;
    }
    i_ = j;
    return v;
  }

  // JSON string escapes; `raw` (regex patterns) keeps every escape but \" verbatim for RE2, so
  // that "\b" stays a word boundary instead of becoming a backspace.
  std::optional<std::string> ParseString(bool raw) {
    std::string out;
    size_t j = i_ + 1;
    while (j < text_.size() && text_[j] != '"') {
      char c = text_[j];
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out += c;
        ++j;
        continue;
      }
      if (++j >= text_.size()) return std::nullopt;
      if (raw) {
        if (text_[j] != '"') out += '\\';
        out += text_[j++];
        continue;
      }
      switch (text_[j]) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::optional<uint32_t> cp = Hex4(j + 1);
          if (!cp) return std::nullopt;
          j += 4;
          if (*cp >= 0xD800 && *cp <= 0xDBFF && text_.substr(j + 1, 2) == "\\u") {
            std::optional<uint32_t> low = Hex4(j + 3);
            if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
              *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
              j += 6;
            }
          }
          AppendUtf8(out, *cp);
          break;
        }
        default:
          return std::nullopt;
      }
      ++j;
    }
    if (j >= text_.size()) return std::nullopt;
    i_ = j + 1;
    return out;
  }

  std::optional<uint32_t> Hex4(size_t at) const {
    if (at + 4 > text_.size()) return std::nullopt;
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(text_.data() + at, text_.data() + at + 4, value, 16);
    if (ec != std::errc() || end != text_.data() + at + 4) return std::nullopt;
    return value;
  }

  std::string_view text_;
  size_t i_ = 0;
  size_t value_start_ = 0;
  bool out_of_range_ = false;  // the last number parsed did not fit a double
  core::Status error_;
};

}  // namespace

core::Result<JsonExpression> ParseJsonExpression(std::string_view text) {
  return Parser(text).Parse();
}

std::string FormatJsonScalar(const JsonScalar& value) {
  switch (value.type) {
    case JsonScalar::Type::kNull:
      return "null";
    case JsonScalar::Type::kBool:
      return value.bool_value ? "true" : "false";
    case JsonScalar::Type::kNumber: {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value.number_value);
      return ec == std::errc() ? std::string(buf, end) : "0";
    }
    case JsonScalar::Type::kString:
      break;
  }
  std::string out = "\"";
  for (char c : value.string_value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string FormatJsonExpression(const std::string& path, JsonOp op,
                                 const std::vector<JsonScalar>& values,
                                 const std::string& pattern) {
  auto first = [&] { return values.empty() ? std::string("null") : FormatJsonScalar(values[0]); };
  switch (op) {
    case JsonOp::kExists:
      return path + " exists";
    case JsonOp::kAbsent:
      return path + " absent";
    case JsonOp::kEq:
      return path + " == " + first();
    case JsonOp::kNe:
      return path + " != " + first();
    case JsonOp::kLt:
      return path + " < " + first();
    case JsonOp::kLe:
      return path + " <= " + first();
    case JsonOp::kGt:
      return path + " > " + first();
    case JsonOp::kGe:
      return path + " >= " + first();
    case JsonOp::kMatches: {
      std::string quoted = "\"";
      for (char c : pattern) {
        if (c == '"') quoted += '\\';
        quoted += c;
      }
      return path + " =~ " + quoted + "\"";
    }
    case JsonOp::kAnyOf: {
      std::string out = path + " in [";
      for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ", ";
        out += FormatJsonScalar(values[i]);
      }
      return out + "]";
    }
  }
  return path;
}

}  // namespace smoke::config
