#include "exporter/config/postgres_target.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <vector>

#include "exporter/config/did_you_mean.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

const std::vector<std::string> kSslModesList = {"disable", "allow",     "prefer",
                                                "require", "verify-ca", "verify-full"};
const std::vector<std::string> kUrlParams = {"application_name", "sslmode", "sslrootcert"};
constexpr std::string_view kNoPasswordInUrl =
    "postgres target URL must not contain a password; use password_file or password_env in the "
    "postgres block";

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= s.size()) return std::nullopt;
    auto [ptr, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, value, 16);
    if (ec != std::errc() || ptr != s.data() + i + 3) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

bool IsValidPort(std::string_view port, int& value) {
  if (port.empty() || port.size() > 5) return false;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && ptr == port.data() + port.size() && value >= 1 && value <= 65535;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

// "host", "host:port", "[v6]", "[v6]:port" into `out`; `port_required` for the bare form.
std::optional<std::string> ParseHostPort(std::string_view hostport, bool port_required,
                                         const std::string& what, PostgresTarget& out) {
  std::string_view host;
  std::optional<std::string_view> port;
  if (!hostport.empty() && hostport[0] == '[') {
    const size_t close = hostport.find(']');
    if (close == std::string_view::npos) return what + " has an unterminated IPv6 address";
    host = hostport.substr(1, close - 1);
    const std::string_view rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return what + " has unexpected text after the IPv6 address";
      port = rest.substr(1);
    }
    const bool v6 = !host.empty() && host.find(':') != std::string_view::npos &&
                    std::all_of(host.begin(), host.end(), [](char c) {
                      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
                    });
    if (!v6) return what + " has an invalid IPv6 address " + Quoted(host);
  } else {
    const size_t colon = hostport.rfind(':');
    host = hostport.substr(0, colon);
    if (colon != std::string_view::npos) port = hostport.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return what + " has an IPv6 address without brackets (write [address]:port)";
    }
    if (host.empty()) return what + " has no host";
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) {
      return what + " has an invalid host " + Quoted(host);
    }
  }
  if (!port && port_required) {
    return what + " must be a postgresql:// URL, host:port or [ipv6]:port";
  }
  if (port && !IsValidPort(*port, out.port)) {
    return what + " has an invalid port " + Quoted(*port) + " (expected 1-65535)";
  }
  out.host = std::string(host);
  return std::nullopt;
}

