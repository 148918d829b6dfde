#include "exporter/clients/tcp_client.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>

#include "exporter/clients/curl_easy.h"

namespace smoke::clients {

CurlTcpConnection::CurlTcpConnection() = default;
CurlTcpConnection::~CurlTcpConnection() = default;

TransportStatus CurlTcpConnection::Attempt(const std::string& url, const ConnectOptions& options,
                                           IpFamily family, SteadyTime deadline) {
  easy_ = std::make_unique<CurlEasy>();
  ServerNameRoute route;
  TransportStatus status = easy_->Configure(url, options, family, deadline, &route);
  if (!status.ok()) return status;
  curl_easy_setopt(easy_->get(), CURLOPT_CONNECT_ONLY, 1L);
  // The peer speaks its own protocol; offering h2/http1.1 via ALPN could change its behaviour.
  curl_easy_setopt(easy_->get(), CURLOPT_SSL_ENABLE_ALPN, 0L);
  status = easy_->Perform();
  info_ = easy_->Info();
  return status;
}

TransportStatus CurlTcpConnection::Connect(const std::string& host_port, bool tls,
                                           const ConnectOptions& options, SteadyTime deadline) {
  // The scheme only selects TLS: with CONNECT_ONLY libcurl sends nothing after the handshake.
  const std::string url = std::string(tls ? "https://" : "http://") + host_port + "/";
  TransportStatus status = Attempt(url, options, options.ip_family, deadline);
  if (status.error == TransportError::kDns && options.ip_family != IpFamily::kAny &&
      options.ip_fallback) {
    const double spent = info_.timings.total;
    status = Attempt(url, options, IpFamily::kAny, deadline);
    ShiftTimings(info_.timings, spent);
  }
  connected_ = status.ok();
  info_.tls = tls && connected_;
  return status;
}

int CurlTcpConnection::Wait(short events, SteadyTime deadline) const {
  curl_socket_t fd = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(easy_->get(), CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
      fd == CURL_SOCKET_BAD) {
    return -1;
  }
  for (;;) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return 0;
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 60'000)));
    if (n > 0) return 1;  // readable/writable, or HUP/ERR which the next recv/send reports
    if (n < 0 && errno != EINTR) return -1;
  }
}

TransportStatus CurlTcpConnection::SendAll(std::string_view data, SteadyTime deadline) {
  if (!connected_) return {TransportError::kInternal, "not connected", 0};
  while (!data.empty()) {
    size_t sent = 0;
    const CURLcode rc = curl_easy_send(easy_->get(), data.data(), data.size(), &sent);
    if (rc == CURLE_OK) {
      data.remove_prefix(sent);
      continue;
    }
    if (rc != CURLE_AGAIN) return easy_->Classify(rc);
    const int ready = Wait(POLLOUT, deadline);
    if (ready == 0) return {TransportError::kTimeout, "timed out sending to the peer", 0};
    if (ready < 0) return {TransportError::kInternal, "cannot wait on the socket", errno};
  }
  return {};
}

CurlTcpConnection::ReadResult CurlTcpConnection::ReadUntil(
    const std::function<bool(std::string_view)>& stop, size_t max_bytes, SteadyTime deadline) {
  ReadResult result;
  if (!connected_) {
    result.status = {TransportError::kInternal, "not connected", 0};
    return result;
  }
  if (max_bytes == 0) {
    result.end = ReadEnd::kLimit;
    return result;
  }
  char buffer[16 * 1024];
  for (;;) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.end = ReadEnd::kTimeout;
      result.status = {TransportError::kTimeout, "timed out waiting for the peer", 0};
      return result;
    }
    size_t received = 0;
    const size_t want = std::min(sizeof buffer, max_bytes - result.data.size());
    const CURLcode rc = curl_easy_recv(easy_->get(), buffer, want, &received);
    if (rc == CURLE_OK) {
      if (received == 0) {
        result.end = ReadEnd::kPeerClosed;
        return result;
      }
      result.data.append(buffer, received);
      if (stop(result.data)) {
        result.end = ReadEnd::kStopped;
        return result;
      }
      if (result.data.size() >= max_bytes) {
        result.end = ReadEnd::kLimit;
        return result;
      }
      continue;
    }
    if (rc != CURLE_AGAIN) {
      result.end = ReadEnd::kError;
      result.status = easy_->Classify(rc);
      return result;
    }
    const int ready = Wait(POLLIN, deadline);
    if (ready < 0) {
      result.end = ReadEnd::kError;
      result.status = {TransportError::kInternal, "cannot wait on the socket", errno};
      return result;
    }
    // ready == 0: the deadline check at the top of the loop reports the timeout.
  }
}

}  // namespace smoke::clients
