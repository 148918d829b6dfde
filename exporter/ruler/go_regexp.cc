#include "exporter/ruler/go_regexp.h"

#include <re2/re2.h>

#include <vector>

#include "exporter/promql/regexp_expand.h"
#include "exporter/ruler/go_strconv.h"

namespace smoke::ruler::go {

namespace {

const char* GoErrorCode(re2::RE2::ErrorCode code) {
  switch (code) {
    case re2::RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case re2::RE2::ErrorBadCharClass:
      return "invalid character class";
    case re2::RE2::ErrorBadCharRange:
      return "invalid character class range";
    case re2::RE2::ErrorMissingBracket:
      return "missing closing ]";
    case re2::RE2::ErrorMissingParen:
      return "missing closing )";
    case re2::RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case re2::RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case re2::RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case re2::RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case re2::RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case re2::RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case re2::RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case re2::RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    default:
      return "regexp/syntax: internal error";
  }
}

}  // namespace

Regexp::Regexp(std::unique_ptr<re2::RE2> re) : re_(std::move(re)) {}
Regexp::~Regexp() = default;

core::Result<std::shared_ptr<const Regexp>> Regexp::Compile(std::string_view pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return core::Status::Error(std::string("error parsing regexp: ") +
                               GoErrorCode(re->error_code()) + ": `" + re->error_arg() + "`");
  }
  return std::shared_ptr<const Regexp>(std::make_shared<Regexp>(std::move(re)));
}

bool Regexp::MatchString(std::string_view s) const {
  return re2::RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re_);
}

std::string Regexp::ReplaceAllString(std::string_view src, std::string_view repl) const {
  int ngroups = re_->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> m(static_cast<size_t>(ngroups));
  re2::StringPiece text(src.data(), src.size());
  std::string out;
  size_t last_match_end = 0;
  size_t search_pos = 0;
  while (search_pos <= src.size()) {
    if (!re_->Match(text, search_pos, src.size(), re2::RE2::UNANCHORED, m.data(), ngroups)) break;
    size_t a0 = static_cast<size_t>(m[0].data() - src.data());
    size_t a1 = a0 + m[0].size();
    out.append(src.substr(last_match_end, a0 - last_match_end));
    // No replacement for an empty match right after the previous match.
    if (a1 > last_match_end || a0 == 0) {
      std::vector<std::string_view> groups;
      groups.reserve(m.size());
      for (const re2::StringPiece& g : m) groups.emplace_back(g.data(), g.size());
      out.append(promql::ExpandRegexpTemplate(*re_, repl, groups));
    }
    last_match_end = a1;
    int width = 0;
    if (search_pos < src.size()) DecodeRune(src.substr(search_pos), &width);
    if (search_pos + static_cast<size_t>(width) > a1) {
      search_pos += static_cast<size_t>(width);
    } else if (search_pos + 1 > a1) {
      search_pos++;
    } else {
      search_pos = a1;
    }
  }
  out.append(src.substr(last_match_end));
  return out;
}

std::string MustCompilePanic(std::string_view pattern, const std::string& error) {
  std::string quoted = CanBackquote(pattern) ? "`" + std::string(pattern) + "`" : Quote(pattern);
  return "regexp: Compile(" + quoted + "): " + error;
}

}  // namespace smoke::ruler::go
