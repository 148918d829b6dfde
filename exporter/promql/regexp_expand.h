#pragma once
// Go's Regexp.ExpandString, which label_replace() and the templates' reReplaceAll share: in
// `tmpl`, $1, ${1}, $name and ${name} become the submatch (empty if the group did not take
// part or does not exist), $$ becomes $, and a '$' not followed by a valid name stays as is.
// Thread-safety: pure function.

#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}  // namespace re2

namespace smoke::promql {

// `groups[i]` is submatch i (groups[0] the whole match); a null data() means "did not match".
std::string ExpandRegexpTemplate(const re2::RE2& re, std::string_view tmpl,
                                 const std::vector<std::string_view>& groups);

}  // namespace smoke::promql
