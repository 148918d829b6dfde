#pragma once
// The number formatting of Prometheus's humanize* template functions (template/template.go in
// Prometheus 2.42), byte for byte: SI prefixes with 4 significant digits, binary prefixes,
// durations as "1d 2h 3m 4s", percentages, and UTC timestamps as Go prints a time.Time.
// Thread-safety: pure functions.

#include <string>

#include "exporter/core/status.h"
#include "exporter/ruler/go_value.h"

namespace smoke::ruler {

std::string Humanize(double v);            // 1234 -> "1.234k", 0.001 -> "1m"
std::string Humanize1024(double v);        // 1024 -> "1ki"
std::string HumanizeDuration(double v);    // 90061 -> "1d 1h 1m 1s", 0.0015 -> "1.5ms"
std::string HumanizePercentage(double v);  // 0.1234 -> "12.34%"
// 0 -> "1970-01-01 00:00:00 +0000 UTC"; NaN/Inf print as numbers; an error when v seconds do not
// fit in int64 nanoseconds.
core::Result<std::string> HumanizeTimestamp(double v);

// toTime's conversion (Prometheus's floatToTime): Unix seconds to a UTC instant with millisecond
// precision. Errors: "value is NaN or Inf" and the int64 overflow message.
core::Result<go::Time> FloatToTime(double v);

// Go's int64(f) on amd64: truncation, with 0x8000000000000000 for NaN and out-of-range values.
int64_t GoInt64(double f);

}  // namespace smoke::ruler
