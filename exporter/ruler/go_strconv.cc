#include "exporter/ruler/go_strconv.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace smoke::ruler::go {

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A decimal digit string d (no trailing zeros) with the decimal point after dp digits:
// value = 0.d * 10^dp. Zero has no digits and dp 0, as in strconv's decimalSlice.
struct Digits {
  std::string d;
  int dp = 0;
  int nd() const { return static_cast<int>(d.size()); }
};

Digits FromScientific(const char* begin, const char* end) {
  Digits out;
  const char* e = std::find(begin, end, 'e');
  for (const char* p = begin; p < e; ++p) {
    if (*p != '.') out.d.push_back(*p);
  }
  int exp = std::atoi(std::string(e + 1, end).c_str());
  while (!out.d.empty() && out.d.back() == '0') out.d.pop_back();
  out.dp = out.d.empty() ? 0 : exp + 1;
  return out;
}

// Shortest digits that round-trip (Go's ryuFtoaShortest), for a > 0.
Digits ShortestDigits(double a) {
  if (a == 0) return {};
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), a, std::chars_format::scientific);
  return FromScientific(buf, res.ptr);
}

// `n` significant digits, correctly rounded (ties to even on the exact binary value).
Digits FixedDigits(double a, int n) {
  if (a == 0) return {};
  std::string buf(static_cast<size_t>(n) + 32, '\0');
  auto res =
      std::to_chars(buf.data(), buf.data() + buf.size(), a, std::chars_format::scientific, n - 1);
  return FromScientific(buf.data(), res.ptr);
}

void FmtE(std::string* dst, bool neg, const Digits& d, int prec, char fmt) {
  if (neg) dst->push_back('-');
  dst->push_back(d.nd() != 0 ? d.d[0] : '0');
  if (prec > 0) {
    dst->push_back('.');
    int i = 1;
    int m = std::min(d.nd(), prec + 1);
    if (i < m) {
      dst->append(d.d, i, m - i);
      i = m;
    }
    for (; i <= prec; ++i) dst->push_back('0');
  }
  dst->push_back(fmt);
  int exp = d.dp - 1;
  if (d.nd() == 0) exp = 0;
  if (exp < 0) {
    dst->push_back('-');
    exp = -exp;
  } else {
    dst->push_back('+');
  }
  if (exp < 10) {
    dst->push_back('0');
    dst->push_back(static_cast<char>('0' + exp));
  } else {
    dst->append(std::to_string(exp));
  }
}

void FmtF(std::string* dst, bool neg, const Digits& d, int prec) {
  if (neg) dst->push_back('-');
  if (d.dp > 0) {
    int m = std::min(d.nd(), d.dp);
    dst->append(d.d, 0, m);
    for (; m < d.dp; ++m) dst->push_back('0');
  } else {
    dst->push_back('0');
  }
  if (prec > 0) {
    dst->push_back('.');
    for (int i = 0; i < prec; ++i) {
      int j = d.dp + i;
      dst->push_back((0 <= j && j < d.nd()) ? d.d[j] : '0');
    }
  }
}

struct Bits {
  bool neg;
  uint64_t mant;
  int exp;  // unbiased, before subtracting the mantissa width
};

Bits Decompose(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  Bits b{};
  b.neg = (bits >> 63) != 0;
  int exp = static_cast<int>((bits >> 52) & 0x7FF);
  b.mant = bits & ((uint64_t{1} << 52) - 1);
  if (exp == 0) {
    exp++;
  } else {
    b.mant |= uint64_t{1} << 52;
  }
  b.exp = exp - 1023;
  return b;
}

std::string FmtB(double v) {
  Bits b = Decompose(v);
  std::string out = b.neg ? "-" : "";
  out += std::to_string(b.mant);
  out.push_back('p');
  int exp = b.exp - 52;
  if (exp >= 0) out.push_back('+');
  out += std::to_string(exp);
  return out;
}

