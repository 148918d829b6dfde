#include "exporter/promql/label_functions.h"

#include <re2/re2.h>

#include <map>
#include <memory>

#include "exporter/promql/eval_error.h"
#include "exporter/promql/quote.h"
#include "exporter/promql/regexp_expand.h"

namespace smoke::promql {

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
    const std::string result = ExpandRegexpTemplate(re, replacement, groups);
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
