#pragma once
// The exporter keeps one socket open per http probe in flight, and http probes do not wait for
// a worker (clients/curl_loop.h): with a thousand blackholed targets that is a thousand sockets,
// at the 1024 that most systems set as the soft limit. Like Go programs (Prometheus and
// blackbox_exporter among them), the exporter raises its soft limit to the hard one at start.

#include <cstdint>

namespace smoke::core {

struct OpenFileLimit {
  uint64_t before = 0;  // the soft limit found
  uint64_t now = 0;     // the soft limit after raising it (the same if it could not be raised)
};

// Raises the soft RLIMIT_NOFILE to the hard limit. Never fails: on error `now` == `before`.
OpenFileLimit RaiseOpenFileLimit();

}  // namespace smoke::core
