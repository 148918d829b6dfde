#include "exporter/clients/cert_time.h"

#include <array>
#include <cctype>
#include <string>

namespace smoke::clients {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's days_from_civil): no
// timegm(), which depends on the process's TZ handling and is not in the C++ standard.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  void SkipSpaces() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  bool Number(int min_digits, int max_digits, int* out) {
    int n = 0, digits = 0;
    while (i_ < s_.size() && digits < max_digits &&
           std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      n = n * 10 + (s_[i_++] - '0');
      ++digits;
    }
    *out = n;
    return digits >= min_digits;
  }
  bool Literal(char c) {
    if (i_ >= s_.size() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool Word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  void SkipFraction() {
    if (Literal('.')) {
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
  }
  bool AtEnd() const { return i_ == s_.size(); }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

bool Valid(int year, int month, int day, int hour, int minute, int second) {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 &&
         minute <= 59 && second <= 60;
}

int64_t ToUnix(int year, int month, int day, int hour, int minute, int second) {
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second;
}

}  // namespace

std::optional<int64_t> ParseCertificateTime(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  // "YYYY-MM-DD HH:MM:SS GMT"
  {
    Scanner s(text);
    if (s.Number(4, 4, &year) && s.Literal('-') && s.Number(2, 2, &month) && s.Literal('-') &&
        s.Number(2, 2, &day) && s.Literal(' ') && s.Number(2, 2, &hour) && s.Literal(':') &&
        s.Number(2, 2, &minute) && s.Literal(':') && s.Number(2, 2, &second)) {
      s.SkipFraction();
      s.SkipSpaces();
      if ((s.Word("GMT") || s.Word("UTC") || s.AtEnd()) && s.AtEnd() &&
          Valid(year, month, day, hour, minute, second)) {
        return ToUnix(year, month, day, hour, minute, second);
      }
    }
  }
  // "Mon DD HH:MM:SS[.fff] YYYY GMT"
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() < 3) return std::nullopt;
  month = 0;
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (text.substr(0, 3) == kMonths[m]) month = static_cast<int>(m) + 1;
  }
  if (month == 0) return std::nullopt;
  Scanner s(text.substr(3));
  s.SkipSpaces();
  if (!s.Number(1, 2, &day)) return std::nullopt;
  s.SkipSpaces();
  if (!(s.Number(1, 2, &hour) && s.Literal(':') && s.Number(2, 2, &minute) && s.Literal(':') &&
        s.Number(2, 2, &second))) {
    return std::nullopt;
  }
  s.SkipFraction();
  s.SkipSpaces();
  if (!s.Number(4, 4, &year)) return std::nullopt;
  s.SkipSpaces();
  if (!s.Word("GMT") || !s.AtEnd()) return std::nullopt;
  if (!Valid(year, month, day, hour, minute, second)) return std::nullopt;
  return ToUnix(year, month, day, hour, minute, second);
}

}  // namespace smoke::clients
