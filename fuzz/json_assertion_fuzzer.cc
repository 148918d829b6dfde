// JSON assertions as a probe applies them: the first line is an assertion expression
// (`$.dependencies.database == "healthy"`, `$.items[0].id exists`, ...), the rest is a response
// body. The expression parses or fails with an error; a parsed one is resolved and checked
// against the body, whatever it holds (invalid JSON, invalid UTF-8, deep nesting).

#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "exporter/config/json_expression.h"
#include "exporter/probes/json_path_eval.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view expression = input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  auto parsed = smoke::config::ParseJsonExpression(expression);
  if (!parsed.ok()) return 0;
  (void)smoke::core::FormatJsonPath(parsed->parsed);
  std::unique_ptr<re2::RE2> pattern;
  if (parsed->op == smoke::config::JsonOp::kMatches) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    pattern = std::make_unique<re2::RE2>(parsed->pattern, options);
    if (!pattern->ok()) return 0;
  }
  nlohmann::json doc;
  std::string error;
  if (!smoke::probes::ParseJsonBody(body, &doc, &error)) return 0;
  const nlohmann::json* value = smoke::probes::ResolveJsonPath(doc, parsed->parsed);
  (void)smoke::probes::CheckJsonValue(value, parsed->op, parsed->values, pattern.get());
  if (value != nullptr) (void)smoke::probes::JsonValueText(*value);
  return 0;
}