std::string FmtX(double v, int prec, char fmt) {
  Bits b = Decompose(v);
  uint64_t mant = b.mant;
  int exp = b.exp;
  if (mant == 0) exp = 0;
  mant <<= 60 - 52;
  while (mant != 0 && (mant & (uint64_t{1} << 60)) == 0) {
    mant <<= 1;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    unsigned shift = static_cast<unsigned>(prec * 4);
    uint64_t extra = (mant << shift) & ((uint64_t{1} << 60) - 1);
    mant >>= 60 - shift;
    if ((extra | (mant & 1)) > (uint64_t{1} << 59)) mant++;
    mant <<= 60 - shift;
    if ((mant & (uint64_t{1} << 61)) != 0) {
      mant >>= 1;
      exp++;
    }
  }
  const char* hex = fmt == 'X' ? kUpperHex : kLowerHex;
  std::string out = b.neg ? "-" : "";
  out.push_back('0');
  out.push_back(fmt);
  out.push_back(static_cast<char>('0' + ((mant >> 60) & 1)));
  mant <<= 4;
  if (prec < 0 && mant != 0) {
    out.push_back('.');
    while (mant != 0) {
      out.push_back(hex[(mant >> 60) & 15]);
      mant <<= 4;
    }
  } else if (prec > 0) {
    out.push_back('.');
    for (int i = 0; i < prec; ++i) {
      out.push_back(hex[(mant >> 60) & 15]);
      mant <<= 4;
    }
  }
  out.push_back(fmt == 'X' ? 'P' : 'p');
  if (exp < 0) {
    out.push_back('-');
    exp = -exp;
  } else {
    out.push_back('+');
  }
  std::string e = std::to_string(exp);
  if (e.size() < 2) out.push_back('0');
  out += e;
  return out;
}

int Unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendEscapedRune(std::string* buf, char32_t r, char quote, bool ascii_only) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    buf->push_back('\\');
    buf->push_back(static_cast<char>(r));
    return;
  }
  if (ascii_only) {
    if (r < 0x80 && IsPrint(r)) {
      buf->push_back(static_cast<char>(r));
      return;
    }
  } else if (IsPrint(r)) {
    AppendRune(buf, r);
    return;
  }
  switch (r) {
    case '\a':
      buf->append("\\a");
      return;
    case '\b':
      buf->append("\\b");
      return;
    case '\f':
      buf->append("\\f");
      return;
    case '\n':
      buf->append("\\n");
      return;
    case '\r':
      buf->append("\\r");
      return;
    case '\t':
      buf->append("\\t");
      return;
    case '\v':
      buf->append("\\v");
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7f) {
    buf->append("\\x");
    buf->push_back(kLowerHex[(r >> 4) & 0xF]);
    buf->push_back(kLowerHex[r & 0xF]);
    return;
  }
  if (!core::ValidRune(r)) r = kRuneError;
  if (r < 0x10000) {
    buf->append("\\u");
    for (int s = 12; s >= 0; s -= 4) buf->push_back(kLowerHex[(r >> s) & 0xF]);
  } else {
    buf->append("\\U");
    for (int s = 28; s >= 0; s -= 4) buf->push_back(kLowerHex[(r >> s) & 0xF]);
  }
}

