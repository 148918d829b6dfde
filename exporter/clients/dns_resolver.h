#pragma once
// Name resolution with a deadline through the system resolver (getaddrinfo: /etc/hosts,
// resolv.conf, nsswitch, exactly what the probed clients use). getaddrinfo itself cannot be
// interrupted, so it runs on a helper thread; at the deadline we return kTimeout and the thread
// finishes (and frees its state) on its own when the resolver gives up.
// Thread-safety: stateless; Resolve may be called concurrently.

#include <string>
#include <vector>

#include "exporter/clients/transport.h"

namespace smoke::clients {

struct DnsAnswer {
  TransportStatus status;              // kDns (with gai_strerror's text) or kTimeout on failure
  std::vector<std::string> addresses;  // canonical text (inet_ntop), unique, in resolver order
  double seconds = 0;                  // time until the answer (or the deadline)
};

DnsAnswer Resolve(const std::string& host, IpFamily family, SteadyTime deadline);

}  // namespace smoke::clients
