#pragma once
// RAII over one libcurl easy handle plus the connection settings shared by HTTP requests and TCP
// connections (timeouts, IP family, TLS, server-name routing, proxy off). Internal to
// exporter/clients: together with the clients' .cc files these are the only places that include
// curl.h, so no curl type leaks into probes.
// Thread-safety: a CurlEasy is used by one thread at a time; distinct handles are independent
// (libcurl is initialised once, process-wide, before the first handle is created).

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/clients/transport.h"
#include "exporter/core/status.h"

namespace smoke::clients {

// curl_global_init, exactly once per process (std::call_once).
void EnsureCurlGlobalInit();

// ASCII case-insensitive comparison (header names, schemes, host names).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The same request aimed at `server_name` for TLS (SNI + certificate verification) while the TCP
// connection still goes to the URL's host. libcurl has no separate SNI option, so the URL's host
// is replaced by server_name and CURLOPT_CONNECT_TO maps server_name:port back to the original
// host:port; for HTTP the original Host header is sent explicitly so the request is unchanged.
struct ServerNameRoute {
  std::string url;          // URL with server_name as host
  std::string connect_to;   // "server_name:port:orig_host:port" for CURLOPT_CONNECT_TO
  std::string host_header;  // "Host: orig_host[:port]"
};
// Fails for a URL libcurl cannot parse. Returns a route with empty connect_to when server_name is
// empty or already the URL's host (nothing to reroute).
core::Result<ServerNameRoute> RouteToServerName(const std::string& url,
                                                const std::string& server_name);

// Adds `seconds` to every step that was reached (and to total): used when a fallback attempt
// follows a failed one, so phases still add up to the time really spent.
void ShiftTimings(Timings& timings, double seconds);

class CurlEasy {
 public:
  CurlEasy();
  ~CurlEasy();
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  CURL* get() const { return handle_; }
  bool valid() const { return handle_ != nullptr; }

  // Everything about reaching the peer: no signals, no proxy from the environment, the time left
  // until `deadline` as connect and total timeout, IP family, TLS options, certificate chain
  // capture and, if tls.server_name differs from the URL host, the CONNECT_TO reroute (url is
  // rewritten; route->host_header must then be sent by HTTP callers). Returns an error status
  // (kTimeout if the deadline already passed, kInternal for a rejected option).
  TransportStatus Configure(const std::string& url, const ConnectOptions& options, IpFamily family,
                            SteadyTime deadline, ServerNameRoute* route);

  // Keeps `lines` alive for the transfer and sets them as option `opt` (a curl_slist option).
  void SetList(CURLoption opt, const std::vector<std::string>& lines);

  // Runs curl_easy_perform and classifies the outcome.
  TransportStatus Perform();
  // Classifies `code` (from Perform or curl_easy_recv/send); reads CURLINFO_OS_ERRNO.
  TransportStatus Classify(CURLcode code) const;

  // Connection facts after a transfer (also after a failed one).
  ConnectionInfo Info() const;

 private:
  static int DebugCallback(CURL* handle, curl_infotype type, char* data, size_t size, void* self);
  static curl_socket_t OpenSocket(void* self, curlsocktype purpose, curl_sockaddr* address);

  CURL* handle_ = nullptr;
  char error_[CURL_ERROR_SIZE] = {};
  std::vector<std::unique_ptr<curl_slist, void (*)(curl_slist*)>> lists_;
  // The address of the last connect attempt: libcurl leaves CURLINFO_PRIMARY_IP empty when the
  // connect fails, yet "which address refused" is the first thing a person asks.
  std::string attempted_ip_;
  int attempted_port_ = 0;
  IpFamily family_ = IpFamily::kAny;
  std::string tls_version_;
  std::string tls_cipher_;
};

}  // namespace smoke::clients
