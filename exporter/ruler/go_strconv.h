#pragma once
// The parts of Go's strconv and unicode/utf8 that alert templates depend on, with Go's exact
// output: float formatting ('e', 'f', 'g' with shortest or fixed precision, 'x', 'b'), quoting
// (%q, error messages), unquoting of template string literals, and number parsing with Go's
// syntax and error texts ("strconv.ParseFloat: parsing \"x\": invalid syntax").
// Thread-safety: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/core/utf8.h"

namespace smoke::ruler::go {

using core::AppendRune;
using core::DecodeRune;
using core::kRuneError;
int RuneCount(std::string_view s);
bool ValidUTF8(std::string_view s);

// unicode.IsPrint (approximated outside Latin-1 by excluding controls, spaces other than ' ',
// format characters, surrogates, private use and non-characters).
bool IsPrint(char32_t r);

// strconv.FormatFloat(v, fmt, prec, 64) for fmt in "eEfgGxXb"; prec < 0 means shortest.
std::string FormatFloat(double v, char fmt, int prec);

// strconv.Quote / QuoteToASCII / QuoteRune / QuoteRuneToASCII, and CanBackquote.
std::string Quote(std::string_view s, bool ascii_only = false);
std::string QuoteRune(char32_t r, bool ascii_only = false);
bool CanBackquote(std::string_view s);

// strconv.Unquote; nullopt on a syntax error.
std::optional<std::string> Unquote(std::string_view s);
// strconv.UnquoteChar: decodes one (possibly escaped) character of a literal quoted with `quote`.
struct UnquotedChar {
  char32_t value;
  bool multibyte;
  std::string_view tail;
};
std::optional<UnquotedChar> UnquoteChar(std::string_view s, char quote);

// strconv.ParseFloat(s, 64). On failure returns the Go error text; for "value out of range" the
// value (±Inf) is also set.
struct ParseFloatResult {
  double value = 0;
  std::string error;  // empty on success
};
ParseFloatResult ParseFloat(std::string_view s);

// strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64): nullopt on any error.
std::optional<int64_t> ParseInt(std::string_view s);
std::optional<uint64_t> ParseUint(std::string_view s);

}  // namespace smoke::ruler::go
