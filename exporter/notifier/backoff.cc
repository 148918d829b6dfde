#include "exporter/notifier/backoff.h"

#include <algorithm>

namespace smoke::notifier {

core::Duration BackoffDelay(int consecutive_failures, const BackoffOptions& options) {
  if (consecutive_failures <= 0) return core::Duration::zero();
  const core::Duration cap = std::max(options.max, core::Duration::zero());
  const double multiplier = std::max(options.multiplier, 1.0);
  // Grow in floating point and stop at the cap, so that nothing overflows however long an
  // Alertmanager stays down.
  double delay = static_cast<double>(std::max(options.initial, core::Duration::zero()).count());
  const double limit = static_cast<double>(cap.count());
  for (int i = 1; i < consecutive_failures && delay < limit; ++i) delay *= multiplier;
  if (delay >= limit) return cap;
  return core::Duration(static_cast<core::Duration::rep>(delay));
}

}  // namespace smoke::notifier
