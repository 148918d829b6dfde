#pragma once
// The one-line JSON assertion language:
//   PATH OP VALUE        OP in == != < <= > >=; VALUE a JSON scalar ("string", 1.5, true, null)
//   PATH exists | PATH absent
//   PATH in [V1, V2, ...]
//   PATH =~ "RE2 pattern"
// e.g. '$.status == "healthy"', '$.items[0].id exists', '$.version =~ "^1\."'.
// < <= > >= compare numbers only: ordering strings is rarely what a check means.
// Thread-safety: stateless functions.

#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/status.h"

namespace smoke::config {

struct JsonExpression {
  std::string path;  // as written
  core::JsonPath parsed;
  JsonOp op = JsonOp::kExists;
  std::vector<JsonScalar> values;
  std::string pattern;  // kMatches
};

// Errors: `invalid json assertion "<text>": expected <what> at column <n>` (1-based), or the
// JSON path / RE2 error.
core::Result<JsonExpression> ParseJsonExpression(std::string_view text);

// JSON text of a scalar: "a\"b", 1.5, true, null.
std::string FormatJsonScalar(const JsonScalar& value);
// The canonical expression text (parses back to the same expression).
std::string FormatJsonExpression(const std::string& path, JsonOp op,
                                 const std::vector<JsonScalar>& values, const std::string& pattern);

}  // namespace smoke::config
