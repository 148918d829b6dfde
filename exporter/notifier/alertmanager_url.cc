#include "exporter/notifier/alertmanager_url.h"

#include "exporter/clients/http_client.h"

namespace smoke::notifier {

core::Result<std::string> AlertsEndpoint(const std::string& url) {
  const size_t scheme_end = url.find("://");
  const size_t authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const size_t authority_end = url.find_first_of("/?#", authority_start);
  const std::string authority = url.substr(authority_start, authority_end - authority_start);
  if (authority.find('@') != std::string::npos) {
    // Show the URL with its userinfo cut out, so the error can be logged safely.
    const std::string shown = url.substr(0, authority_start) +
                              authority.substr(authority.rfind('@') + 1) +
                              (authority_end == std::string::npos ? "" : url.substr(authority_end));
    return core::Status::Error("alertmanager url \"" + shown +
                               "\" must not contain credentials; use basic_auth or bearer_token");
  }
  if (url.find_first_of("?#") != std::string::npos) {
    return core::Status::Error("alertmanager url \"" + url +
                               "\" must not have a query or fragment; give the base URL with an "
                               "optional path prefix");
  }
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return core::Status::Error("alertmanager url \"" + url +
                               "\" must start with http:// or https://");
  }
  if (authority.empty()) {
    return core::Status::Error("alertmanager url \"" + url + "\" has no host");
  }
  if (core::Status checked = clients::CurlHttpClient::CheckUrl(url, {}); !checked.ok()) {
    return core::Status::Error("alertmanager url \"" + url + "\" is not a valid URL");
  }
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v2/alerts";
}

}  // namespace smoke::notifier
