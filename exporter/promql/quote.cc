#include "exporter/promql/quote.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace smoke::promql {
namespace {

const core::Status kInvalidSyntax = core::Status::Error("invalid syntax");

// An approximation of Go's unicode.IsPrint for the runes a PromQL string plausibly contains:
// ASCII graphic characters and space, and everything above U+00A0 except the format, separator,
// surrogate and private-use ranges.
bool IsPrint(uint32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  if (r <= 0xA0 || r == 0xAD || r == 0x1680 || r == 0x3000 || r == 0xFEFF) return false;
  if ((r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F)) return false;
  if (r >= 0x205F && r <= 0x206F) return false;
  if (r >= 0xD800 && r <= 0xF8FF) return false;  // surrogates and private use
  if (r >= 0xFFF0 && r <= 0xFFFB) return false;
  if (r == 0xFFFE || r == 0xFFFF || r >= 0xF0000) return false;
  return true;
}

void AppendHex(uint32_t v, int digits, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out->push_back(kHex[(v >> (4 * i)) & 0xF]);
}

// strconv.appendEscapedRune. `invalid_byte` is set when `r` stands for an undecodable byte.
void AppendEscapedRune(uint32_t r, char quote, bool invalid_byte, uint8_t byte, std::string* out) {
  if (invalid_byte) {
    out->append("\\x");
    AppendHex(byte, 2, out);
    return;
  }
  if (r == static_cast<uint32_t>(quote) || r == '\\') {
    out->push_back('\\');
    out->push_back(static_cast<char>(r));
    return;
  }
  if (IsPrint(r)) {
    AppendRune(r, out);
    return;
  }
  switch (r) {
    case '\a':
      out->append("\\a");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\v':
      out->append("\\v");
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7F) {
    out->append("\\x");
    AppendHex(r, 2, out);
  } else if (r < 0x10000) {
    out->append("\\u");
    AppendHex(r, 4, out);
  } else {
    out->append("\\U");
    AppendHex(r, 8, out);
  }
}

std::string QuoteWith(std::string_view s, size_t max_runes) {
  std::string out = "\"";
  size_t pos = 0;
  for (size_t n = 0; pos < s.size() && n < max_runes; ++n) {
    int width = 0;
    uint32_t r = DecodeRune(s, pos, &width);
    bool invalid = r == kRuneError && width == 1;
    AppendEscapedRune(r, '"', invalid, static_cast<uint8_t>(s[pos]), &out);
    pos += width;
  }
  out.push_back('"');
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Go's strconv.ParseInt(s, 0, 64) for the spellings the lexer produces (decimal, 0x hex, 0 octal).
bool ParseGoInt(std::string_view s, int64_t* value) {
  int base = 10;
  std::string_view digits = s;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    digits = s.substr(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    digits = s.substr(1);
  }
  if (digits.empty()) return false;
  uint64_t acc = 0;
  for (char c : digits) {
    int d = HexValue(c);
    if (d < 0 || d >= base) return false;
    if (acc > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - d) / base) return false;
    acc = acc * base + d;
  }
  *value = static_cast<int64_t>(acc);
  return true;
}

}  // namespace

std::string GoQuote(std::string_view s) { return QuoteWith(s, std::string_view::npos); }

std::string GoQuoteTruncated(std::string_view s, size_t max_runes) {
  return QuoteWith(s, max_runes);
}

std::string GoQuoteRune(uint32_t rune) {
  std::string out = "'";
  if (!core::ValidRune(rune)) rune = kRuneError;
  AppendEscapedRune(rune, '\'', false, 0, &out);
  out.push_back('\'');
  return out;
}

std::string GoRuneDescription(uint32_t rune) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", rune);
  std::string out = buf;
  if (IsPrint(rune)) {
    out += " '";
    AppendRune(rune, &out);
    out += "'";
  }
  return out;
}

core::Result<std::string> Unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != s.back()) return kInvalidSyntax;
  const char quote = s.front();
  s = s.substr(1, s.size() - 2);
  if (quote == '`') {
    if (s.find('`') != std::string_view::npos) return kInvalidSyntax;
    return std::string(s);
  }
  if (quote != '"' && quote != '\'') return kInvalidSyntax;
  if (s.find('\n') != std::string_view::npos) return kInvalidSyntax;
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == quote) return kInvalidSyntax;
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (++i >= s.size()) return kInvalidSyntax;
    const char e = s[i++];
    switch (e) {
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\'':
      case '"':
        if (e != quote) return kInvalidSyntax;
        out.push_back(e);
        break;
      case 'x':
      case 'u':
      case 'U': {
        const int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + n > s.size()) return kInvalidSyntax;
        uint32_t v = 0;
        for (int k = 0; k < n; ++k) {
          int d = HexValue(s[i + k]);
          if (d < 0) return kInvalidSyntax;
          v = v * 16 + d;
        }
        i += n;
        if (e == 'x') {
          out.push_back(static_cast<char>(v));
        } else {
          if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return kInvalidSyntax;
          AppendRune(v, &out);
        }
        break;
      }
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        if (i + 2 > s.size()) return kInvalidSyntax;
        uint32_t v = e - '0';
        for (int k = 0; k < 2; ++k) {
          const char d = s[i + k];
          if (d < '0' || d > '7') return kInvalidSyntax;
          v = v * 8 + (d - '0');
        }
        i += 2;
        if (v > 255) return kInvalidSyntax;
        out.push_back(static_cast<char>(v));
        break;
      }
      default:
        return kInvalidSyntax;
    }
  }
  return out;
}

std::string FormatGoFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, sci.ptr);
  const size_t e = s.find('e');
  const int exp = std::atoi(s.c_str() + e + 1);
  if (v != 0 && (exp < -4 || exp >= 6)) return s;
  auto fixed = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return std::string(buf, fixed.ptr);
}

core::Result<double> ParseGoNumber(std::string_view s) {
  int64_t i = 0;
  if (ParseGoInt(s, &i)) return static_cast<double>(i);
  const std::string text(s);
  auto fail = [&](const char* why) {
    return core::Status::Error("strconv.ParseFloat: parsing " + GoQuote(s) + ": " + why);
  };
  // Go rejects hexadecimal mantissas without a 'p' exponent; strtod would accept them.
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return fail("invalid syntax");
  }
  if (text.empty() || text[0] == ' ' || text[0] == '+' || text[0] == '-') {
    return fail("invalid syntax");
  }
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return fail("invalid syntax");
  if (errno == ERANGE && std::isinf(v)) return fail("value out of range");
  return v;
}

}  // namespace smoke::promql
