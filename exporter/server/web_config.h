#pragma once
// The web config file (--web.config.file), in the format of Prometheus's exporter-toolkit so one
// file can serve both: who may use our endpoints (basic_auth_users: user -> bcrypt hash) and the
// response headers of http_server_config.headers. Parsed strictly: unknown keys, hashes that are
// not bcrypt and headers outside exporter-toolkit's list are errors with file:line:col.
// tls_server_config is rejected with an explanation: this build does not serve TLS yet.
// Thread-safety: a loaded WebConfig is immutable.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/server/http_server.h"

namespace smoke::server {

struct WebConfig {
  std::map<std::string, std::string> basic_auth_users;       // user -> bcrypt hash
  std::vector<std::pair<std::string, std::string>> headers;  // replace our defaults by name
};

core::Result<WebConfig> ParseWebConfig(const std::string& text, const std::string& path);
core::Result<WebConfig> LoadWebConfigFile(const std::string& path);

// Makes `options` enforce `config`: with users, every request needs their basic auth (else 401
// with WWW-Authenticate, as exporter-toolkit answers); the headers replace our defaults.
void ApplyWebConfig(const WebConfig& config, HttpServerOptions& options);

}  // namespace smoke::server
