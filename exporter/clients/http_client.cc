#include "exporter/clients/http_client.h"

#include <string>
#include <string_view>
#include <vector>

#include "exporter/clients/curl_easy.h"

namespace smoke::clients {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// State shared with libcurl's callbacks for one transfer.
struct Sink {
  HttpResponse* response;
  int64_t limit;
  bool too_large = false;
};

// Enforces the body limit here rather than with CURLOPT_MAXFILESIZE, which only sees
// Content-Length: a chunked or close-delimited body must be cut off just the same.
size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t len = size * count;
  std::string& body = sink->response->body;
  if (sink->limit > 0 && static_cast<int64_t>(body.size() + len) > sink->limit) {
    body.append(data, static_cast<size_t>(sink->limit) - body.size());
    sink->too_large = true;
    sink->response->body_truncated = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR), reported as kBodyTooLarge
  }
  body.append(data, len);
  return len;
}

// libcurl passes every header line of every response (redirects, 100 Continue) one at a time;
// a status line starts a new response, so only the final one's headers survive.
size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t len = size * count;
  std::string_view line(data, len);
  HeaderList& headers = sink->response->headers;
  if (line.substr(0, 5) == "HTTP/") {
    headers.clear();
    sink->response->body.clear();
    return len;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    if (!headers.empty()) {  // obsolete line folding: continues the previous value
      headers.back().second += " ";
      headers.back().second += Trim(line);
    }
    return len;
  }
  line = Trim(line);
  const size_t colon = line.find(':');
  if (line.empty() || colon == std::string_view::npos) return len;
  headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                       std::string(Trim(line.substr(colon + 1))));
  return len;
}

std::string HttpVersionName(long version) {
  switch (version) {
    case CURL_HTTP_VERSION_1_0:
      return "1.0";
    case CURL_HTTP_VERSION_1_1:
      return "1.1";
    case CURL_HTTP_VERSION_2_0:
      return "2";
    case CURL_HTTP_VERSION_3:
      return "3";
    default:
      return "";
  }
}

HttpResponse Attempt(const HttpRequest& request, IpFamily family, SteadyTime deadline) {
  HttpResponse response;
  CurlEasy easy;
  ServerNameRoute route;
  response.status = easy.Configure(request.url, request.connect, family, deadline, &route);
  if (!response.status.ok()) return response;
  CURL* h = easy.get();

  std::vector<std::string> lines;
  bool has_host = false;
  for (const auto& [name, value] : request.headers) {
    has_host = has_host || EqualsIgnoreCase(name, "Host");
    // "Name;" is libcurl's spelling for a header with an empty value.
    lines.push_back(value.empty() ? name + ";" : name + ": " + value);
  }
  if (!route.host_header.empty() && !has_host) lines.push_back(route.host_header);
  // No "Expect: 100-continue" round trip: it would add up to a second to large POSTs.
  lines.push_back("Expect:");
  easy.SetList(CURLOPT_HTTPHEADER, lines);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "smoke_exporter");
  // Each request measures its own lookup and connect, also when it runs in a CurlLoop, whose
  // multi handle would otherwise share connections and DNS answers between probes.
  curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(h, CURLOPT_DNS_CACHE_TIMEOUT, 0L);

  const std::string& method = request.method;
  if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (method == "GET" && request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
    }
    // Plain POST keeps libcurl's browser-like switch to GET on 301/302/303.
    if (method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  if (request.basic_auth) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(h, CURLOPT_USERNAME, request.basic_auth->first.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, request.basic_auth->second.c_str());
  } else if (!request.bearer_token.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BEARER));
    curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, request.bearer_token.c_str());
  }
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(request.max_redirects));

  Sink sink{&response, request.body_limit};
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);

  response.status = easy.Perform();
  if (sink.too_large) {
    response.status = {
        TransportError::kBodyTooLarge,
        "response body exceeds the limit of " + std::to_string(request.body_limit) + " bytes", 0};
  }

  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  response.status_code = static_cast<int>(code);
  curl_off_t length = -1;
  curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  response.content_length = length;
  long redirects = 0;
  curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
  response.redirect_count = static_cast<int>(redirects);
  long version = 0;
  curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &version);
  response.http_version = code != 0 ? HttpVersionName(version) : "";
  char* effective = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    response.effective_url = effective;
  }
  response.connection = easy.Info();
  return response;
}

}  // namespace

core::Status CurlHttpClient::CheckUrl(const std::string& url, const TlsOptions& tls) {
  const size_t colon = url.find("://");
  const std::string scheme = colon == std::string::npos ? "" : url.substr(0, colon);
  if (!EqualsIgnoreCase(scheme, "http") && !EqualsIgnoreCase(scheme, "https")) {
    return core::Status::Error("target \"" + url + "\" is not an http:// or https:// URL");
  }
  EnsureCurlGlobalInit();
  core::Result<ServerNameRoute> route = RouteToServerName(url, tls.server_name);
  return route.ok() ? core::Status::Ok() : route.status();
}

HttpResponse CurlHttpClient::Execute(const HttpRequest& request, SteadyTime deadline) const {
  const IpFamily family = request.connect.ip_family;
  HttpResponse response = Attempt(request, family, deadline);
  if (response.status.error == TransportError::kDns && family != IpFamily::kAny &&
      request.connect.ip_fallback) {
    // Like blackbox_exporter's ip_protocol_fallback: the preferred family had no address.
    const double spent = response.connection.timings.total;
    response = Attempt(request, IpFamily::kAny, deadline);
    ShiftTimings(response.connection.timings, spent);
  }
  return response;
}

}  // namespace smoke::clients
