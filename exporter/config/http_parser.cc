#include "exporter/config/http_parser.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "exporter/config/assertion_parser.h"
#include "exporter/config/byte_size.h"
#include "exporter/config/contract_parser.h"
#include "exporter/config/did_you_mean.h"
#include "exporter/config/tls_parser.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

const std::vector<std::string> kMethods = {"DELETE", "GET",  "HEAD", "OPTIONS",
                                           "PATCH",  "POST", "PUT"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 9110 token characters.
bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

void ParseMethod(const MapReader& map, HttpSpec& spec) {
  const YamlNode* node = map.Get("method");
  if (node == nullptr) return;
  std::optional<std::string> method = ReadString(*node, Quote("method"), map.diag());
  if (!method) return;
  std::string upper = *method;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (std::find(kMethods.begin(), kMethods.end(), upper) == kMethods.end()) {
    map.diag().Error(node->mark, "invalid value " + node->Describe() +
                                     " for \"method\" (expected one of: " + JoinNames(kMethods) +
                                     ")");
    return;
  }
  spec.method = upper;
}

void ParseHeaders(const YamlNode& node, HttpSpec& spec, ParseContext& ctx) {
  if (!CheckMap(node, Quote("headers"), ctx.diag)) return;
  std::map<std::string, int> seen;  // lower-cased name -> line
  for (const YamlEntry& e : node.entries) {
    if (!IsValidHeaderName(e.key)) {
      ctx.diag.Error(e.key_mark, "invalid header name " + Quote(e.key));
      continue;
    }
    auto [it, inserted] = seen.emplace(Lower(e.key), e.key_mark.line);
    if (!inserted) {
      ctx.diag.Error(e.key_mark, "duplicate header " + Quote(e.key) + " (first defined on line " +
                                     std::to_string(it->second) +
                                     "; header names are case-insensitive)");
      continue;
    }
    Header header;
    header.name = e.key;
    const YamlNode& value = *e.value;
    if (value.IsMap()) {
      MapReader secret_map(value, "header " + Quote(e.key), {"value_env", "value_file"}, ctx.diag,
                           {{"value",
                             "write a plain value directly after the header name, or "
                             "read a secret with value_file or value_env"}});
      header.secret = ReadSecretPair(secret_map, "value", ctx);
      if (!secret_map.Has("value_file") && !secret_map.Has("value_env") &&
          !secret_map.Has("value")) {
        ctx.diag.Error(value.mark, "header " + Quote(e.key) + " needs value_file or value_env");
      }
    } else {
      std::optional<std::string> text = ReadString(value, "header " + Quote(e.key), ctx.diag);
      if (!text) continue;
      if (IsCredentialHeader(e.key)) {
        // The value is not repeated: it is the credential.
        ctx.diag.Error(value.mark, "header " + Quote(e.key) +
                                       " carries a credential: use value_file or value_env");
        continue;
      }
      header.value = *text;
    }
    spec.headers.push_back(std::move(header));
  }
}

void ParseBasicAuth(const YamlNode& node, HttpSpec& spec, ParseContext& ctx) {
  spec.basic_auth = ParseBasicAuthBlock(node, ctx);
}

void AddDefaultStatus(HttpSpec& spec, const SourcePos& pos) {
  const bool has_status =
      std::any_of(spec.assertions.begin(), spec.assertions.end(),
                  [](const Assertion& a) { return a.kind == Assertion::Kind::kStatus; });
  if (has_status) return;
  Assertion status;
  status.kind = Assertion::Kind::kStatus;
  status.severity = core::Severity::kFail;
  status.status_ranges = {{200, 299}};
  status.pos = pos;
  const bool name_taken = std::any_of(spec.assertions.begin(), spec.assertions.end(),
                                      [](const Assertion& a) { return a.name == "status"; });
  status.name = name_taken ? "status_2xx" : "status";
  spec.assertions.push_back(std::move(status));
}

}  // namespace

