#include "exporter/clients/dns_resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace smoke::clients {
namespace {

// Shared by the caller and the helper thread; whoever leaves last frees it.
struct Lookup {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  int rc = 0;
  int saved_errno = 0;
  std::vector<std::string> addresses;
};

void RunLookup(const std::shared_ptr<Lookup>& lookup, const std::string& host, IpFamily family) {
  addrinfo hints{};
  hints.ai_family = family == IpFamily::kIp4   ? AF_INET
                    : family == IpFamily::kIp6 ? AF_INET6
                                               : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address instead of one per socket type
  addrinfo* res = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
  const int saved_errno = errno;
  std::vector<std::string> addresses;
  if (rc == 0) {
    for (const addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      const void* addr = nullptr;
      if (ai->ai_family == AF_INET) {
        addr = &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr;
      } else if (ai->ai_family == AF_INET6) {
        addr = &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr;
      }
      if (addr == nullptr || inet_ntop(ai->ai_family, addr, text, sizeof text) == nullptr) continue;
      if (std::find(addresses.begin(), addresses.end(), text) == addresses.end()) {
        addresses.emplace_back(text);
      }
    }
    ::freeaddrinfo(res);
  }
  std::lock_guard<std::mutex> lock(lookup->mu);
  lookup->rc = rc;
  lookup->saved_errno = saved_errno;
  lookup->addresses = std::move(addresses);
  lookup->done = true;
  lookup->done_cv.notify_all();
}

}  // namespace

DnsAnswer Resolve(const std::string& host, IpFamily family, SteadyTime deadline) {
  DnsAnswer answer;
  const auto start = std::chrono::steady_clock::now();
  auto lookup = std::make_shared<Lookup>();
  try {
    std::thread([lookup, host, family] { RunLookup(lookup, host, family); }).detach();
  } catch (const std::system_error& e) {
    answer.status = {TransportError::kInternal,
                     std::string("cannot start resolver thread: ") + e.what()};
    return answer;
  }
  std::unique_lock<std::mutex> lock(lookup->mu);
  const bool finished = lookup->done_cv.wait_until(lock, deadline, [&] { return lookup->done; });
  answer.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!finished) {
    answer.status = {TransportError::kTimeout, "resolving " + host + " did not finish in time"};
    return answer;
  }
  if (lookup->rc != 0) {
    std::string text = lookup->rc == EAI_SYSTEM
                           ? std::string("system error: ") + std::strerror(lookup->saved_errno)
                           : ::gai_strerror(lookup->rc);
    answer.status = {TransportError::kDns, "resolving " + host + ": " + text};
    return answer;
  }
  answer.addresses = std::move(lookup->addresses);
  if (answer.addresses.empty()) {
    answer.status = {TransportError::kDns, "resolving " + host + ": no address"};
  }
  return answer;
}

}  // namespace smoke::clients
