#include "exporter/clients/pg_resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace smoke::clients {
namespace {

struct Lookup {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  ResolveResult result;
};

ResolveResult GetAddrInfo(const std::string& host, int flags) {
  ResolveResult out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0) {
    out.error = gai_strerror(rc);
    return out;
  }
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    const void* addr = nullptr;
    if (ai->ai_family == AF_INET) {
      addr = &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr;
    } else if (ai->ai_family == AF_INET6) {
      addr = &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr;
    }
    if (addr == nullptr || inet_ntop(ai->ai_family, addr, buf, sizeof buf) == nullptr) continue;
    const std::string ip = buf;
    if (std::find(out.addresses.begin(), out.addresses.end(), ip) == out.addresses.end() &&
        out.addresses.size() < kMaxResolvedAddresses) {
      out.addresses.push_back(ip);
    }
  }
  freeaddrinfo(list);
  if (out.addresses.empty()) out.error = "no IPv4 or IPv6 address";
  return out;
}

}  // namespace

ResolveResult ResolveHost(const std::string& host, SteadyTime deadline) {
  ResolveResult numeric = GetAddrInfo(host, AI_NUMERICHOST);
  if (numeric.ok()) return numeric;

  auto lookup = std::make_shared<Lookup>();
  try {
    std::thread([lookup, host] {
      ResolveResult r = GetAddrInfo(host, 0);
      std::lock_guard<std::mutex> lock(lookup->mu);
      lookup->result = std::move(r);
      lookup->done = true;
      lookup->done_cv.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    ResolveResult out;
    out.internal = true;
    out.error = std::string("cannot start a resolver thread: ") + e.what();
    return out;
  }
  std::unique_lock<std::mutex> lock(lookup->mu);
  if (!lookup->done_cv.wait_until(lock, deadline, [&] { return lookup->done; })) {
    ResolveResult out;
    out.timed_out = true;
    out.error = "deadline reached while resolving the host name";
    return out;
  }
  return lookup->result;
}

}  // namespace smoke::clients
