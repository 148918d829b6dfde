#pragma once
// Evaluating the JSON-path subset of core/json_path.h against a parsed response body, and the
// comparison operators of json assertions. Kept apart from the assertion evaluator so the
// semantics (strict types, negative indexes, what "absent" means) are testable on their own.
// Thread-safety: pure functions.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/json_path.h"

namespace re2 {
class RE2;
}

namespace smoke::probes {

// Deeper documents are rejected before parsing: hostile targets must not be able to make the
// exporter recurse without bound (nlohmann::json's dump and destructor recurse per level).
inline constexpr int kMaxJsonDepth = 256;

// Parses `body`. On failure returns false and sets `error` to a short, single-line reason such as
// "syntax error while parsing value - invalid literal; last read: '<' at line 1, column 1".
// Never throws.
bool ParseJsonBody(std::string_view body, nlohmann::json* out, std::string* error);

// The value at `path`, or nullptr when a key is missing, an index is out of range (negative
// indexes count from the end: -1 is the last element) or a segment meets the wrong type.
const nlohmann::json* ResolveJsonPath(const nlohmann::json& doc, const core::JsonPath& path);

// Compact JSON text of `value` ("\"degraded\"", "42", "{\"a\":1}"), capped at `max_bytes`
// with "..." appended when cut.
std::string JsonValueText(const nlohmann::json& value, size_t max_bytes = 200);

// A configured operand as JSON text: strings quoted, numbers in shortest form (1, 0.5, 1e+20).
std::string JsonScalarText(const config::JsonScalar& scalar);

// The human form of an assertion's expectation, e.g. `$.db == "healthy"`, `$.items[-1] exists`,
// `$.state in ["ok", "warn"]`, `$.version =~ "^2\\."`.
std::string DescribeJsonCheck(std::string_view path_text, config::JsonOp op,
                              const std::vector<config::JsonScalar>& operands,
                              std::string_view pattern);

struct JsonCheckResult {
  bool passed = false;
  std::string actual;  // the value found as JSON text, or "path not found"
};

// Applies `op` to `value` (nullptr = path not found). Comparisons are strictly typed: a string
// never equals a number, and <, <=, >, >= need two numbers or two strings. `pattern` (for
// kMatches) is searched in a string's contents, or in the JSON text of any other value.
JsonCheckResult CheckJsonValue(const nlohmann::json* value, config::JsonOp op,
                               const std::vector<config::JsonScalar>& operands,
                               const re2::RE2* pattern);

}  // namespace smoke::probes
