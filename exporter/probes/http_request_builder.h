#pragma once
// The request an `http:` block describes (method, headers, body, basic auth or bearer token,
// redirects, body limit), shared by the http probe and the burst probe so both send exactly the
// same thing for the same config; plus the secret bookkeeping around it.
// Thread-safety: pure functions.

#include <string>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/config/config.h"

namespace smoke::probes {

// `with_credentials` false leaves out basic auth, the bearer token and every header whose value
// is a secret (contracts that test the request without them).
clients::HttpRequest BuildHttpRequest(const config::HttpSpec& http, const std::string& url,
                                      const clients::ConnectOptions& connect,
                                      bool with_credentials);

// The first configured secret that could not be read, described for people ("bearer_token
// <secret from env:API_TOKEN> is unavailable: ..."); "" if all are present.
std::string MissingHttpSecret(const config::HttpSpec& http);

// Every configured secret value (for a SecretMasker) and the names of headers sent with one.
std::vector<std::string> HttpSecretValues(const config::HttpSpec& http);
std::vector<std::string> SecretHeaderNames(const config::HttpSpec& http);

}  // namespace smoke::probes
