#include "exporter/ruler/humanize.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "exporter/ruler/go_format.h"
#include "exporter/ruler/go_strconv.h"
#include "exporter/ruler/go_time.h"

namespace smoke::ruler {

namespace {

constexpr char kNaNOrInf[] = "value is NaN or Inf";

// fmt.Sprintf("%.4g", v).
std::string G4(double v) { return go::FormatFloat(v, 'g', 4); }

std::string ScaleDown(double v, const char* const* prefixes, size_t n, const char* unit) {
  std::string prefix;
  for (size_t i = 0; i < n; ++i) {
    if (std::fabs(v) >= 1) break;
    prefix = prefixes[i];
    v *= 1000;
  }
  return G4(v) + prefix + unit;
}

const char* const kSmallPrefixes[] = {"m", "u", "n", "p", "f", "a", "z", "y"};

}  // namespace

int64_t GoInt64(double f) {
  if (std::isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(f);
}

std::string Humanize(double v) {
  if (v == 0 || std::isnan(v) || std::isinf(v)) return G4(v);
  if (std::fabs(v) >= 1) {
    static const char* const kPrefixes[] = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
    std::string prefix;
    for (const char* p : kPrefixes) {
      if (std::fabs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
    return G4(v) + prefix;
  }
  return ScaleDown(v, kSmallPrefixes, 8, "");
}

std::string Humanize1024(double v) {
  if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return G4(v);
  static const char* const kPrefixes[] = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  std::string prefix;
  for (const char* p : kPrefixes) {
    if (std::fabs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return G4(v) + prefix;
}

std::string HumanizeDuration(double v) {
  if (std::isnan(v) || std::isinf(v)) return G4(v);
  if (v == 0) return G4(v) + "s";
  if (std::fabs(v) >= 1) {
    std::string sign;
    if (v < 0) {
      sign = "-";
      v = -v;
    }
    int64_t duration = GoInt64(v);
    int64_t seconds = duration % 60;
    int64_t minutes = (duration / 60) % 60;
    int64_t hours = (duration / 60 / 60) % 24;
    int64_t days = duration / 60 / 60 / 24;
    auto s = [](int64_t x) { return std::to_string(x); };
    if (days != 0) {
      return sign + s(days) + "d " + s(hours) + "h " + s(minutes) + "m " + s(seconds) + "s";
    }
    if (hours != 0) return sign + s(hours) + "h " + s(minutes) + "m " + s(seconds) + "s";
    if (minutes != 0) return sign + s(minutes) + "m " + s(seconds) + "s";
    return sign + G4(v) + "s";
  }
  return ScaleDown(v, kSmallPrefixes, 8, "s");
}

std::string HumanizePercentage(double v) { return G4(v * 100) + "%"; }

core::Result<go::Time> FloatToTime(double v) {
  if (std::isnan(v) || std::isinf(v)) return core::Status::Error(kNaNOrInf);
  double timestamp = v * 1e9;
  if (timestamp > 9223372036854775807.0 || timestamp < -9223372036854775808.0) {
    return core::Status::Error(go::FormatValue(go::Value::Float(v)) +
                               " cannot be represented as a nanoseconds timestamp since it "
                               "overflows int64");
  }
  // model.TimeFromUnixNano keeps milliseconds; time.Unix normalises the remainder.
  int64_t ms = GoInt64(timestamp) / 1000000;
  go::Time t{ms / 1000, static_cast<int32_t>((ms % 1000) * 1000000)};
  if (t.nsec < 0) {
    t.nsec += 1000000000;
    t.sec--;
  }
  return t;
}

core::Result<std::string> HumanizeTimestamp(double v) {
  if (std::isnan(v) || std::isinf(v)) return G4(v);
  core::Result<go::Time> t = FloatToTime(v);
  if (!t.ok()) return t.status();
  return go::TimeString(*t);
}

}  // namespace smoke::ruler