bool IsCredentialHeader(std::string_view name) {
  const std::string lower = Lower(name);
  if (lower == "authorization" || lower == "proxy-authorization" || lower == "cookie") {
    return true;
  }
  for (std::string_view word : {"token", "secret", "password", "api-key", "apikey", "api_key"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

HttpSpec ParseHttpSpec(const YamlNode* node, const SourcePos& default_pos, ParseContext& ctx) {
  HttpSpec spec;
  if (node != nullptr && CheckMap(*node, Quote("http"), ctx.diag) && node->IsMap()) {
    const std::string inline_token =
        "secrets are read from bearer_token_file or bearer_token_env, never inline";
    MapReader map(*node, "http",
                  {"assertions", "basic_auth", "bearer_token_env", "bearer_token_file", "body",
                   "body_size_limit", "contract", "follow_redirects", "headers", "ip_protocol",
                   "ip_protocol_fallback", "max_redirects", "method", "tls"},
                  ctx.diag, {{"bearer_token", inline_token}});
    ParseMethod(map, spec);
    if (const YamlNode* headers = map.Get("headers")) ParseHeaders(*headers, spec, ctx);
    spec.body = map.String("body").value_or("");
    if (const YamlNode* auth = map.Get("basic_auth")) ParseBasicAuth(*auth, spec, ctx);
    spec.bearer_token = ReadSecretPair(map, "bearer_token", ctx);
    if (spec.bearer_token && map.Has("basic_auth")) {
      const std::string key =
          map.Has("bearer_token_file") ? "bearer_token_file" : "bearer_token_env";
      ctx.diag.Error(map.KeyMark(key), Quote(key) +
                                           " cannot be combined with \"basic_auth\"; use one "
                                           "authentication method");
    }
    if (const YamlNode* tls = map.Get("tls")) spec.tls = ParseTls(*tls, "tls", ctx);
    spec.follow_redirects = map.Bool("follow_redirects").value_or(spec.follow_redirects);
    if (std::optional<int64_t> max = map.Int("max_redirects")) {
      if (*max < 0 || *max > 1000) {
        ctx.diag.Error(map.ValueMark("max_redirects"),
                       "\"max_redirects\" must be between 0 and 1000, got " + std::to_string(*max));
      } else {
        spec.max_redirects = static_cast<int>(*max);
      }
    }
    if (std::optional<std::string> ip = map.Enum("ip_protocol", {"any", "ip4", "ip6"})) {
      spec.ip_protocol = *ip == "ip4"   ? IpProtocol::kIp4
                         : *ip == "ip6" ? IpProtocol::kIp6
                                        : IpProtocol::kAny;
    }
    spec.ip_protocol_fallback =
        map.Bool("ip_protocol_fallback").value_or(spec.ip_protocol_fallback);
    if (const YamlNode* limit = map.Get("body_size_limit")) {
      spec.body_size_limit =
          ReadByteSize(*limit, Quote("body_size_limit"), ctx.diag).value_or(spec.body_size_limit);
    }
    if (const YamlNode* assertions = map.Get("assertions")) {
      spec.assertions = ParseAssertions(*assertions, AssertionScope::kHttp, ctx.diag);
    }
    if (const YamlNode* contract = map.Get("contract")) {
      spec.contract = ParseContract(*contract, ctx.diag);
      if (spec.contract) CheckAssertionsAgainstContract(*spec.contract, spec.assertions, ctx.diag);
    }
  }
  // A contract sets its own status expectation (or, for security_headers, deliberately none).
  if (!spec.contract) AddDefaultStatus(spec, default_pos);
  return spec;
}

std::optional<BasicAuth> ParseBasicAuthBlock(const YamlNode& node, ParseContext& ctx) {
  if (!CheckMap(node, Quote("basic_auth"), ctx.diag) || node.IsNull()) return std::nullopt;
  MapReader map(node, "basic_auth", {"password_env", "password_file", "username"}, ctx.diag,
                {{"password",
                  "secrets are read from password_file or password_env, never "
                  "inline"}});
  BasicAuth auth;
  if (!map.Has("username")) {
    ctx.diag.Error(node.mark, "missing required key \"username\" in basic_auth");
  }
  auth.username = map.String("username").value_or("");
  std::optional<core::Secret> password = ReadSecretPair(map, "password", ctx);
  if (password) {
    auth.password = std::move(*password);
  } else if (!map.Has("password_file") && !map.Has("password_env") && !map.Has("password")) {
    ctx.diag.Error(node.mark, "basic_auth needs password_file or password_env");
  }
  return auth;
}

}  // namespace smoke::config
