#pragma once
// An Alertmanager silence as GET /api/v2/silences returns it, and Alertmanager's rules for when
// one applies to an alert: it is active (startsAt <= now < endsAt, not expired) and every one of
// its matchers matches the alert's labels (regexes fully anchored; an absent label is "";
// isEqual=false negates). A silence with no matchers matches nothing.
// Thread-safety: plain value types and pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/readiness/label_match.h"

namespace smoke::readiness {

struct SilenceMatcher {
  std::string name;
  std::string value;
  bool is_regex = false;
  bool is_equal = true;  // false: != or !~ (Alertmanager 0.22+; absent means true)
};

struct Silence {
  std::string id;
  std::string created_by;
  std::string comment;
  std::string state;  // status.state: "active" | "pending" | "expired" ("" if unknown)
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::vector<SilenceMatcher> matchers;
};

bool IsActive(const Silence& silence, int64_t now_ms);
// The silence's matchers as label matchers; an error for an invalid regex or no matchers.
core::Result<MatcherSet> SilenceMatchers(const Silence& silence);
// Whether the silence's matchers all match `labels` (activity is not checked here).
bool SilenceMatches(const Silence& silence, const LabelMap& labels);

// The body of GET /api/v2/silences. Any shape error is an error naming what was wrong, so a
// half-understood answer never waives anything.
core::Result<std::vector<Silence>> ParseSilences(std::string_view body);

// RFC 3339 ("2025-10-25T04:08:00.243Z", "2025-10-25T06:08:00+02:00") to Unix milliseconds.
core::Result<int64_t> ParseRfc3339Ms(std::string_view text);

}  // namespace smoke::readiness
