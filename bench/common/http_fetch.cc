#include "bench/common/http_fetch.h"

#include <cctype>
#include <cstdio>

#include "exporter/clients/http_client.h"

namespace smoke::bench {
namespace {

core::Result<std::string> Fetch(const std::string& method, const std::string& url,
                                const std::string& body, std::chrono::milliseconds timeout) {
  clients::HttpRequest req;
  req.url = url;
  req.method = method;
  req.body = body;
  if (method == "POST") req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  clients::HttpResponse resp =
      clients::CurlHttpClient().Execute(req, std::chrono::steady_clock::now() + timeout);
  if (!resp.status.ok()) {
    return core::Status::Error(method + " " + url + ": " + resp.status.message);
  }
  if (resp.status_code / 100 != 2) {
    return core::Status::Error(method + " " + url + ": HTTP " + std::to_string(resp.status_code) +
                               ": " + resp.body.substr(0, 300));
  }
  return std::move(resp.body);
}

}  // namespace

core::Result<std::string> HttpGet(const std::string& url, std::chrono::milliseconds timeout) {
  return Fetch("GET", url, "", timeout);
}

core::Result<std::string> HttpPost(const std::string& url, const std::string& body,
                                   std::chrono::milliseconds timeout) {
  return Fetch("POST", url, body, timeout);
}

std::string UrlEncode(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out.append(buf);
    }
  }
  return out;
}

}  // namespace smoke::bench
