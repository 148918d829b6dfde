#include "exporter/ruler/go_time.h"

#include <cstdlib>

namespace smoke::ruler::go {

const char* const kMonthNames[12] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};
const char* const kWeekdayNames[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                      "Thursday", "Friday", "Saturday"};

namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Appends x in decimal, zero-padded to `width` digits (Go's appendInt).
void AppendInt(std::string* out, int64_t x, int width) {
  uint64_t u = static_cast<uint64_t>(x);
  if (x < 0) {
    out->push_back('-');
    u = 0 - u;
  }
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + u % 10));
    u /= 10;
  } while (u > 0);
  for (int w = static_cast<int>(digits.size()); w < width; ++w) out->push_back('0');
  out->append(digits);
}

bool StartsWithLowerCase(std::string_view s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }

bool IsDigitAt(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

enum Std {
  kNone,
  kLongMonth,
  kMonth,
  kNumMonth,
  kZeroMonth,
  kLongWeekDay,
  kWeekDay,
  kDay,
  kUnderDay,
  kZeroDay,
  kUnderYearDay,
  kZeroYearDay,
  kHour,
  kHour12,
  kZeroHour12,
  kMinute,
  kZeroMinute,
  kSecond,
  kZeroSecond,
  kLongYear,
  kYear,
  kPM,
  kpm,
  kTZ,
  kISO8601TZ,
  kISO8601SecondsTZ,
  kISO8601ShortTZ,
  kISO8601ColonTZ,
  kISO8601ColonSecondsTZ,
  kNumTZ,
  kNumSecondsTz,
  kNumShortTZ,
  kNumColonTZ,
  kNumColonSecondsTZ,
  kFracSecond0,
  kFracSecond9,
};

struct Chunk {
  std::string_view prefix;
  Std std = kNone;
  std::string_view suffix;
  int frac_digits = 0;
  char frac_sep = '.';
};

// Go's nextStdChunk: the literal text before the first layout element, the element, and the rest.
Chunk NextChunk(std::string_view layout) {
  auto at = [&](size_t i, std::string_view word) { return layout.substr(i, word.size()) == word; };
  for (size_t i = 0; i < layout.size(); ++i) {
    auto make = [&](size_t len, Std std) {
      return Chunk{layout.substr(0, i), std, layout.substr(i + len)};
    };
    switch (layout[i]) {
      case 'J':
        if (at(i, "Jan")) {
          if (at(i, "January")) return make(7, kLongMonth);
          if (!StartsWithLowerCase(layout.substr(i + 3))) return make(3, kMonth);
        }
        break;
      case 'M':
        if (at(i, "Mon")) {
          if (at(i, "Monday")) return make(6, kLongWeekDay);
          if (!StartsWithLowerCase(layout.substr(i + 3))) return make(3, kWeekDay);
        }
        if (at(i, "MST")) return make(3, kTZ);
        break;
      case '0':
        if (i + 1 < layout.size() && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
          static const Std k0x[] = {kZeroMonth,  kZeroDay,    kZeroHour12,
                                    kZeroMinute, kZeroSecond, kYear};
          return make(2, k0x[layout[i + 1] - '1']);
        }
        if (at(i, "002")) return make(3, kZeroYearDay);
        break;
      case '1':
        if (at(i, "15")) return make(2, kHour);
        return make(1, kNumMonth);
      case '2':
        if (at(i, "2006")) return make(4, kLongYear);
        return make(1, kDay);
      case '_':
        if (at(i, "_2")) {
          if (at(i + 1, "2006"))
            return Chunk{layout.substr(0, i + 1), kLongYear, layout.substr(i + 5)};
          return make(2, kUnderDay);
        }
        if (at(i, "__2")) return make(3, kUnderYearDay);
        break;
      case '3':
        return make(1, kHour12);
      case '4':
        return make(1, kMinute);
      case '5':
        return make(1, kSecond);
      case 'P':
        if (at(i, "PM")) return make(2, kPM);
        break;
      case 'p':
        if (at(i, "pm")) return make(2, kpm);
        break;
      case '-':
        if (at(i, "-070000")) return make(7, kNumSecondsTz);
        if (at(i, "-07:00:00")) return make(9, kNumColonSecondsTZ);
        if (at(i, "-0700")) return make(5, kNumTZ);
        if (at(i, "-07:00")) return make(6, kNumColonTZ);
        if (at(i, "-07")) return make(3, kNumShortTZ);
        break;
      case 'Z':
        if (at(i, "Z070000")) return make(7, kISO8601SecondsTZ);
        if (at(i, "Z07:00:00")) return make(9, kISO8601ColonSecondsTZ);
        if (at(i, "Z0700")) return make(5, kISO8601TZ);
        if (at(i, "Z07:00")) return make(6, kISO8601ColonTZ);
        if (at(i, "Z07")) return make(3, kISO8601ShortTZ);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
          char ch = layout[i + 1];
          size_t j = i + 1;
          while (j < layout.size() && layout[j] == ch) ++j;
          if (!IsDigitAt(layout, j)) {
            Chunk c{layout.substr(0, i), ch == '9' ? kFracSecond9 : kFracSecond0, layout.substr(j)};
            c.frac_digits = static_cast<int>(j - (i + 1));
            c.frac_sep = layout[i];
            return c;
          }
        }
        break;
      default:
        break;
    }
  }
  return Chunk{layout, kNone, {}};
}

}  // namespace

