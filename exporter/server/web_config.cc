#include "exporter/server/web_config.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>

#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/config/yaml_tree.h"
#include "exporter/server/basic_auth.h"

namespace smoke::server {
namespace {

using config::Diagnostics;
using config::MapReader;
using config::YamlNode;

// exporter-toolkit's list: only these may be set from the web config.
const std::vector<std::string> kSettableHeaders = {"Strict-Transport-Security",
                                                   "X-Content-Type-Options", "X-Frame-Options",
                                                   "X-XSS-Protection", "Content-Security-Policy"};

bool IsBcrypt(const std::string& hash) {
  return hash.size() == 60 &&
         (hash.rfind("$2a$", 0) == 0 || hash.rfind("$2b$", 0) == 0 || hash.rfind("$2y$", 0) == 0);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void ReadUsers(const YamlNode& users, WebConfig& out, Diagnostics& diag) {
  if (!config::CheckMap(users, config::Quote("basic_auth_users"), diag)) return;
  for (const config::YamlEntry& e : users.entries) {
    // The hash is not secret, but a mistyped plain password is: never echo the value.
    if (!e.value->IsScalar() || !IsBcrypt(e.value->scalar)) {
      diag.Error(e.value->mark, "the password of user \"" + e.key +
                                    "\" must be a bcrypt hash ($2b$..., e.g. from `htpasswd "
                                    "-nBC 10 USER`), not the password itself");
      continue;
    }
    out.basic_auth_users[e.key] = e.value->scalar;
  }
}

void ReadHeaders(const YamlNode& headers, WebConfig& out, Diagnostics& diag) {
  if (!config::CheckMap(headers, config::Quote("headers"), diag)) return;
  for (const config::YamlEntry& e : headers.entries) {
    auto known =
        std::find_if(kSettableHeaders.begin(), kSettableHeaders.end(),
                     [&name = e.key](const std::string& h) { return Lower(h) == Lower(name); });
    if (known == kSettableHeaders.end()) {
      std::string allowed;
      for (const std::string& h : kSettableHeaders) allowed += (allowed.empty() ? "" : ", ") + h;
      diag.Error(e.key_mark,
                 "header \"" + e.key + "\" cannot be set here (allowed: " + allowed + ")");
      continue;
    }
    std::optional<std::string> value = config::ReadString(*e.value, config::Quote(e.key), diag);
    if (value) out.headers.emplace_back(*known, *value);
  }
}

}  // namespace

core::Result<WebConfig> ParseWebConfig(const std::string& text, const std::string& path) {
  Diagnostics diag(path);
  config::YamlParseOptions how;
  how.subject = "web config";
  config::YamlNodePtr root = config::ParseYamlWith(text, how, diag);
  WebConfig out;
  if (root != nullptr && !root->IsNull() && config::CheckMap(*root, "the web config file", diag)) {
    MapReader top(*root, "the web config file",
                  {"basic_auth_users", "http_server_config", "tls_server_config"}, diag);
    if (top.Has("tls_server_config")) {
      diag.Error(top.KeyMark("tls_server_config"),
                 "tls_server_config is not supported yet: serve TLS from a proxy in front of the "
                 "exporter, or leave this key out");
    }
    if (const YamlNode* users = top.Get("basic_auth_users")) ReadUsers(*users, out, diag);
    if (const YamlNode* server = top.Map("http_server_config")) {
      MapReader http(*server, "http_server_config", {"headers", "http2"}, diag);
      (void)http.Bool("http2");  // accepted for compatibility; CivetWeb serves HTTP/1.1
      if (const YamlNode* headers = http.Get("headers")) ReadHeaders(*headers, out, diag);
    }
  }
  if (diag.has_errors()) return core::Status::Error(diag.FormatErrors());
  return out;
}

void ApplyWebConfig(const WebConfig& config, HttpServerOptions& options) {
  options.headers = config.headers;
  if (config.basic_auth_users.empty()) return;
  auto auth = std::make_shared<const BasicAuth>(config.basic_auth_users);
  options.guard = [auth](const HttpRequest& req) -> std::optional<HttpResponse> {
    if (auth->Check(req.Header("authorization"))) return std::nullopt;
    HttpResponse refusal = HttpResponse::Text(401, "Unauthorized\n");
    refusal.headers.emplace_back("WWW-Authenticate", "Basic realm=\"smoke_exporter\"");
    return refusal;
  };
}

core::Result<WebConfig> LoadWebConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::Error(path + ": cannot read the web config file");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseWebConfig(text.str(), path);
}

}  // namespace smoke::server
