#pragma once
// The parameters of Prometheus's HTTP query API as its handlers read them: form values from the
// URL and, for POST/PUT/PATCH with Content-Type application/x-www-form-urlencoded, from the body
// (body values first, as Go's Request.FormValue), times as Unix seconds or RFC 3339, durations as
// seconds or Prometheus duration strings, with Prometheus's error wording.
// Thread-safety: QueryForm is an immutable value after construction; the functions are pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"
#include "exporter/server/http_server.h"

namespace smoke::server {

// Prometheus's minTime/maxTime (web/api/v1), in Unix milliseconds: the defaults of the series and
// labels endpoints' start and end.
inline constexpr int64_t kApiMinTimeMs = -9223309901257974000;
inline constexpr int64_t kApiMaxTimeMs = 9223309901257974999;

class QueryForm {
 public:
  explicit QueryForm(const HttpRequest& request);

  // The first value of `name`, or "" when absent.
  std::string Value(std::string_view name) const;
  // Every value of `name` (e.g. match[]), body values first.
  std::vector<std::string> Values(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// Splits and decodes "a=1&b=x+y&c=%2F".
std::vector<std::pair<std::string, std::string>> ParseUrlEncoded(std::string_view encoded);
// Percent-encodes everything but unreserved characters (RFC 3986), for building a form body.
std::string UrlEncode(std::string_view s);

// "1435781451.781" (rounded to the millisecond) or "2015-07-01T20:10:51.781Z" (truncated to the
// millisecond), as Unix milliseconds. Error: `cannot parse "x" to a valid timestamp`.
core::Result<int64_t> ParseApiTime(std::string_view s);
// ParseApiTime, or `default_ms` when the value is empty. Error:
// `Invalid time value for 'start': cannot parse "x" to a valid timestamp`.
core::Result<int64_t> ParseApiTimeParam(std::string_view name, std::string_view value,
                                        int64_t default_ms);
// "15" / "0.5" (seconds) or "1m30s". Errors: `cannot parse "x" to a valid duration` and
// `cannot parse "1e300" to a valid duration. It overflows int64`.
core::Result<core::Duration> ParseApiDuration(std::string_view s);

}  // namespace smoke::server
