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

HttpReply HttpGet(const std::string& url);
HttpReply HttpPost(const std::string& url, const std::string& body = "");

}  // namespace smoke::testing