Civil ToCivil(Time t) {
  int64_t days = FloorDiv(t.sec, 86400);
  int64_t secs = t.sec - days * 86400;
  Civil c{};
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  c.weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
  // Howard Hinnant's civil_from_days.
  int64_t z = days + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = c.month <= 2 ? y + 1 : y;
  static const int kCumDays[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
  c.yday = kCumDays[c.month - 1] + c.day + ((leap && c.month > 2) ? 1 : 0);
  return c;
}

std::string FormatTime(Time t, std::string_view layout) {
  Civil c = ToCivil(t);
  std::string out;
  while (!layout.empty()) {
    Chunk chunk = NextChunk(layout);
    out.append(chunk.prefix);
    if (chunk.std == kNone) break;
    layout = chunk.suffix;
    switch (chunk.std) {
      case kYear:
        AppendInt(&out, std::llabs(c.year) % 100, 2);
        break;
      case kLongYear:
        AppendInt(&out, c.year, 4);
        break;
      case kMonth:
        out.append(std::string_view(kMonthNames[c.month - 1]).substr(0, 3));
        break;
      case kLongMonth:
        out.append(kMonthNames[c.month - 1]);
        break;
      case kNumMonth:
        AppendInt(&out, c.month, 0);
        break;
      case kZeroMonth:
        AppendInt(&out, c.month, 2);
        break;
      case kWeekDay:
        out.append(std::string_view(kWeekdayNames[c.weekday]).substr(0, 3));
        break;
      case kLongWeekDay:
        out.append(kWeekdayNames[c.weekday]);
        break;
      case kDay:
        AppendInt(&out, c.day, 0);
        break;
      case kUnderDay:
        if (c.day < 10) out.push_back(' ');
        AppendInt(&out, c.day, 0);
        break;
      case kZeroDay:
        AppendInt(&out, c.day, 2);
        break;
      case kUnderYearDay:
        if (c.yday < 100) out.append(c.yday < 10 ? "  " : " ");
        AppendInt(&out, c.yday, 0);
        break;
      case kZeroYearDay:
        AppendInt(&out, c.yday, 3);
        break;
      case kHour:
        AppendInt(&out, c.hour, 2);
        break;
      case kHour12:
      case kZeroHour12: {
        int hr = c.hour % 12;
        if (hr == 0) hr = 12;
        AppendInt(&out, hr, chunk.std == kHour12 ? 0 : 2);
        break;
      }
      case kMinute:
        AppendInt(&out, c.minute, 0);
        break;
      case kZeroMinute:
        AppendInt(&out, c.minute, 2);
        break;
      case kSecond:
        AppendInt(&out, c.second, 0);
        break;
      case kZeroSecond:
        AppendInt(&out, c.second, 2);
        break;
      case kPM:
        out.append(c.hour >= 12 ? "PM" : "AM");
        break;
      case kpm:
        out.append(c.hour >= 12 ? "pm" : "am");
        break;
      case kISO8601TZ:
      case kISO8601ColonTZ:
      case kISO8601SecondsTZ:
      case kISO8601ShortTZ:
      case kISO8601ColonSecondsTZ:
        out.push_back('Z');  // the offset is always 0 (UTC)
        break;
      case kNumTZ:
        out.append("+0000");
        break;
      case kNumColonTZ:
        out.append("+00:00");
        break;
      case kNumSecondsTz:
        out.append("+000000");
        break;
      case kNumShortTZ:
        out.append("+00");
        break;
      case kNumColonSecondsTZ:
        out.append("+00:00:00");
        break;
      case kTZ:
        out.append("UTC");
        break;
      case kFracSecond0:
      case kFracSecond9: {
        std::string digits(9, '0');
        uint32_t u = static_cast<uint32_t>(t.nsec);
        for (int i = 8; i >= 0; --i) {
          digits[i] = static_cast<char>('0' + u % 10);
          u /= 10;
        }
        int n = chunk.frac_digits > 9 ? 9 : chunk.frac_digits;
        if (chunk.std == kFracSecond9) {
          while (n > 0 && digits[n - 1] == '0') --n;
          if (n == 0) break;
        }
        out.push_back(chunk.frac_sep);
        out.append(digits, 0, n);
        break;
      }
      case kNone:
        break;
    }
  }
  return out;
}

std::string TimeString(Time t) { return FormatTime(t, "2006-01-02 15:04:05.999999999 -0700 MST"); }

std::string DurationString(int64_t nanos) {
  uint64_t u = static_cast<uint64_t>(nanos);
  bool neg = nanos < 0;
  if (neg) u = 0 - u;
  std::string out;  // built in reverse
  auto frac = [&](int prec) {
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      int digit = static_cast<int>(u % 10);
      print = print || digit != 0;
      if (print) out.push_back(static_cast<char>('0' + digit));
      u /= 10;
    }
    if (print) out.push_back('.');
  };
  auto integer = [&](uint64_t v) {
    do {
      out.push_back(static_cast<char>('0' + v % 10));
      v /= 10;
    } while (v > 0);
  };
  if (u < 1000000000ULL) {
    if (u == 0) return "0s";
    out.push_back('s');
    int prec;
    if (u < 1000ULL) {
      prec = 0;
      out.push_back('n');
    } else if (u < 1000000ULL) {
      prec = 3;
      out.append("\xb5\xc2");  // "µ" reversed
    } else {
      prec = 6;
      out.push_back('m');
    }
    frac(prec);
    integer(u);
  } else {
    out.push_back('s');
    frac(9);
    integer(u % 60);
    u /= 60;
    if (u > 0) {
      out.push_back('m');
      integer(u % 60);
      u /= 60;
      if (u > 0) {
        out.push_back('h');
        integer(u);
      }
    }
  }
  if (neg) out.push_back('-');
  return std::string(out.rbegin(), out.rend());
}

}  // namespace smoke::ruler::go
