#include "exporter/config/target.h"

#include <algorithm>
#include <cctype>

namespace smoke::config {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool IsValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '%';
}

// "fe80::1", "::ffff:10.0.0.1", "fe80::1%eth0" (with a zone).
bool IsIpv6Address(std::string_view host) {
  const size_t percent = host.find('%');
  const std::string_view address = host.substr(0, percent);
  if (address.empty() || address.find(':') == std::string_view::npos) return false;
  const bool address_ok = std::all_of(address.begin(), address.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
  });
  if (!address_ok || percent == std::string_view::npos) return address_ok;
  const std::string_view zone = host.substr(percent + 1);
  return !zone.empty() && std::all_of(zone.begin(), zone.end(), IsHostChar);
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Validates "host[:port]" / "[v6][:port]"; `port_required` for tcp. `what` prefixes messages.
std::optional<std::string> HostPortError(std::string_view hostport, bool port_required,
                                         const std::string& what) {
  std::string_view host;
  std::optional<std::string_view> port;
  if (!hostport.empty() && hostport[0] == '[') {
    const size_t close = hostport.find(']');
    if (close == std::string_view::npos) return what + " has an unterminated IPv6 address";
    host = hostport.substr(1, close - 1);
    std::string_view rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return what + " has unexpected text after the IPv6 address";
      port = rest.substr(1);
    }
    if (!IsIpv6Address(host)) {
      return what + " has an invalid IPv6 address " + Quoted(host);
    }
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
  if (!port && port_required) return std::nullopt;  // the caller words this case
  if (port && !IsValidPort(*port)) {
    return what + " has an invalid port " + Quoted(*port) + " (expected 1-65535)";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> HttpTargetError(std::string_view url) {
  const std::string what = "target " + Quoted(url);
  size_t scheme_len = 0;
  if (StartsWithNoCase(url, "http://")) {
    scheme_len = 7;
  } else if (StartsWithNoCase(url, "https://")) {
    scheme_len = 8;
  } else {
    return what + " must be an http:// or https:// URL";
  }
  if (std::any_of(url.begin(), url.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) ||
               std::iscntrl(static_cast<unsigned char>(c));
      })) {
    return what + " must not contain whitespace or control characters";
  }
  std::string_view rest = url.substr(scheme_len);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return std::string(
        "target URL must not contain credentials; use basic_auth with password_file or "
        "password_env");
  }
  if (authority.empty()) return what + " has no host";
  return HostPortError(authority, false, what);
}

std::optional<std::string> TcpTargetError(std::string_view target) {
  const std::string what = "tcp target " + Quoted(target);
  const std::string shape = what + " must be host:port or [ipv6]:port";
  if (target.find("://") != std::string_view::npos) return shape + " (without a scheme)";
  const bool bracketed = !target.empty() && target[0] == '[';
  const size_t colon = target.rfind(':');
  const size_t close = target.find(']');
  const bool has_port = colon != std::string_view::npos &&
                        (!bracketed || (close != std::string_view::npos && colon > close));
  if (!has_port) return shape;
  return HostPortError(target, true, what);
}

}  // namespace smoke::config
