// JSON assertions as a probe applies them: the first line is an assertion expression
// (`$.dependencies.database == "healthy"`, `$.items[0].id exists`, ...), the rest is a response
// body. The expression parses or fails with an error; a parsed one prints in canonical form to
// text that parses again to the same canonical text (the config's messages and the status page
// show that form), and its JSON path does the same. Then the probes' assertion evaluator checks
// it (and, for `=~`, the same pattern as a body_regex) against the body, whatever the body holds
// (invalid JSON, invalid UTF-8, deep nesting).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/json_expression.h"
#include "exporter/core/json_path.h"
#include "exporter/probes/assertion_evaluator.h"

namespace {

[[noreturn]] void Mismatch(const char* what, std::string_view input, const std::string& first,
                           const std::string& second) {
  std::fprintf(stderr, "%s:\n  input:  %.*s\n  first:  %s\n  second: %s\n", what,
               static_cast<int>(input.size()), input.data(), first.c_str(), second.c_str());
  std::abort();
}

std::string Canonical(const smoke::config::JsonExpression& e) {
  return smoke::config::FormatJsonExpression(e.path, e.op, e.values, e.pattern);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace config = smoke::config;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view expression = input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  auto parsed = config::ParseJsonExpression(expression);
  if (!parsed.ok()) return 0;

  const std::string canonical = Canonical(*parsed);
  auto again = config::ParseJsonExpression(canonical);
  if (!again.ok()) Mismatch("canonical form does not parse", expression, canonical,
                            again.status().message());
  if (Canonical(*again) != canonical) {
    Mismatch("canonical form is not stable", expression, canonical, Canonical(*again));
  }
  const std::string path = smoke::core::FormatJsonPath(parsed->parsed);
  auto path_again = smoke::core::ParseJsonPath(path);
  if (!path_again.ok()) Mismatch("printed JSON path does not parse", expression, path,
                                 path_again.status().message());
  if (smoke::core::FormatJsonPath(*path_again) != path) {
    Mismatch("printed JSON path is not stable", expression, path,
             smoke::core::FormatJsonPath(*path_again));
  }

  std::vector<config::Assertion> assertions(1);
  config::Assertion& json = assertions[0];
  json.name = "json";
  json.kind = config::Assertion::Kind::kJson;
  json.json_path = parsed->path;
  json.json_path_parsed = parsed->parsed;
  json.json_op = parsed->op;
  json.json_values = parsed->values;
  json.pattern = parsed->pattern;
  if (parsed->op == config::JsonOp::kMatches) {
    config::Assertion regex;
    regex.name = "body_regex";
    regex.kind = config::Assertion::Kind::kBodyRegex;
    regex.pattern = parsed->pattern;
    assertions.push_back(std::move(regex));
  }
  // The config loader has already checked the pattern with RE2, so Create fails only if the two
  // checks disagree; that is not this target's business.
  auto evaluator = smoke::probes::AssertionEvaluator::Create(assertions);
  if (!evaluator.ok()) return 0;
  const std::vector<std::pair<std::string, std::string>> headers;
  smoke::probes::ResponseView view;
  view.status_code = 200;
  view.headers = &headers;
  view.body = body;
  (void)evaluator->Evaluate(view);
  return 0;
}