// True when the URL carries a password (user:password@ or ?password=), checked before anything
// else so that no other message repeats the URL with the password in it.
bool UrlHasPassword(std::string_view rest) {
  const size_t query_start = rest.find('?');
  const std::string_view path = rest.substr(0, query_start);
  // The last '@' before the query, not only in the authority: a raw password may contain '/'.
  const size_t at = path.rfind('@');
  if (at != std::string_view::npos && path.substr(0, at).find(':') != std::string_view::npos) {
    return true;
  }
  if (query_start == std::string_view::npos) return false;
  std::string_view query = rest.substr(query_start + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    std::optional<std::string> key = PercentDecode(pair.substr(0, pair.find('=')));
    if (key && *key == "password") return true;
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return false;
}

std::optional<std::string> ParseUrl(std::string_view url, size_t scheme_len, PostgresTarget& out) {
  const std::string_view rest = url.substr(scheme_len);
  // Messages repeat the URL without its user part: nothing typed before an '@' is shown.
  const size_t last_at = rest.substr(0, rest.find('?')).rfind('@');
  const std::string what =
      "postgres target " +
      Quoted(last_at == std::string_view::npos
                 ? url
                 : std::string(url.substr(0, scheme_len)) + std::string(rest.substr(last_at + 1)));
  const size_t query_start = rest.find('?');
  const std::string_view path = rest.substr(0, query_start);
  const size_t slash = path.find('/');
  std::string_view authority = path.substr(0, slash);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::optional<std::string> user = PercentDecode(authority.substr(0, at));
    if (!user) return what + " has an invalid percent-encoding in the user name";
    out.user = *user;
    authority = authority.substr(at + 1);
  }
  if (authority.find(',') != std::string_view::npos) {
    return what + " names several hosts; write one probe per host";
  }
  if (authority.empty()) return what + " has no host";
  if (std::optional<std::string> error = ParseHostPort(authority, false, what, out)) return error;
  if (slash != std::string_view::npos) {
    std::optional<std::string> dbname = PercentDecode(path.substr(slash + 1));
    if (!dbname) return what + " has an invalid percent-encoding in the database name";
    out.dbname = *dbname;
  }
  if (query_start == std::string_view::npos) return std::nullopt;
  std::string_view query = rest.substr(query_start + 1);
  std::map<std::string, std::string*> fields = {{"application_name", &out.application_name},
                                                {"sslmode", &out.sslmode},
                                                {"sslrootcert", &out.sslrootcert}};
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::optional<std::string> key = PercentDecode(pair.substr(0, eq));
    std::optional<std::string> value =
        eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1));
    if (!key || !value) return what + " has an invalid percent-encoding in its parameters";
    auto it = fields.find(*key);
    if (it == fields.end()) {
      return "unsupported parameter " + Quoted(*key) +
             " in postgres target URL (supported: " + JoinNames(kUrlParams) + ")";
    }
    if (!it->second->empty()) return "duplicate parameter " + Quoted(*key) + " in " + what;
    if (value->empty()) return "parameter " + Quoted(*key) + " in " + what + " is empty";
    *it->second = *value;
  }
  if (!out.sslmode.empty() &&
      std::find(kSslModesList.begin(), kSslModesList.end(), out.sslmode) == kSslModesList.end()) {
    return "invalid sslmode " + Quoted(out.sslmode) +
           " in postgres target URL (expected one of: " + JoinNames(kSslModesList) + ")";
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& PostgresSslModes() { return kSslModesList; }

core::Result<PostgresTarget> ParsePostgresTarget(std::string_view target) {
  PostgresTarget out;
  if (std::any_of(target.begin(), target.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) ||
               std::iscntrl(static_cast<unsigned char>(c));
      })) {
    // Not repeated: it may be a connection string with a password in it.
    return core::Status::Error("postgres target must not contain whitespace or control characters");
  }
  size_t scheme_len = 0;
  if (StartsWithNoCase(target, "postgresql://")) {
    scheme_len = 13;
  } else if (StartsWithNoCase(target, "postgres://")) {
    scheme_len = 11;
  }
  if (scheme_len > 0) {
    if (UrlHasPassword(target.substr(scheme_len))) {
      return core::Status::Error(std::string(kNoPasswordInUrl));
    }
    if (std::optional<std::string> error = ParseUrl(target, scheme_len, out)) {
      return core::Status::Error(*error);
    }
    return out;
  }
  const std::string what = "postgres target " + Quoted(target);
  if (target.find("://") != std::string_view::npos || target.find('@') != std::string_view::npos) {
    return core::Status::Error(
        "postgres target must be a postgresql:// URL, host:port or "
        "[ipv6]:port");
  }
  if (std::optional<std::string> error = ParseHostPort(target, true, what, out)) {
    return core::Status::Error(*error);
  }
  return out;
}

std::optional<std::string> PostgresTargetError(std::string_view target) {
  core::Result<PostgresTarget> parsed = ParsePostgresTarget(target);
  if (parsed.ok()) return std::nullopt;
  return parsed.status().message();
}

core::Result<PostgresEndpoint> ResolvePostgresEndpoint(std::string_view target,
                                                       const PostgresSpec& spec) {
  core::Result<PostgresTarget> parsed = ParsePostgresTarget(target);
  if (!parsed.ok()) return parsed.status();
  const PostgresTarget& t = *parsed;
  PostgresEndpoint e;
  e.host = t.host;
  e.port = t.port;
  struct Field {
    const char* key;
    const std::string& from_url;
    const std::string& from_block;
    std::string& out;
    std::string_view fallback;
  };
  const Field fields[] = {
      {"dbname", t.dbname, spec.dbname, e.dbname, ""},
      {"user", t.user, spec.user, e.user, ""},
      {"sslmode", t.sslmode, spec.sslmode, e.sslmode, kPostgresDefaultSslmode},
      {"sslrootcert", t.sslrootcert, spec.sslrootcert, e.sslrootcert, ""},
      {"application_name", t.application_name, spec.application_name, e.application_name,
       kPostgresDefaultApplicationName},
  };
  for (const Field& f : fields) {
    if (!f.from_url.empty() && !f.from_block.empty()) {
      return core::Status::Error(Quote(f.key) +
                                 " is set both in the target URL and in the postgres block");
    }
    f.out = !f.from_url.empty()     ? f.from_url
            : !f.from_block.empty() ? f.from_block
                                    : std::string(f.fallback);
  }
  if (e.dbname.empty()) return core::Status::Error("no database name in the target or the block");
  if (e.user.empty()) return core::Status::Error("no user in the target or the block");
  return e;
}

}  // namespace smoke::config
