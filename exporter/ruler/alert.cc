#include "exporter/ruler/alert.h"

namespace smoke::ruler {

std::string_view AlertStateName(AlertState state) {
  switch (state) {
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
    case AlertState::kInactive:
      break;
  }
  return "inactive";
}

bool Alert::NeedsSending(int64_t ts_ms, int64_t resend_delay_ms) const {
  if (state == AlertState::kPending) return false;
  if (resolved_at_ms > last_sent_at_ms) return true;
  if (last_sent_at_ms == kNeverSent) return true;
  return last_sent_at_ms + resend_delay_ms < ts_ms;
}

}  // namespace smoke::ruler
