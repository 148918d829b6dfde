#pragma once
// Go standard-library string helpers that Prometheus's template functions call, with Go's output:
// strings.Title/ToUpper/ToLower (case mapping covers Latin, Greek and Cyrillic), url.QueryEscape,
// text/template's HTML and JS escapers, and net.SplitHostPort/JoinHostPort/ParseIP.
// Thread-safety: pure functions.

#include <optional>
#include <string>
#include <string_view>

namespace smoke::ruler::go {

std::string Title(std::string_view s);
std::string ToUpper(std::string_view s);
std::string ToLower(std::string_view s);

std::string QueryEscape(std::string_view s);       // url.QueryEscape
std::string HTMLEscapeString(std::string_view s);  // template.HTMLEscapeString
std::string JSEscapeString(std::string_view s);    // template.JSEscapeString

struct HostPort {
  std::string host;
  std::string port;
};
// net.SplitHostPort; nullopt where Go returns an error.
std::optional<HostPort> SplitHostPort(std::string_view hostport);
std::string JoinHostPort(std::string_view host, std::string_view port);
// Whether net.ParseIP accepts `s` (dotted IPv4 or IPv6 without a zone).
bool IsIP(std::string_view s);

}  // namespace smoke::ruler::go
