#include "exporter/promql/go_math.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace smoke::promql {
namespace {

bool IsOddInt(double x) {
  if (std::fabs(x) >= 9007199254740992.0) return false;  // 2^53: every such float is even
  double xi;
  const double xf = std::modf(x, &xi);
  return xf == 0 && (static_cast<int64_t>(xi) & 1) == 1;
}

}  // namespace

double GoPow(double x, double y) {
  const double inf = std::numeric_limits<double>::infinity();
  if (y == 0 || x == 1) return 1;
  if (y == 1) return x;
  if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) {
    if (y < 0) return std::signbit(x) && IsOddInt(y) ? -inf : inf;
    return std::signbit(x) && IsOddInt(y) ? x : 0;
  }
  if (std::isinf(y)) {
    if (x == -1) return 1;
    if ((std::fabs(x) < 1) == (y > 0)) return 0;
    return inf;
  }
  if (std::isinf(x)) {
    if (x < 0) return GoPow(1 / x, -y);  // Pow(-0, -y)
    return y < 0 ? 0 : inf;
  }
  if (y == 0.5) return std::sqrt(x);
  if (y == -0.5) return 1 / std::sqrt(x);

  double yi;
  double yf = std::modf(std::fabs(y), &yi);
  if (yf != 0 && x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (yi >= 9223372036854775808.0) {
    if (x == -1) return 1;
    if ((std::fabs(x) < 1) == (y > 0)) return 0;
    return inf;
  }
  double a1 = 1.0;
  int64_t ae = 0;
  if (yf != 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = std::exp(yf * std::log(x));
  }
  int xe_int;
  double x1 = std::frexp(x, &xe_int);
  int64_t xe = xe_int;
  for (int64_t i = static_cast<int64_t>(yi); i != 0; i >>= 1) {
    if (xe < -(1 << 12) || (1 << 12) < xe) {
      ae += xe;
      break;
    }
    if ((i & 1) == 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < .5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  if (ae > 1 << 20) ae = 1 << 20;
  if (ae < -(1 << 20)) ae = -(1 << 20);
  return std::ldexp(a1, static_cast<int>(ae));
}

int64_t GoFloatToInt64(double f) {
  if (std::isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(f);
}

std::string FormatGoFloatFixed(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[512];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

std::string FormatGoPercentF(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[512];
  std::snprintf(buf, sizeof buf, "%f", v);
  return buf;
}

GoCivilTime GoUnixToCivil(int64_t unix_seconds) {
  // Go's time package counts from "absolute zero", year -292277022399; these constants and the
  // 400/100/4-year cycle arithmetic are its own, with its unsigned wraparound.
  constexpr uint64_t kUnixToInternal = 62135596800ULL;
  constexpr uint64_t kInternalToAbsolute = 9223371966579724800ULL;
  constexpr int64_t kAbsoluteZeroYear = -292277022399LL;
  constexpr uint64_t kSecondsPerDay = 86400;
  constexpr uint64_t kDaysPer400Years = 365 * 400 + 97;
  constexpr uint64_t kDaysPer100Years = 365 * 100 + 24;
  constexpr uint64_t kDaysPer4Years = 365 * 4 + 1;
  static constexpr int kDaysBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

  const uint64_t abs = static_cast<uint64_t>(unix_seconds) + kUnixToInternal + kInternalToAbsolute;
  GoCivilTime out{};
  out.hour = static_cast<int>((abs % kSecondsPerDay) / 3600);
  out.minute = static_cast<int>((abs % 3600) / 60);
  out.weekday = static_cast<int>(((abs + kSecondsPerDay) % (7 * kSecondsPerDay)) / kSecondsPerDay);

  uint64_t d = abs / kSecondsPerDay;
  uint64_t n = d / kDaysPer400Years;
  uint64_t y = 400 * n;
  d -= kDaysPer400Years * n;
  n = d / kDaysPer100Years;
  n -= n >> 2;
  y += 100 * n;
  d -= kDaysPer100Years * n;
  n = d / kDaysPer4Years;
  y += 4 * n;
  d -= kDaysPer4Years * n;
  n = d / 365;
  n -= n >> 2;
  y += n;
  d -= 365 * n;
  out.year = static_cast<int64_t>(y) + kAbsoluteZeroYear;
  const int yday = static_cast<int>(d);
  out.year_day = yday + 1;

  const bool leap = out.year % 4 == 0 && (out.year % 100 != 0 || out.year % 400 == 0);
  int day = yday;
  if (leap && day == 31 + 29 - 1) {
    out.month = 2;
    out.day = 29;
  } else {
    if (leap && day > 31 + 29 - 1) day--;
    int month = day / 31;
    const int end = kDaysBefore[month + 1];
    int begin;
    if (day >= end) {
      month++;
      begin = end;
    } else {
      begin = kDaysBefore[month];
    }
    out.month = month + 1;
    out.day = day - begin + 1;
  }
  static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  out.days_in_month = kMonthDays[out.month - 1] + (out.month == 2 && leap ? 1 : 0);
  return out;
}

}  // namespace smoke::promql
