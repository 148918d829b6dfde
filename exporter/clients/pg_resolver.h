#pragma once
// Name resolution for the PostgreSQL client, bounded by the probe's deadline.
//
// libpq resolves host names with a blocking getaddrinfo() inside PQconnectStart/PQconnectPoll,
// which no deadline can interrupt, and reports a failure only as text. Resolving here first and
// handing libpq the addresses (hostaddr=, with host= kept for SSL name checks) gives a bounded
// DNS phase, its own timing, and a dns failure classified from getaddrinfo's return code.
// Thread-safety: ResolveHost may be called concurrently.

#include <string>
#include <vector>

#include "exporter/clients/transport.h"

namespace smoke::clients {

struct ResolveResult {
  std::vector<std::string> addresses;  // numeric, in getaddrinfo's preference order, deduplicated
  bool timed_out = false;
  bool internal = false;  // the lookup could not even start (no thread): not a DNS answer
  std::string error;      // "" on success; gai_strerror() text otherwise

  bool ok() const { return !addresses.empty(); }
};

// At most this many addresses are returned (libpq tries them in turn).
inline constexpr size_t kMaxResolvedAddresses = 8;

// An IP literal is returned as is, without a lookup. Otherwise getaddrinfo runs on a helper
// thread; if the deadline passes first, the result is timed_out and the thread is left to finish
// on its own (its result is discarded).
ResolveResult ResolveHost(const std::string& host, SteadyTime deadline);

}  // namespace smoke::clients
