#include "exporter/server/query_params.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "exporter/promql/duration.h"
#include "exporter/promql/quote.h"

namespace smoke::server {
namespace {

// What Prometheus prints for its minTime/maxTime (time.RFC3339Nano); Go's parser cannot read
// years beyond four digits, so Prometheus special-cases them and so do we (client_golang sends
// them).
constexpr std::string_view kMinTimeFormatted = "-292273086-05-16T16:47:06Z";
constexpr std::string_view kMaxTimeFormatted = "292277026596-12-04T15:30:07.999999999Z";

bool IsFormContentType(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/x-www-form-urlencoded";
}

// strconv.ParseFloat(s, 64) for decimal input: an optional sign, digits, '.', exponent, and the
// words inf/infinity/nan; nothing around it.
std::optional<double> ParseGoFloat(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view body = s;
  bool negative = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty() || body[0] == '+' || body[0] == '-') return std::nullopt;
  double v = 0;
  auto [ptr, ec] =
      std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
  if (ec != std::errc() || ptr != body.data() + body.size()) return std::nullopt;
  return negative ? -v : v;
}

bool ReadDigits(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// time.Parse(time.RFC3339Nano, s): "2006-01-02T15:04:05[.999999999](Z|+07:00)", fields range
// checked, then truncated to the millisecond as timestamp.FromTime does.
std::optional<int64_t> ParseRfc3339Ms(std::string_view s) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(s, &pos, 4, &year) || !Expect(s, &pos, '-') || !ReadDigits(s, &pos, 2, &month) ||
      !Expect(s, &pos, '-') || !ReadDigits(s, &pos, 2, &day) || !Expect(s, &pos, 'T') ||
      !ReadDigits(s, &pos, 2, &hour) || !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &minute) ||
      !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  int64_t millis = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) && digits < 9) {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  int64_t offset_seconds = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!ReadDigits(s, &pos, 2, &oh) || !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &om) ||
        oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * 1000 + millis;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view encoded) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= encoded.size()) {
    size_t end = encoded.find('&', start);
    if (end == std::string_view::npos) end = encoded.size();
    const std::string_view part = encoded.substr(start, end - start);
    if (!part.empty()) {
      const size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(UrlDecode(std::string(part)), "");
      } else {
        out.emplace_back(UrlDecode(std::string(part.substr(0, eq))),
                         UrlDecode(std::string(part.substr(eq + 1))));
      }
    }
    start = end + 1;
  }
  return out;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kHexUpper[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 0xF]);
    }
  }
  return out;
}

QueryForm::QueryForm(const HttpRequest& request) {
  if ((request.method == "POST" || request.method == "PUT" || request.method == "PATCH") &&
      IsFormContentType(request.Header("content-type"))) {
    values_ = ParseUrlEncoded(request.body);
  }
  for (auto& kv : ParseUrlEncoded(request.query)) values_.push_back(std::move(kv));
}

std::string QueryForm::Value(std::string_view name) const {
  for (const auto& [k, v] : values_) {
    if (k == name) return v;
  }
  return "";
}

std::vector<std::string> QueryForm::Values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_) {
    if (k == name) out.push_back(v);
  }
  return out;
}

core::Result<int64_t> ParseApiTime(std::string_view s) {
  if (std::optional<double> t = ParseGoFloat(s)) {
    // Go would wrap around for these; a clear error is kinder.
    if (std::isfinite(*t) && *t >= static_cast<double>(kApiMinTimeMs / 1000) &&
        *t <= static_cast<double>(kApiMaxTimeMs / 1000)) {
      // The same float operations as Prometheus's parseTime, so that the millisecond agrees.
      double whole = 0;
      double fraction = std::modf(*t, &whole);
      fraction = std::round(fraction * 1000) / 1000;
      const int64_t seconds = static_cast<int64_t>(whole);
      const int64_t nanos = static_cast<int64_t>(fraction * 1e9);
      const int64_t floor_ms = nanos >= 0 ? nanos / 1'000'000 : -((-nanos + 999'999) / 1'000'000);
      return seconds * 1000 + floor_ms;
    }
  } else if (std::optional<int64_t> ms = ParseRfc3339Ms(s)) {
    return *ms;
  } else if (s == kMinTimeFormatted) {
    return kApiMinTimeMs;
  } else if (s == kMaxTimeFormatted) {
    return kApiMaxTimeMs;
  }
  return core::Status::Error("cannot parse " + promql::GoQuote(s) + " to a valid timestamp");
}

core::Result<int64_t> ParseApiTimeParam(std::string_view name, std::string_view value,
                                        int64_t default_ms) {
  if (value.empty()) return default_ms;
  core::Result<int64_t> t = ParseApiTime(value);
  if (!t.ok()) {
    return core::Status::Error("Invalid time value for '" + std::string(name) +
                               "': " + t.status().message());
  }
  return t;
}

core::Result<core::Duration> ParseApiDuration(std::string_view s) {
  if (std::optional<double> seconds = ParseGoFloat(s)) {
    const double nanos = *seconds * 1e9;
    // NaN fails both comparisons in Go too and becomes a (meaningless) duration there; reject it.
    // 2^63 itself does not fit either (Go's check lets it through and wraps).
    if (!(nanos < static_cast<double>(std::numeric_limits<int64_t>::max()) &&
          nanos >= static_cast<double>(std::numeric_limits<int64_t>::min()))) {
      return core::Status::Error("cannot parse " + promql::GoQuote(s) +
                                 " to a valid duration. It overflows int64");
    }
    return core::Duration(static_cast<int64_t>(nanos));
  }
  if (core::Result<core::Duration> d = promql::ParseModelDuration(s); d.ok()) return d;
  return core::Status::Error("cannot parse " + promql::GoQuote(s) + " to a valid duration");
}

}  // namespace smoke::server