bool UnderscoreOK(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (Lower(s[1]) == 'b' || Lower(s[1]) == 'o' || Lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = Lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && Lower(c) >= 'a' && Lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

size_t CommonPrefixLenIgnoreCase(std::string_view s, std::string_view prefix) {
  size_t n = std::min(s.size(), prefix.size());
  for (size_t i = 0; i < n; ++i) {
    if (Lower(s[i]) != prefix[i]) return i;
  }
  return n;
}

// Go's readFloat syntax check; on success `clean` is the literal without underscores.
bool ScanFloat(std::string_view s, std::string* clean) {
  size_t i = 0;
  bool underscores = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) i++;
  int base = 10;
  char exp_char = 'e';
  if (i + 2 < s.size() && s[i] == '0' && Lower(s[i + 1]) == 'x') {
    base = 16;
    i += 2;
    exp_char = 'p';
  }
  bool sawdot = false, sawdigits = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c == '.') {
      if (sawdot) break;
      sawdot = true;
      continue;
    }
    if ((c >= '0' && c <= '9') || (base == 16 && Lower(c) >= 'a' && Lower(c) <= 'f')) {
      sawdigits = true;
      continue;
    }
    break;
  }
  if (!sawdigits) return false;
  if (i < s.size() && Lower(s[i]) == exp_char) {
    i++;
    if (i >= s.size()) return false;
    if (s[i] == '+' || s[i] == '-') i++;
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); ++i) {
      if (s[i] == '_') underscores = true;
    }
  } else if (base == 16) {
    return false;
  }
  if (i != s.size()) return false;
  if (underscores && !UnderscoreOK(s)) return false;
  clean->clear();
  for (char c : s) {
    if (c != '_') clean->push_back(c);
  }
  return true;
}

}  // namespace

int RuneCount(std::string_view s) {
  int n = 0;
  while (!s.empty()) {
    int w;
    DecodeRune(s, &w);
    s.remove_prefix(w);
    ++n;
  }
  return n;
}

bool ValidUTF8(std::string_view s) {
  while (!s.empty()) {
    int w;
    char32_t r = DecodeRune(s, &w);
    if (r == kRuneError && w == 1) return false;
    s.remove_prefix(w);
  }
  return true;
}

bool IsPrint(char32_t r) {
  if (r < 0x20) return false;
  if (r < 0x7F) return true;
  if (r <= 0xA0) return false;  // DEL, C1 controls, NBSP
  if (r == 0xAD) return false;  // soft hyphen
  if (r < 0x300) return true;
  if (r >= 0x2000 && r <= 0x200F) return false;  // spaces, zero-width and direction marks
  if (r >= 0x2028 && r <= 0x202F) return false;
  if (r >= 0x205F && r <= 0x206F) return false;
  if (r == 0x3000 || r == 0xFEFF) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;  // private use
  if (r >= 0xFFF0 && r <= 0xFFFB) return false;
  if ((r & 0xFFFE) == 0xFFFE) return false;  // non-characters
  if (r >= 0xF0000) return false;            // supplementary private use
  return r <= 0x10FFFF;
}

std::string FormatFloat(double v, char fmt, int prec) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (fmt == 'b') return FmtB(v);
  if (fmt == 'x' || fmt == 'X') return FmtX(v, prec, fmt);
  bool neg = std::signbit(v);
  double a = std::fabs(v);
  bool shortest = prec < 0;
  Digits digs;
  if (shortest) {
    digs = ShortestDigits(a);
    switch (fmt) {
      case 'e':
      case 'E':
        prec = std::max(digs.nd() - 1, 0);
        break;
      case 'f':
        prec = std::max(digs.nd() - digs.dp, 0);
        break;
      default:
        prec = digs.nd();
        break;
    }
  } else if (fmt == 'f') {
    std::string buf(static_cast<size_t>(prec) + 340, '\0');
    auto res =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, prec);
    return std::string(buf.data(), res.ptr);
  } else if (fmt == 'e' || fmt == 'E') {
    digs = FixedDigits(a, prec + 1);
  } else {
    if (prec == 0) prec = 1;
    digs = FixedDigits(a, prec);
  }
  std::string out;
  switch (fmt) {
    case 'e':
    case 'E':
      FmtE(&out, neg, digs, prec, fmt);
      return out;
    case 'f':
      FmtF(&out, neg, digs, prec);
      return out;
    case 'g':
    case 'G': {
      int eprec = prec;
      if (eprec > digs.nd() && digs.nd() >= digs.dp) eprec = digs.nd();
      if (shortest) eprec = 6;
      int exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > digs.nd()) prec = digs.nd();
        FmtE(&out, neg, digs, prec - 1, fmt == 'g' ? 'e' : 'E');
        return out;
      }
      if (prec > digs.dp) prec = digs.nd();
      FmtF(&out, neg, digs, std::max(prec - digs.dp, 0));
      return out;
    }
    default:
      return std::string("%") + fmt;
  }
}

