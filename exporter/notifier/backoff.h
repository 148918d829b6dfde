#pragma once
// How long a delivery thread waits before retrying a batch that failed: capped exponential
// backoff. A pure function so that the schedule is tested without waiting for it.
// Thread-safety: value type and pure function.

#include <chrono>

#include "exporter/core/clock.h"

namespace smoke::notifier {

struct BackoffOptions {
  core::Duration initial = std::chrono::seconds(1);  // wait after the first failure
  core::Duration max = std::chrono::seconds(30);     // no wait is longer than this
  double multiplier = 2.0;                           // growth per further failure (>= 1)
};

// The wait after `consecutive_failures` failed attempts in a row: 0 for none, then
// initial, initial*multiplier, initial*multiplier^2, ... never more than max (nor less than 0),
// also for huge failure counts.
core::Duration BackoffDelay(int consecutive_failures, const BackoffOptions& options);

}  // namespace smoke::notifier
