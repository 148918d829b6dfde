#pragma once
// How strict the verdict is: which alerts block a release and when missing information blocks
// it too (readiness fails closed). Built from the config's `readiness:` section.
// Thread-safety: plain value type.

#include <cstdint>
#include <vector>

#include "exporter/config/readiness_spec.h"
#include "exporter/core/status.h"
#include "exporter/readiness/label_match.h"

namespace smoke::readiness {

struct Policy {
  // A firing alert blocks when any set matches its labels (OR of ANDed matchers).
  std::vector<MatcherSet> block_on = DefaultBlockOn();
  // Completed engine iterations needed after start before anything can be ready (no_data).
  uint64_t min_evaluations = 2;
  // The last engine iteration may be at most this old (stale_data).
  int64_t stale_after_ms = 45'000;
  // A skipped probe in scope blocks (probe_skipped) unless this is set.
  bool allow_skipped = false;
  // An active Alertmanager silence matching a blocking alert waives it.
  bool waivers_enabled = false;

  // gate="release" OR severity="critical".
  static std::vector<MatcherSet> DefaultBlockOn();
};

// The policy the `readiness:` section describes.
core::Result<Policy> PolicyFromSpec(const config::ReadinessSpec& spec);

}  // namespace smoke::readiness
