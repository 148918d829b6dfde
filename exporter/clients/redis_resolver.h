#pragma once
// Name resolution bounded by a deadline, for the Redis client. hiredis calls getaddrinfo itself,
// which can block far longer than a probe may take (a dead resolver waits out its retries), so
// the Redis client resolves names here first and hands hiredis address literals only.
// Thread-safety: ResolveHost is reentrant.

#include <string>
#include <vector>

#include "exporter/clients/transport.h"

namespace smoke::clients {

// The addresses of `host` (a name or an IPv4/IPv6 literal) in getaddrinfo's preference order,
// as numeric strings without brackets. A literal resolves at once. A name is resolved on a
// helper thread; if the deadline passes first the thread is left to finish on its own (a
// getaddrinfo call cannot be cancelled) and the result is kTimeout. Failures: kDns (the name
// does not resolve), kTimeout.
TransportStatus ResolveHost(const std::string& host, SteadyTime deadline,
                            std::vector<std::string>* addresses);

}  // namespace smoke::clients
