#include "exporter/server/web_config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/config/yaml_tree.h"

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

const std::vector<std::string> kClientAuthTypes = {"NoClientCert", "RequestClientCert",
                                                   "RequireAnyClientCert", "VerifyClientCertIfGiven",
                                                   "RequireAndVerifyClientCert"};
const std::vector<std::string> kTlsVersions = {"TLS10", "TLS11", "TLS12", "TLS13"};

// A file named in tls_server_config: relative to the web config's directory, and readable now,
// so a typo stops the start with the key's position instead of failing every handshake later.
std::optional<std::string> ReadTlsFile(const MapReader& tls, std::string_view key,
                                       const std::string& config_path) {
  std::optional<std::string> name = tls.String(key);
  if (!name) return std::nullopt;
  std::filesystem::path file(*name);
  if (file.is_relative()) file = std::filesystem::path(config_path).parent_path() / file;
  if (!std::ifstream(file)) {
    tls.diag().Error(tls.ValueMark(key), "cannot read " + std::string(key) + " \"" +
                                             file.string() + "\"");
    return std::nullopt;
  }
  return file.string();
}

void ReadTls(const YamlNode& node, const std::string& path, WebConfig& out, Diagnostics& diag) {
  MapReader tls(node, "tls_server_config",
                {"cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version",
                 "max_version", "cipher_suites", "prefer_server_cipher_suites", "cert", "key",
                 "client_ca", "curve_preferences", "client_allowed_sans"},
                diag);
  for (const char* unsupported :
       {"cert", "key", "client_ca", "curve_preferences", "client_allowed_sans"}) {
    if (tls.Has(unsupported)) {
      diag.Error(tls.KeyMark(unsupported),
                 std::string("\"") + unsupported + "\" is not supported by smoke_exporter" +
                     (std::string_view(unsupported).find('_') == std::string_view::npos ||
                              std::string_view(unsupported) == "client_ca"
                          ? std::string(" (use \"") + unsupported + "_file\")"
                          : std::string()));
    }
  }
  WebTlsConfig t;
  if (!tls.Has("cert_file")) diag.Error(tls.mark(), "tls_server_config needs \"cert_file\"");
  if (!tls.Has("key_file")) diag.Error(tls.mark(), "tls_server_config needs \"key_file\"");
  if (auto v = ReadTlsFile(tls, "cert_file", path)) t.cert_file = *v;
  if (auto v = ReadTlsFile(tls, "key_file", path)) t.key_file = *v;
  if (auto v = tls.Enum("client_auth_type", kClientAuthTypes)) t.client_auth_type = *v;
  if (tls.Has("client_ca_file")) {
    if (auto v = ReadTlsFile(tls, "client_ca_file", path)) t.client_ca_file = *v;
  }
  const bool verifies = t.client_auth_type == "VerifyClientCertIfGiven" ||
                        t.client_auth_type == "RequireAndVerifyClientCert";
  if (verifies && !tls.Has("client_ca_file")) {
    diag.Error(tls.KeyMark("client_auth_type"),
               "client_auth_type " + t.client_auth_type + " needs \"client_ca_file\"");
  }
  if (!verifies && tls.Has("client_ca_file")) {
    // exporter-toolkit refuses this too: a CA that verifies nothing is a misunderstanding.
    diag.Error(tls.KeyMark("client_ca_file"),
               "client_ca_file is set but client_auth_type " + t.client_auth_type +
                   " does not verify client certificates (use VerifyClientCertIfGiven or "
                   "RequireAndVerifyClientCert)");
  }
  if (auto v = tls.Enum("min_version", kTlsVersions)) t.min_version = *v;
  if (auto v = tls.Enum("max_version", kTlsVersions)) t.max_version = *v;
  if (!t.max_version.empty() && t.max_version < t.min_version) {
    diag.Error(tls.ValueMark("max_version"), "max_version " + t.max_version +
                                                 " is below min_version " + t.min_version);
  }
  if (const YamlNode* suites = tls.Sequence("cipher_suites")) {
    for (const config::YamlNodePtr& item : suites->items) {
      if (auto name = config::ReadString(*item, "a cipher suite", diag)) {
        t.cipher_suites.push_back(*name);
      }
    }
  }
  if (auto v = tls.Bool("prefer_server_cipher_suites")) t.prefer_server_cipher_suites = *v;
  out.tls = std::move(t);
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
    if (const YamlNode* tls = top.Map("tls_server_config")) ReadTls(*tls, path, out, diag);
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

core::Result<WebConfig> LoadWebConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::Error(path + ": cannot read the web config file");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseWebConfig(text.str(), path);
}

}  // namespace smoke::server
