#pragma once
// An HTTP client bound to one service's base URL (Prometheus, Alertmanager, Grafana, Jaeger) and
// to the transport settings of the probe's `http:` block: headers, basic auth or bearer token,
// TLS, redirects, IP family, body size limit. The monitoring-stack probes make several requests
// per run through it; each request uses a fresh connection (clients/http_client.h).
// Thread-safety: immutable after Create; requests may be made concurrently.

#include <string>
#include <string_view>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/config/config.h"
#include "exporter/core/status.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {

class ServiceClient {
 public:
  // Fails for a URL libcurl cannot use, an unsupported TLS setting, or both basic_auth and
  // bearer_token set. `spec.target` is the base URL.
  static core::Result<ServiceClient> Create(const config::ProbeSpec& spec);

  // The first configured secret that could not be read, described for people ("bearer_token
  // <secret from env:X> is unavailable: ..."); "" when all are present.
  std::string MissingSecret() const;

  // base URL + `path_and_query` (which starts with '/'); a trailing '/' of the base is dropped.
  // An empty `path_and_query` is the target exactly as configured.
  std::string Url(std::string_view path_and_query) const;

  clients::HttpResponse Get(std::string_view path_and_query, clients::SteadyTime deadline,
                            const std::string& accept = "application/json") const;
  clients::HttpResponse PostJson(std::string_view path, std::string body,
                                 clients::SteadyTime deadline) const;

  // Masks every configured secret value; use it on anything taken from a response.
  const SecretMasker& masker() const { return masker_; }
  // Names of headers sent with a secret value, redacted if the service echoes them.
  const std::vector<std::string>& secret_header_names() const { return secret_header_names_; }

 private:
  ServiceClient(config::ProbeSpec spec, clients::ConnectOptions connect);
  clients::HttpRequest BaseRequest(std::string_view path_and_query) const;

  config::ProbeSpec spec_;
  std::string base_;
  clients::ConnectOptions connect_;
  SecretMasker masker_;
  std::vector<std::string> secret_header_names_;
  clients::CurlHttpClient client_;
};

}  // namespace smoke::probes
