#include "exporter/promql/label_functions.h"

#include <re2/re2.h>

#include <map>
#include <memory>

#include "exporter/promql/eval_error.h"
#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

bool IsNameRune(uint32_t r) {
  if (r >= 0x80) return true;  // Go accepts any Unicode letter or digit; close enough.
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

// Go's Regexp.ExpandString.
std::string Expand(const RE2& re, std::string_view tmpl,
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

}  // namespace

Vector LabelReplace(Vector vector, const std::string& dst, const std::string& replacement,
                    const std::string& src, const std::string& regex) {
  RE2::Options options;
  options.set_log_errors(false);
  const RE2 re("^(?:" + regex + ")$", options);
  if (!re.ok()) ThrowEvalError("invalid regular expression in label_replace(): " + regex);
  if (!IsValidLabelName(dst)) {
    ThrowEvalError("invalid destination label name in label_replace(): " + dst);
  }
  const int ngroups = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(ngroups));
  std::vector<std::string_view> groups(static_cast<size_t>(ngroups));
  for (Sample& s : vector) {
    const std::string_view value = s.labels.Get(src);
    if (!re.Match(re2::StringPiece(value.data(), value.size()), 0, value.size(), RE2::UNANCHORED,
                  pieces.data(), ngroups)) {
      continue;
    }
    for (size_t i = 0; i < pieces.size(); ++i) {
      groups[i] = pieces[i].data() == nullptr
                      ? std::string_view()
                      : std::string_view(pieces[i].data(), pieces[i].size());
    }
    const std::string result = Expand(re, replacement, groups);
    s.labels = s.labels.Set(dst, result);
  }
  return vector;
}

Vector LabelJoin(Vector vector, const std::string& dst, const std::string& separator,
                 const std::vector<std::string>& src_labels) {
  for (const std::string& src : src_labels) {
    if (!IsValidLabelName(src)) {
      ThrowEvalError("invalid source label name in label_join(): " + src);
    }
  }
  if (!IsValidLabelName(dst)) {
    ThrowEvalError("invalid destination label name in label_join(): " + dst);
  }
  for (Sample& s : vector) {
    std::string joined;
    for (size_t i = 0; i < src_labels.size(); ++i) {
      if (i > 0) joined += separator;
      joined += s.labels.Get(src_labels[i]);
    }
    s.labels = s.labels.Set(dst, joined);
  }
  return vector;
}

}  // namespace smoke::promql
