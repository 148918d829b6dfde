#pragma once
// Go's time formatting for the values templates print: time.Time.String() and Format(layout) for
// UTC instants (what toTime/humanizeTimestamp produce), and time.Duration.String().
// Thread-safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/ruler/go_value.h"

namespace smoke::ruler::go {

// time.Time.Format with Go's reference-time layout ("2006-01-02 15:04:05.999999999 -0700 MST").
std::string FormatTime(Time t, std::string_view layout);
// time.Time.String(): "2006-01-02 15:04:05.999999999 +0000 UTC".
std::string TimeString(Time t);
// time.Duration.String(): "1h2m3.5s", "1.5ms", "0s".
std::string DurationString(int64_t nanos);

// The calendar fields of a UTC instant.
struct Civil {
  int64_t year;
  int month;    // 1..12
  int day;      // 1..31
  int yday;     // 1..366
  int weekday;  // 0 = Sunday
  int hour, minute, second;
};
Civil ToCivil(Time t);

extern const char* const kMonthNames[12];   // "January", ...
extern const char* const kWeekdayNames[7];  // "Sunday", ...

}  // namespace smoke::ruler::go
