#pragma once
// Target syntax per probe kind, checked at load so that a typo is a startup error rather than a
// probe that fails with reason "dns" forever.
// Thread-safety: stateless functions.

#include <optional>
#include <string>
#include <string_view>

namespace smoke::config {

// An http:// or https:// URL with a host and an optional port 1..65535. Credentials in the URL
// are rejected because the target is shown in labels and /config; the message for that case
// does not repeat the URL. Returns the error message, or nullopt when valid.
std::optional<std::string> HttpTargetError(std::string_view url);

// host:port or [ipv6]:port, port 1..65535. Returns the error message, or nullopt when valid.
std::optional<std::string> TcpTargetError(std::string_view target);

}  // namespace smoke::config
