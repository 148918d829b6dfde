#include "exporter/clients/redis_resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

namespace smoke::clients {
namespace {

// What the helper thread hands back. Shared so that an abandoned thread writes into memory
// that is still alive.
struct Lookup {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  int rc = 0;
  std::vector<std::string> addresses;
};

int RunGetaddrinfo(const std::string& host, int flags, std::vector<std::string>* out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  addrinfo* list = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0) return rc;
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    const void* addr = nullptr;
    if (ai->ai_family == AF_INET) {
      addr = &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr;
    } else if (ai->ai_family == AF_INET6) {
      addr = &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr;
    } else {
      continue;
    }
    if (::inet_ntop(ai->ai_family, addr, buf, sizeof buf) == nullptr) continue;
    std::string text(buf);
    bool duplicate = false;
    for (const std::string& a : *out) duplicate = duplicate || a == text;
    if (!duplicate) out->push_back(std::move(text));
  }
  ::freeaddrinfo(list);
  return 0;
}

TransportStatus DnsError(const std::string& host, int rc) {
  TransportStatus s;
  s.error = TransportError::kDns;
  s.message = "could not resolve \"" + host + "\": " + ::gai_strerror(rc);
  return s;
}

}  // namespace

TransportStatus ResolveHost(const std::string& host, SteadyTime deadline,
                            std::vector<std::string>* addresses) {
  addresses->clear();
  // Literals need no resolver and must not pay for a thread.
  if (RunGetaddrinfo(host, AI_NUMERICHOST, addresses) == 0 && !addresses->empty()) return {};
  addresses->clear();

  auto lookup = std::make_shared<Lookup>();
  try {
    std::thread([lookup, host] {
      std::vector<std::string> found;
      const int rc = RunGetaddrinfo(host, 0, &found);
      std::lock_guard lock(lookup->mu);
      lookup->rc = rc;
      lookup->addresses = std::move(found);
      lookup->done = true;
      lookup->done_cv.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    TransportStatus s;
    s.error = TransportError::kInternal;
    s.message = std::string("cannot start a resolver thread: ") + e.what();
    return s;
  }
  std::unique_lock lock(lookup->mu);
  if (!lookup->done_cv.wait_until(lock, deadline, [&] { return lookup->done; })) {
    TransportStatus s;
    s.error = TransportError::kTimeout;
    s.message = "resolving \"" + host + "\" did not finish before the deadline";
    return s;
  }
  if (lookup->rc != 0) return DnsError(host, lookup->rc);
  if (lookup->addresses.empty()) return DnsError(host, EAI_NONAME);
  *addresses = std::move(lookup->addresses);
  return {};
}

}  // namespace smoke::clients
