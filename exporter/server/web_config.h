#pragma once
// The web config file (--web.config.file), in the format of Prometheus's exporter-toolkit so one
// file can serve both: TLS for our listener (tls_server_config), who may use our endpoints
// (basic_auth_users: user -> bcrypt hash) and the response headers of http_server_config.headers.
// Parsed strictly: unknown keys, hashes that are not bcrypt, headers outside exporter-toolkit's
// list and TLS settings we cannot honour are errors with file:line:col.
// Thread-safety: a loaded WebConfig is immutable.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/status.h"

namespace smoke::server {

// tls_server_config. File paths are resolved against the web config file's directory, as
// exporter-toolkit does.
struct WebTlsConfig {
  std::string cert_file;
  std::string key_file;
  // NoClientCert | RequestClientCert | RequireAnyClientCert | VerifyClientCertIfGiven |
  // RequireAndVerifyClientCert (Go's tls.ClientAuthType names).
  std::string client_auth_type = "NoClientCert";
  std::string client_ca_file;
  std::string min_version = "TLS12";  // TLS10 | TLS11 | TLS12 | TLS13
  std::string max_version;            // "" = the highest the library supports
  std::vector<std::string> cipher_suites;  // IANA/Go names; empty = the library's defaults
  bool prefer_server_cipher_suites = true;

  bool operator==(const WebTlsConfig&) const = default;
};

struct WebConfig {
  std::optional<WebTlsConfig> tls;
  std::map<std::string, std::string> basic_auth_users;       // user -> bcrypt hash
  std::vector<std::pair<std::string, std::string>> headers;  // replace our defaults by name
};

core::Result<WebConfig> ParseWebConfig(const std::string& text, const std::string& path);
core::Result<WebConfig> LoadWebConfigFile(const std::string& path);

}  // namespace smoke::server
