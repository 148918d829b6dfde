#include "exporter/promql/duration.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <limits>

#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

struct Unit {
  std::string_view name;
  int64_t millis;
  bool only_exact;  // printed only if it divides the remainder exactly
};

constexpr std::array<Unit, 7> kUnits = {{
    {"y", 1000LL * 60 * 60 * 24 * 365, true},
    {"w", 1000LL * 60 * 60 * 24 * 7, true},
    {"d", 1000LL * 60 * 60 * 24, false},
    {"h", 1000LL * 60 * 60, false},
    {"m", 1000LL * 60, false},
    {"s", 1000, false},
    {"ms", 1, false},
}};

constexpr int64_t kNanosPerMilli = 1'000'000;

}  // namespace

core::Result<core::Duration> ParseModelDuration(std::string_view text) {
  if (text == "0") return core::Duration(0);
  if (text.empty()) return core::Status::Error("empty duration string");
  const core::Status invalid = core::Status::Error("not a valid duration string: " + GoQuote(text));
  size_t i = 0;
  size_t next_unit = 0;
  int64_t total_nanos = 0;
  bool overflow = false;
  while (i < text.size()) {
    const size_t digits_start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == digits_start) return invalid;
    const std::string_view digits = text.substr(digits_start, i - digits_start);
    // The unit is "ms" or a single letter; "m" followed by "s" is only "ms" if nothing else fits.
    size_t unit_index = kUnits.size();
    for (size_t u = next_unit; u < kUnits.size(); ++u) {
      const std::string_view name = kUnits[u].name;
      if (text.substr(i, name.size()) != name) continue;
      // "m" must not swallow the "m" of "ms".
      if (name == "m" && text.substr(i, 2) == "ms") continue;
      unit_index = u;
      break;
    }
    if (unit_index == kUnits.size()) return invalid;
    i += kUnits[unit_index].name.size();
    next_unit = unit_index + 1;
    const int64_t mult = kUnits[unit_index].millis;
    // Go's strconv.Atoi saturates nothing: a value with too many digits overflows.
    int64_t n = 0;
    for (char c : digits) {
      if (n > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) {
        overflow = true;
        n = std::numeric_limits<int64_t>::max();
        break;
      }
      n = n * 10 + (c - '0');
    }
    const int64_t max_n = std::numeric_limits<int64_t>::max() / mult / kNanosPerMilli;
    if (overflow || n > max_n) {
      overflow = true;
      continue;
    }
    const int64_t add = n * mult * kNanosPerMilli;
    if (total_nanos > std::numeric_limits<int64_t>::max() - add) {
      overflow = true;
      continue;
    }
    total_nanos += add;
  }
  if (overflow) return core::Status::Error("duration out of range");
  return core::Duration(total_nanos);
}

std::string FormatModelDuration(core::Duration d) {
  int64_t ms = d.count() / kNanosPerMilli;
  if (ms == 0) return "0s";
  std::string out;
  for (const Unit& u : kUnits) {
    if (u.only_exact && ms % u.millis != 0) continue;
    const int64_t v = ms / u.millis;
    if (v > 0) {
      out += std::to_string(v);
      out += u.name;
      ms -= v * u.millis;
    }
  }
  return out;
}

}  // namespace smoke::promql
