#include "exporter/readiness/policy.h"

#include <chrono>

namespace smoke::readiness {

std::vector<MatcherSet> Policy::DefaultBlockOn() {
  std::vector<MatcherSet> out;
  for (const config::MatcherSetSpec& spec : config::ReadinessSpec().block_on) {
    out.push_back(*FromSpec(spec));  // literals that always compile
  }
  return out;
}

core::Result<Policy> PolicyFromSpec(const config::ReadinessSpec& spec) {
  Policy p;
  p.block_on.clear();
  for (const config::MatcherSetSpec& set : spec.block_on) {
    core::Result<MatcherSet> m = FromSpec(set);
    if (!m.ok()) return m.status();
    p.block_on.push_back(std::move(m).value());
  }
  p.min_evaluations = static_cast<uint64_t>(spec.min_evaluations);
  p.stale_after_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(spec.stale_after).count();
  p.allow_skipped = spec.allow_skipped;
  p.waivers_enabled = spec.waivers.enabled;
  return p;
}

}  // namespace smoke::readiness
