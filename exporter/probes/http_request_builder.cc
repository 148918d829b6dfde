#include "exporter/probes/http_request_builder.h"

namespace smoke::probes {
namespace {

std::string Describe(const std::string& what, const core::Secret& secret) {
  return what + " " + secret.Redacted() + " is unavailable" +
         (secret.error().empty() ? "" : ": " + secret.error());
}

}  // namespace

clients::HttpRequest BuildHttpRequest(const config::HttpSpec& http, const std::string& url,
                                      const clients::ConnectOptions& connect,
                                      bool with_credentials) {
  clients::HttpRequest request;
  request.url = url;
  request.method = http.method.empty() ? "GET" : http.method;
  for (const config::Header& h : http.headers) {
    if (h.secret && !with_credentials) continue;
    request.headers.emplace_back(h.name, h.secret ? h.secret->value() : h.value);
  }
  request.body = http.body;
  if (http.basic_auth && with_credentials) {
    request.basic_auth.emplace(http.basic_auth->username, http.basic_auth->password.value());
  }
  if (http.bearer_token && with_credentials) request.bearer_token = http.bearer_token->value();
  request.connect = connect;
  request.follow_redirects = http.follow_redirects;
  request.max_redirects = http.max_redirects;
  request.body_limit = http.body_size_limit;
  return request;
}

std::string MissingHttpSecret(const config::HttpSpec& http) {
  if (http.basic_auth && http.basic_auth->password.configured() &&
      !http.basic_auth->password.present()) {
    return Describe("basic_auth password", http.basic_auth->password);
  }
  if (http.bearer_token && !http.bearer_token->present()) {
    return Describe("bearer_token", *http.bearer_token);
  }
  for (const config::Header& h : http.headers) {
    if (h.secret && !h.secret->present()) return Describe("header " + h.name, *h.secret);
  }
  return "";
}

std::vector<std::string> HttpSecretValues(const config::HttpSpec& http) {
  std::vector<std::string> values;
  if (http.basic_auth) values.push_back(http.basic_auth->password.value());
  if (http.bearer_token) values.push_back(http.bearer_token->value());
  for (const config::Header& h : http.headers) {
    if (h.secret) values.push_back(h.secret->value());
  }
  return values;
}

std::vector<std::string> SecretHeaderNames(const config::HttpSpec& http) {
  std::vector<std::string> names;
  for (const config::Header& h : http.headers) {
    if (h.secret) names.push_back(h.name);
  }
  return names;
}

}  // namespace smoke::probes
