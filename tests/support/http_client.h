#pragma once
// A minimal blocking HTTP client for tests (libcurl), so tests check our endpoints the way a
// scraper or a deploy script would.

#include <string>

namespace smoke::testing {

struct HttpReply {
  long status = 0;  // 0 = transport error
  std::string body;
  std::string headers;  // raw header block
  std::string error;
};

// For https:// URLs: the CA that signed the server's certificate, and an optional client
// certificate and key to present.
struct TlsClientFiles {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

HttpReply HttpGet(const std::string& url);
HttpReply HttpGet(const std::string& url, const TlsClientFiles& tls);
HttpReply HttpPost(const std::string& url, const std::string& body = "");

}  // namespace smoke::testing
