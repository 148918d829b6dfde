#include "exporter/promql/matcher.h"

#include <re2/re2.h>

#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

// Go's regexp/syntax error texts for RE2's error codes, so that messages match Prometheus's.
std::string_view GoRegexpError(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "regexp/syntax: internal error";
  }
}

}  // namespace

std::string_view MatchTypeString(MatchType type) {
  switch (type) {
    case MatchType::kEqual:
      return "=";
    case MatchType::kNotEqual:
      return "!=";
    case MatchType::kRegexMatch:
      return "=~";
    case MatchType::kRegexNoMatch:
      return "!~";
  }
  return "=";
}

core::Result<LabelMatcher> LabelMatcher::Create(MatchType type, std::string name,
                                                std::string value) {
  LabelMatcher m(type, std::move(name), std::move(value));
  if (type == MatchType::kRegexMatch || type == MatchType::kRegexNoMatch) {
    RE2::Options options;
    options.set_log_errors(false);
    const std::string anchored = "^(?:" + m.value_ + ")$";
    auto re = std::make_shared<const RE2>(anchored, options);
    if (!re->ok()) {
      std::string arg = re->error_arg();
      // RE2 names the fragment for most errors; a missing parenthesis is about the whole pattern.
      if (re->error_code() == RE2::ErrorMissingParen || arg.empty()) arg = anchored;
      return core::Status::Error("error parsing regexp: " +
                                 std::string(GoRegexpError(re->error_code())) + ": `" + arg + "`");
    }
    m.regex_ = std::move(re);
  }
  return m;
}

bool LabelMatcher::Matches(std::string_view v) const {
  switch (type_) {
    case MatchType::kEqual:
      return v == value_;
    case MatchType::kNotEqual:
      return v != value_;
    case MatchType::kRegexMatch:
      return RE2::FullMatch(v, *regex_);
    case MatchType::kRegexNoMatch:
      return !RE2::FullMatch(v, *regex_);
  }
  return false;
}

std::string LabelMatcher::ToString() const {
  return name_ + std::string(MatchTypeString(type_)) + GoQuote(value_);
}

}  // namespace smoke::promql