std::string Quote(std::string_view s, bool ascii_only) {
  std::string buf = "\"";
  while (!s.empty()) {
    int width;
    char32_t r = DecodeRune(s, &width);
    if (width == 1 && r == kRuneError) {
      auto b = static_cast<unsigned char>(s[0]);
      buf.append("\\x");
      buf.push_back(kLowerHex[b >> 4]);
      buf.push_back(kLowerHex[b & 0xF]);
    } else {
      AppendEscapedRune(&buf, r, '"', ascii_only);
    }
    s.remove_prefix(width);
  }
  buf.push_back('"');
  return buf;
}

std::string QuoteRune(char32_t r, bool ascii_only) {
  if (!core::ValidRune(r)) r = kRuneError;
  std::string buf = "'";
  AppendEscapedRune(&buf, r, '\'', ascii_only);
  buf.push_back('\'');
  return buf;
}

bool CanBackquote(std::string_view s) {
  while (!s.empty()) {
    int wid;
    char32_t r = DecodeRune(s, &wid);
    s.remove_prefix(wid);
    if (wid > 1) {
      if (r == 0xFEFF) return false;
      continue;
    }
    if (r == kRuneError) return false;
    if ((r < ' ' && r != '\t') || r == '`' || r == 0x7F) return false;
  }
  return true;
}

std::optional<UnquotedChar> UnquoteChar(std::string_view s, char quote) {
  if (s.empty()) return std::nullopt;
  auto c = static_cast<unsigned char>(s[0]);
  if (c == static_cast<unsigned char>(quote) && (quote == '\'' || quote == '"'))
    return std::nullopt;
  if (c >= 0x80) {
    int size;
    char32_t r = DecodeRune(s, &size);
    return UnquotedChar{r, true, s.substr(size)};
  }
  if (c != '\\') return UnquotedChar{c, false, s.substr(1)};
  if (s.size() <= 1) return std::nullopt;
  char e = s[1];
  s.remove_prefix(2);
  char32_t value = 0;
  bool multibyte = false;
  switch (e) {
    case 'a':
      value = '\a';
      break;
    case 'b':
      value = '\b';
      break;
    case 'f':
      value = '\f';
      break;
    case 'n':
      value = '\n';
      break;
    case 'r':
      value = '\r';
      break;
    case 't':
      value = '\t';
      break;
    case 'v':
      value = '\v';
      break;
    case 'x':
    case 'u':
    case 'U': {
      size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < n) return std::nullopt;
      char32_t v = 0;
      for (size_t j = 0; j < n; ++j) {
        int x = Unhex(s[j]);
        if (x < 0) return std::nullopt;
        v = (v << 4) | static_cast<char32_t>(x);
      }
      s.remove_prefix(n);
      if (e != 'x') {
        if (!core::ValidRune(v)) return std::nullopt;
        multibyte = true;
      }
      value = v;
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
      char32_t v = static_cast<char32_t>(e - '0');
      if (s.size() < 2) return std::nullopt;
      for (int j = 0; j < 2; ++j) {
        int x = s[j] - '0';
        if (x < 0 || x > 7) return std::nullopt;
        v = (v << 3) | static_cast<char32_t>(x);
      }
      s.remove_prefix(2);
      if (v > 255) return std::nullopt;
      value = v;
      break;
    }
    case '\\':
      value = '\\';
      break;
    case '\'':
    case '"':
      if (e != quote) return std::nullopt;
      value = static_cast<char32_t>(e);
      break;
    default:
      return std::nullopt;
  }
  return UnquotedChar{value, multibyte, s};
}

