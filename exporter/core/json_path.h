#pragma once
// The JSON-path subset used by assertions: "$", "$.a.b", "$.items[0].id", "$['key with space']",
// "$.a[-1]" (last element). Parsed at config load so that probes never see a bad path; evaluated
// by the probes library against a parsed document.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/status.h"

namespace smoke::core {

struct JsonPathSegment {
  enum class Kind { kKey, kIndex };
  Kind kind = Kind::kKey;
  std::string key;
  int64_t index = 0;  // negative counts from the end
};

using JsonPath = std::vector<JsonPathSegment>;

// Errors name the 1-based column in `path` and what was expected there.
Result<JsonPath> ParseJsonPath(std::string_view path);
// Canonical text form ("$.a[0]['b c']").
std::string FormatJsonPath(const JsonPath& path);

}  // namespace smoke::core
