#pragma once
// Plain HTTP requests from a benchmark to its peer (a Prometheus on loopback), through the
// project's own libcurl client.
// Thread-safety: reentrant.

#include <chrono>
#include <string>

#include "exporter/core/status.h"

namespace smoke::bench {

// The body of a 2xx answer, or an error naming the URL, the status and the start of the body.
core::Result<std::string> HttpGet(const std::string& url,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(30));
core::Result<std::string> HttpPost(const std::string& url, const std::string& body = "",
                                   std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Percent-encodes a query parameter value.
std::string UrlEncode(const std::string& value);

}  // namespace smoke::bench
