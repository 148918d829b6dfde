#pragma once
// A label matcher of a vector selector: name, one of = != =~ !~, and a value. Regular expressions
// are RE2, fully anchored as Prometheus anchors them ("^(?:" + re + ")$"), and compiled once when
// the matcher is created, so an invalid regex is an error at parse time.
// Thread-safety: immutable after construction; copies share the compiled regex; safe to use
// concurrently.

#include <memory>
#include <string>
#include <string_view>

#include "exporter/core/status.h"

namespace re2 {
class RE2;
}

namespace smoke::promql {

enum class MatchType { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

// "=", "!=", "=~", "!~".
std::string_view MatchTypeString(MatchType type);

class LabelMatcher {
 public:
  // Fails for an invalid regular expression, with Go's regexp error wording, e.g.
  // "error parsing regexp: missing closing ): `^(?:(a)$`".
  static core::Result<LabelMatcher> Create(MatchType type, std::string name, std::string value);

  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }

  bool Matches(std::string_view value) const;
  // name, operator and the Go-quoted value: `job=~"api|web"`.
  std::string ToString() const;

  friend bool operator==(const LabelMatcher& a, const LabelMatcher& b) {
    return a.type_ == b.type_ && a.name_ == b.name_ && a.value_ == b.value_;
  }

 private:
  LabelMatcher(MatchType type, std::string name, std::string value)
      : type_(type), name_(std::move(name)), value_(std::move(value)) {}

  MatchType type_;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> regex_;  // set for the two regex match types
};

}  // namespace smoke::promql
