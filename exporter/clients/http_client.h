#pragma once
// One HTTP(S) request through libcurl, returned as plain data: classified transport error,
// status, headers, body (capped), connection facts, timings and the certificate expiry.
// Every request uses a fresh connection so that each probe measures DNS, connect and TLS.
// Thread-safety: CurlHttpClient is stateless; Execute may be called concurrently.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/clients/transport.h"
#include "exporter/core/status.h"

namespace smoke::clients {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string url;
  std::string method = "GET";
  HeaderList headers;  // sent as given; a "Host" or "User-Agent" here replaces libcurl's
  std::string body;    // sent when non-empty (or when the method is POST/PUT/PATCH)
  // Basic auth (username, password); sent only to the original host, not after a redirect to
  // another host.
  std::optional<std::pair<std::string, std::string>> basic_auth;
  std::string bearer_token;  // non-empty: "Authorization: Bearer ..." (same redirect rule)
  ConnectOptions connect;
  bool follow_redirects = true;
  int max_redirects = 10;
  // Bodies longer than this fail with kBodyTooLarge; <= 0 means no limit.
  int64_t body_limit = 0;
};

struct HttpResponse {
  TransportStatus status;  // kNone when a complete response was received
  int status_code = 0;     // of the final response; 0 if none arrived (also kept on late errors)
  HeaderList headers;      // of the final response, every value, in order received
  std::string body;        // at most body_limit bytes
  bool body_truncated = false;
  int64_t content_length = -1;  // Content-Length of the final response; -1 if absent
  int redirect_count = 0;
  std::string http_version;   // "1.0", "1.1", "2", "3"; "" if no response
  std::string effective_url;  // the URL of the final request (after redirects)
  ConnectionInfo connection;
};

class CurlHttpClient {
 public:
  // Whether `url` is an absolute http(s) URL libcurl accepts, and tls.server_name can stand in
  // for its host. For checking a probe's target once, at construction.
  static core::Status CheckUrl(const std::string& url, const TlsOptions& tls);

  // Performs `request`, giving up at `deadline` (connect and total timeout are the time left).
  HttpResponse Execute(const HttpRequest& request, SteadyTime deadline) const;
};

}  // namespace smoke::clients
