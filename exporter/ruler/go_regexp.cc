#include "exporter/ruler/go_regexp.h"

#include <re2/re2.h>

#include <map>
#include <vector>

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

bool IsNameRune(char32_t r) {
  return r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
         (r >= 0xC0 && IsPrint(r));
}

// Go's regexp.extract: a $name or ${name} reference at the start of `str`.
bool Extract(std::string_view str, std::string* name, int* num, std::string_view* rest) {
  if (str.empty()) return false;
  bool brace = false;
  if (str[0] == '{') {
    brace = true;
    str.remove_prefix(1);
  }
  size_t i = 0;
  while (i < str.size()) {
    int size;
    char32_t r = DecodeRune(str.substr(i), &size);
    if (!IsNameRune(r)) break;
    i += static_cast<size_t>(size);
  }
  if (i == 0) return false;
  *name = std::string(str.substr(0, i));
  if (brace) {
    if (i >= str.size() || str[i] != '}') return false;
    i++;
  }
  *num = 0;
  for (char c : *name) {
    if (c < '0' || c > '9' || *num >= 100000000) {
      *num = -1;
      break;
    }
    *num = *num * 10 + (c - '0');
  }
  if ((*name)[0] == '0' && name->size() > 1) *num = -1;
  *rest = str.substr(i);
  return true;
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
  const std::map<int, std::string>& names = re_->CapturingGroupNames();
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
      std::string_view tmpl = repl;
      while (!tmpl.empty()) {
        size_t dollar = tmpl.find('$');
        if (dollar == std::string_view::npos) break;
        out.append(tmpl.substr(0, dollar));
        tmpl.remove_prefix(dollar + 1);
        if (!tmpl.empty() && tmpl[0] == '$') {
          out.push_back('$');
          tmpl.remove_prefix(1);
          continue;
        }
        std::string name;
        int num;
        std::string_view rest;
        if (!Extract(tmpl, &name, &num, &rest)) {
          out.push_back('$');
          continue;
        }
        tmpl = rest;
        int group = -1;
        if (num >= 0) {
          group = num;
        } else {
          for (const auto& [idx, n] : names) {
            if (n == name) {
              group = idx;
              break;
            }
          }
        }
        if (group >= 0 && group < ngroups && m[static_cast<size_t>(group)].data() != nullptr) {
          const re2::StringPiece& g = m[static_cast<size_t>(group)];
          out.append(g.data(), g.size());
        }
      }
      out.append(tmpl);
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
