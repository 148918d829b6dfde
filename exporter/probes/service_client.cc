#include "exporter/probes/service_client.h"

#include <utility>

#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {
namespace {

std::string Describe(const std::string& what, const core::Secret& secret) {
  return what + " " + secret.Redacted() + " is unavailable" +
         (secret.error().empty() ? "" : ": " + secret.error());
}

std::vector<std::string> SecretValues(const config::HttpSpec& http) {
  std::vector<std::string> values;
  if (http.basic_auth) values.push_back(http.basic_auth->password.value());
  if (http.bearer_token) values.push_back(http.bearer_token->value());
  for (const config::Header& h : http.headers) {
    if (h.secret) values.push_back(h.secret->value());
  }
  return values;
}

}  // namespace

core::Result<ServiceClient> ServiceClient::Create(const config::ProbeSpec& spec) {
  const std::string where = "probe \"" + spec.name + "\": ";
  core::Result<clients::ConnectOptions> connect =
      MakeConnectOptions(spec.http.tls, spec.http.ip_protocol, spec.http.ip_protocol_fallback);
  if (!connect.ok()) return core::Status::Error(where + connect.status().message());
  if (core::Status s = clients::CurlHttpClient::CheckUrl(spec.target, connect->tls); !s.ok()) {
    return core::Status::Error(where + s.message());
  }
  if (spec.http.basic_auth && spec.http.bearer_token) {
    return core::Status::Error(where + "basic_auth and bearer_token are mutually exclusive");
  }
  return ServiceClient(spec, std::move(connect).value());
}

ServiceClient::ServiceClient(config::ProbeSpec spec, clients::ConnectOptions connect)
    : spec_(std::move(spec)), connect_(std::move(connect)), masker_(SecretValues(spec_.http)) {
  base_ = spec_.target;
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
  for (const config::Header& h : spec_.http.headers) {
    if (h.secret) secret_header_names_.push_back(h.name);
  }
}

std::string ServiceClient::MissingSecret() const {
  const config::HttpSpec& http = spec_.http;
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

std::string ServiceClient::Url(std::string_view path_and_query) const {
  if (path_and_query.empty()) return spec_.target;  // the target itself, e.g. /metrics/
  return base_ + std::string(path_and_query);
}

clients::HttpRequest ServiceClient::BaseRequest(std::string_view path_and_query) const {
  const config::HttpSpec& http = spec_.http;
  clients::HttpRequest request;
  request.url = Url(path_and_query);
  for (const config::Header& h : http.headers) {
    request.headers.emplace_back(h.name, h.secret ? h.secret->value() : h.value);
  }
  if (http.basic_auth) {
    request.basic_auth.emplace(http.basic_auth->username, http.basic_auth->password.value());
  }
  if (http.bearer_token) request.bearer_token = http.bearer_token->value();
  request.connect = connect_;
  request.follow_redirects = http.follow_redirects;
  request.max_redirects = http.max_redirects;
  request.body_limit = http.body_size_limit;
  return request;
}

clients::HttpResponse ServiceClient::Get(std::string_view path_and_query,
                                         clients::SteadyTime deadline,
                                         const std::string& accept) const {
  clients::HttpRequest request = BaseRequest(path_and_query);
  request.method = "GET";
  bool has_accept = false;
  for (const auto& [name, value] : request.headers) {
    has_accept = has_accept || EqualsIgnoreCase(name, "Accept");
  }
  if (!has_accept && !accept.empty()) request.headers.emplace_back("Accept", accept);
  return client_.Execute(request, deadline);
}

clients::HttpResponse ServiceClient::PostJson(std::string_view path, std::string body,
                                              clients::SteadyTime deadline) const {
  clients::HttpRequest request = BaseRequest(path);
  request.method = "POST";
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);
  return client_.Execute(request, deadline);
}

}  // namespace smoke::probes
