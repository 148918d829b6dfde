#pragma once
// One TCP connection, optionally TLS, for the tcp probe: connect, send, read until a condition.
//
// Built on libcurl's CONNECT_ONLY mode rather than raw sockets: libcurl then does resolution
// (with the same IP-family choice and fallback), the connect, the TLS handshake with CA file,
// client certificate, server-name override and minimum version, and reports the same timings and
// certificate chain as for HTTP probes, so both probe kinds agree on what "tls" or "connect"
// means. After the connect, bytes move with curl_easy_send/curl_easy_recv, and waiting is a
// poll() on CURLINFO_ACTIVESOCKET bounded by the deadline (libcurl's own timeouts stop applying
// once CONNECT_ONLY returns).
// Thread-safety: not thread-safe; one connection per probe run.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/clients/transport.h"

namespace smoke::clients {

class CurlEasy;

class CurlTcpConnection {
 public:
  enum class ReadEnd {
    kStopped,     // the stop condition was met
    kPeerClosed,  // orderly close by the peer
    kLimit,       // max_bytes received without meeting the condition
    kTimeout,     // the deadline passed
    kError,       // reset or TLS error; see ReadResult::status
  };
  struct ReadResult {
    ReadEnd end = ReadEnd::kError;
    std::string data;  // everything received, at most max_bytes
    TransportStatus status;
  };

  CurlTcpConnection();
  ~CurlTcpConnection();
  CurlTcpConnection(const CurlTcpConnection&) = delete;
  CurlTcpConnection& operator=(const CurlTcpConnection&) = delete;

  // Connects to "host:port" ("[v6]:port"), with a TLS handshake if `tls`.
  TransportStatus Connect(const std::string& host_port, bool tls, const ConnectOptions& options,
                          SteadyTime deadline);
  // Facts about the connection (also after a failed Connect).
  const ConnectionInfo& info() const { return info_; }

  TransportStatus SendAll(std::string_view data, SteadyTime deadline);

  // Reads until stop(received) is true, the peer closes, max_bytes arrived or the deadline.
  ReadResult ReadUntil(const std::function<bool(std::string_view)>& stop, size_t max_bytes,
                       SteadyTime deadline);

 private:
  TransportStatus Attempt(const std::string& url, const ConnectOptions& options, IpFamily family,
                          SteadyTime deadline);
  // Waits for `events` on the connection's socket: 1 ready, 0 deadline passed, -1 error.
  int Wait(short events, SteadyTime deadline) const;

  std::unique_ptr<CurlEasy> easy_;
  ConnectionInfo info_;
  bool connected_ = false;
};

}  // namespace smoke::clients
