#include "exporter/readiness/label_match.h"

#include "exporter/config/readiness_parser.h"

namespace smoke::readiness {
namespace {

promql::MatchType ToMatchType(config::LabelMatcherSpec::Op op) {
  switch (op) {
    case config::LabelMatcherSpec::Op::kEqual:
      return promql::MatchType::kEqual;
    case config::LabelMatcherSpec::Op::kNotEqual:
      return promql::MatchType::kNotEqual;
    case config::LabelMatcherSpec::Op::kRegexMatch:
      return promql::MatchType::kRegexMatch;
    case config::LabelMatcherSpec::Op::kRegexNoMatch:
      return promql::MatchType::kRegexNoMatch;
  }
  return promql::MatchType::kEqual;
}

}  // namespace

core::Result<promql::LabelMatcher> ParseMatcher(std::string_view text) {
  core::Result<config::LabelMatcherSpec> spec = config::ParseMatcherText(text);
  if (!spec.ok()) return spec.status();
  return promql::LabelMatcher::Create(ToMatchType(spec->op), spec->name, spec->value);
}

core::Result<MatcherSet> FromSpec(const config::MatcherSetSpec& spec) {
  MatcherSet set;
  for (const config::LabelMatcherSpec& m : spec) {
    core::Result<promql::LabelMatcher> lm =
        promql::LabelMatcher::Create(ToMatchType(m.op), m.name, m.value);
    if (!lm.ok()) return lm.status();
    set.push_back(std::move(lm).value());
  }
  return set;
}

core::Result<MatcherSet> ParseMatcherSet(std::string_view text) {
  core::Result<config::MatcherSetSpec> spec = config::ParseMatcherSetText(text);
  if (!spec.ok()) return spec.status();
  return FromSpec(*spec);
}

bool MatchesAll(const MatcherSet& set, const LabelMap& labels) {
  for (const promql::LabelMatcher& m : set) {
    auto it = labels.find(m.name());
    if (!m.Matches(it == labels.end() ? std::string_view() : std::string_view(it->second))) {
      return false;
    }
  }
  return true;
}

std::string FormatMatcherSet(const MatcherSet& set) {
  std::string out;
  for (const promql::LabelMatcher& m : set) {
    if (!out.empty()) out += ", ";
    out += m.ToString();
  }
  return out;
}

}  // namespace smoke::readiness
