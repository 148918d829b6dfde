#pragma once
// Go's string and number spellings, which PromQL inherits: the parser unquotes literals with Go
// escape rules and prints strings with strconv.Quote and numbers with fmt's %v, so error messages
// and printed expressions read exactly as Prometheus's do.
// Thread-safety: pure functions; safe to use from any thread.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/core/status.h"
#include "exporter/core/utf8.h"

namespace smoke::promql {

constexpr uint32_t kRuneError = core::kRuneError;

// Decodes one UTF-8 rune at `pos` (core::DecodeRune). Invalid or truncated sequences yield
// kRuneError with width 1. At the end of `s` the width is 0.
inline uint32_t DecodeRune(std::string_view s, size_t pos, int* width) {
  return core::DecodeRune(s.substr(std::min(pos, s.size())), width);
}
inline void AppendRune(uint32_t rune, std::string* out) { core::AppendRune(out, rune); }

// strconv.Quote: double-quoted, Go escapes for control characters and invalid UTF-8.
std::string GoQuote(std::string_view s);
// fmt's %.Nq: the first `max_runes` runes of `s`, quoted.
std::string GoQuoteTruncated(std::string_view s, size_t max_runes);
// strconv.QuoteRune ('x', '\n', '\u00ad'), as fmt's %q prints a rune.
std::string GoQuoteRune(uint32_t rune);
// fmt's %#U: "U+0063 'c'".
std::string GoRuneDescription(uint32_t rune);

// Unquotes a lexed PromQL string literal ("...", '...' or `...`) with Go escape rules
// (\a \b \f \n \r \t \v \\ \<quote> \NNN \xNN \uNNNN \UNNNNNNNN). The error is Go's
// "invalid syntax".
core::Result<std::string> Unquote(std::string_view quoted);

// fmt.Sprint(float64), i.e. strconv's shortest 'g': round-trip digits, exponent form when the
// decimal exponent is below -4 or at least 6 ("100000", "1e+06", "1e-05"), "+Inf", "-Inf", "NaN".
std::string FormatGoFloat(double v);

// Parses a PromQL NUMBER token as Prometheus does: strconv.ParseInt(s, 0, 64) (so "0x1f" and the
// octal "0755" work), falling back to strconv.ParseFloat (decimals, exponents, Inf, NaN). The error
// is Go's text, e.g. `strconv.ParseFloat: parsing "1e999": value out of range`.
core::Result<double> ParseGoNumber(std::string_view s);

}  // namespace smoke::promql
