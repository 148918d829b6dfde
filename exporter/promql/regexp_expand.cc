#include "exporter/promql/regexp_expand.h"

#include <re2/re2.h>

#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

// Go's unicode.IsLetter || IsDigit || '_'; outside ASCII approximated by "from U+00C0 on, except
// the multiplication and division signs" (Latin-1's letters start there).
bool IsNameRune(uint32_t r) {
  if (r >= 0xC0) return r != 0xD7 && r != 0xF7;
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '_';
}

// Go's regexp.extract: a leading "name" or "{name}" of a template after its '$'.
bool ExtractTemplateName(std::string_view str, std::string_view* name, int* num,
                         std::string_view* rest) {
  if (str.empty()) return false;
  bool brace = false;
  if (str[0] == '{') {
    brace = true;
    str.remove_prefix(1);
  }
  size_t i = 0;
  while (i < str.size()) {
    int width = 0;
    const uint32_t r = DecodeRune(str, i, &width);
    if (!IsNameRune(r)) break;
    i += static_cast<size_t>(width);
  }
  if (i == 0) return false;
  *name = str.substr(0, i);
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

std::string ExpandRegexpTemplate(const RE2& re, std::string_view tmpl,
                                 const std::vector<std::string_view>& groups) {
  std::string out;
  while (!tmpl.empty()) {
    const size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      out.push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    std::string_view name, rest;
    int num = -1;
    if (!ExtractTemplateName(tmpl, &name, &num, &rest)) {
      out.push_back('$');
      continue;
    }
    tmpl = rest;
    if (num >= 0) {
      if (static_cast<size_t>(num) < groups.size() && groups[num].data() != nullptr) {
        out.append(groups[num]);
      }
    } else {
      const auto& named = re.NamedCapturingGroups();
      auto it = named.find(std::string(name));
      if (it != named.end() && static_cast<size_t>(it->second) < groups.size() &&
          groups[it->second].data() != nullptr) {
        out.append(groups[it->second]);
      }
    }
  }
  out.append(tmpl);
  return out;
}

}  // namespace smoke::promql
