#pragma once
// Label matchers written the way Alertmanager's routes and amtool take them: `name=value`,
// `name="quoted value"`, `name!=value`, `name=~regex`, `name!~regex`, and sets of them
// (`a=b, c=~"x|y"`, optionally inside braces), ANDed. Regular expressions are fully anchored and
// a missing label reads as the empty string, as in Alertmanager and Prometheus. The text is
// parsed by the config's parser (config/readiness_parser.h), so block_on in a file and here
// agree; the matchers are promql::LabelMatcher, so there is one matching semantics for rules,
// block_on and silences.
// Thread-safety: pure functions; matchers are immutable and may be shared.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/readiness_spec.h"
#include "exporter/core/status.h"
#include "exporter/promql/matcher.h"

namespace smoke::readiness {

using LabelMap = std::map<std::string, std::string>;
// Every matcher must match (AND).
using MatcherSet = std::vector<promql::LabelMatcher>;

// One matcher. Errors name what is wrong: `invalid label name "1a"`, `missing operator in
// "severity"`, `unterminated quoted value in ...`, or the regexp error.
core::Result<promql::LabelMatcher> ParseMatcher(std::string_view text);
// One or more matchers separated by commas, optionally inside {...}; an empty set is an error.
core::Result<MatcherSet> ParseMatcherSet(std::string_view text);

// The config's parsed form as matchers.
core::Result<MatcherSet> FromSpec(const config::MatcherSetSpec& spec);

// Whether every matcher matches `labels` (a label that is absent has the value "").
bool MatchesAll(const MatcherSet& set, const LabelMap& labels);

// `a="b", c=~"x|y"`: the set as people write it back (values quoted as Go does).
std::string FormatMatcherSet(const MatcherSet& set);

}  // namespace smoke::readiness
