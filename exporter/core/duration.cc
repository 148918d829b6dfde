#include "exporter/core/duration.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace smoke::core {
namespace {

struct Unit {
  std::string_view name;
  int64_t nanos;
};

constexpr int64_t kMs = 1'000'000;
constexpr std::array<Unit, 8> kUnits = {{
    {"y", 365LL * 24 * 3600 * 1000 * kMs},
    {"w", 7LL * 24 * 3600 * 1000 * kMs},
    {"d", 24LL * 3600 * 1000 * kMs},
    {"h", 3600LL * 1000 * kMs},
    {"m", 60LL * 1000 * kMs},
    {"s", 1000 * kMs},
    {"ms", kMs},
    {"us", 1000},
}};

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  auto fail = [&] {
    return Status::Error("not a valid duration string: \"" + std::string(text) +
                         "\" (expected e.g. 500ms, 15s, 1m30s, 1h)");
  };
  if (text.empty()) return fail();
  if (text == "0") return Duration(0);
  int64_t total = 0;
  size_t last_unit = 0;  // index into kUnits + 1 of the last unit seen, to enforce ordering
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) return fail();
    const std::string digits(text.substr(start, i - start));
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    size_t index = 0;
    while (index < kUnits.size() && kUnits[index].name != unit) ++index;
    if (index == kUnits.size() || index + 1 <= last_unit) return fail();
    last_unit = index + 1;
    if (digits.size() > 12) return fail();
    int64_t value = std::stoll(digits);
    if (value > INT64_MAX / kUnits[index].nanos) return fail();
    total += value * kUnits[index].nanos;
  }
  return Duration(total);
}

std::string FormatDuration(Duration d) {
  int64_t n = d.count();
  if (n == 0) return "0s";
  std::string out;
  if (n < 0) {
    out = "-";
    n = -n;
  }
  if (n < 1000 * kMs && n % kMs != 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%gms", static_cast<double>(n) / kMs);
    return out + buf;
  }
  for (const Unit& u : kUnits) {
    if (u.name == "us") break;
    if (n >= u.nanos) {
      out += std::to_string(n / u.nanos) + std::string(u.name);
      n %= u.nanos;
    }
  }
  return out;
}

}  // namespace smoke::core