std::optional<std::string> Unquote(std::string_view in) {
  if (in.size() < 2) return std::nullopt;
  char quote = in[0];
  size_t end = in.find(quote, 1);
  if (end == std::string_view::npos) return std::nullopt;
  end += 1;  // position after the (presumed) terminating quote
  if (quote == '`') {
    if (end != in.size()) return std::nullopt;
    std::string out;
    for (size_t i = 1; i + 1 < end; ++i) {
      if (in[i] != '\r') out.push_back(in[i]);
    }
    return out;
  }
  if (quote != '"' && quote != '\'') return std::nullopt;
  std::string_view rest = in.substr(1);
  std::string buf;
  while (!rest.empty() && rest[0] != quote) {
    if (rest[0] == '\n') return std::nullopt;
    auto ch = UnquoteChar(rest, quote);
    if (!ch) return std::nullopt;
    rest = ch->tail;
    if (ch->value < 0x80 || !ch->multibyte) {
      buf.push_back(static_cast<char>(ch->value));
    } else {
      AppendRune(&buf, ch->value);
    }
    if (quote == '\'') break;
  }
  if (rest.empty() || rest[0] != quote) return std::nullopt;
  rest.remove_prefix(1);
  if (!rest.empty()) return std::nullopt;
  return buf;
}

ParseFloatResult ParseFloat(std::string_view s) {
  ParseFloatResult result;
  auto syntax_error = [&] {
    result.error = "strconv.ParseFloat: parsing " + Quote(s) + ": invalid syntax";
    result.value = 0;
    return result;
  };
  // Infinity and NaN (Go's special()).
  if (!s.empty()) {
    size_t nsign = 0;
    double sign = 1;
    std::string_view t = s;
    if (t[0] == '+' || t[0] == '-') {
      sign = t[0] == '-' ? -1 : 1;
      nsign = 1;
      t.remove_prefix(1);
    }
    if (!t.empty() && (t[0] == 'i' || t[0] == 'I')) {
      size_t n = CommonPrefixLenIgnoreCase(t, "infinity");
      if (n > 3 && n < 8) n = 3;
      if ((n == 3 || n == 8) && nsign + n == s.size()) {
        result.value = sign * HUGE_VAL;
        return result;
      }
      return syntax_error();
    }
    if (nsign == 0 && (t[0] == 'n' || t[0] == 'N')) {
      if (CommonPrefixLenIgnoreCase(t, "nan") == 3 && s.size() == 3) {
        result.value = std::nan("");
        return result;
      }
      return syntax_error();
    }
  }
  std::string clean;
  if (!ScanFloat(s, &clean)) return syntax_error();
  errno = 0;
  char* endp = nullptr;
  double v = std::strtod(clean.c_str(), &endp);
  result.value = v;
  if (std::isinf(v)) {
    result.error = "strconv.ParseFloat: parsing " + Quote(s) + ": value out of range";
  }
  return result;
}

namespace {

// Go's ParseUint(s, 0, 64) digits part (no sign).
std::optional<uint64_t> ParseUintBase0(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view s0 = s;
  int base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && Lower(s[1]) == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && Lower(s[1]) == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && Lower(s[1]) == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  bool underscores = false;
  uint64_t n = 0;
  for (char c : s) {
    int d;
    if (c == '_') {
      underscores = true;
      continue;
    } else if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (Lower(c) >= 'a' && Lower(c) <= 'z') {
      d = Lower(c) - 'a' + 10;
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    if (n > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      return std::nullopt;  // out of range
    }
    n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  if (underscores && !UnderscoreOK(s0)) return std::nullopt;
  return n;
}

}  // namespace

std::optional<uint64_t> ParseUint(std::string_view s) { return ParseUintBase0(s); }

std::optional<int64_t> ParseInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  auto u = ParseUintBase0(s);
  if (!u) return std::nullopt;
  constexpr uint64_t kCutoff = uint64_t{1} << 63;
  if (!neg && *u >= kCutoff) return std::nullopt;
  if (neg && *u > kCutoff) return std::nullopt;
  return neg ? static_cast<int64_t>(0 - *u) : static_cast<int64_t>(*u);
}

}  // namespace smoke::ruler::go
