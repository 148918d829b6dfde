#pragma once
// The few places where Go's standard library computes or prints a number differently from C++'s,
// reproduced so that results and messages match Prometheus bit for bit: math.Pow (exponentiation
// by squaring, not libm's pow), float-to-int64 conversion on amd64, strconv.FormatFloat(v, 'f',
// -1, 64), fmt's %f, and time's calendar breakdown of Unix seconds (including its wraparound for
// out-of-range values).
// Thread-safety: pure functions.

#include <cstdint>
#include <string>

namespace smoke::promql {

// Go's math.Pow.
double GoPow(double x, double y);

// int64(f) as Go compiles it on amd64: truncation toward zero; NaN and out-of-range values give
// math.MinInt64.
int64_t GoFloatToInt64(double f);

// strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent; "NaN",
// "+Inf", "-Inf".
std::string FormatGoFloatFixed(double v);

// fmt.Sprintf("%f", v): six decimals; "NaN", "+Inf", "-Inf".
std::string FormatGoPercentF(double v);

// time.Unix(unix_seconds, 0).UTC() broken down as Go's time package does.
struct GoCivilTime {
  int64_t year;
  int month;     // 1..12
  int day;       // 1..31
  int year_day;  // 1..366
  int weekday;   // 0 = Sunday
  int hour;
  int minute;
  int days_in_month;
};
GoCivilTime GoUnixToCivil(int64_t unix_seconds);

}  // namespace smoke::promql
