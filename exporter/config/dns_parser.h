#pragma once
// The `dns:` block (after module merging) and the dns target syntax: a host name such as
// api.staging.example.com (a trailing dot is allowed), never an address, a port or a URL.
// Thread-safety: stateless functions.

#include <optional>
#include <string>
#include <string_view>

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// nullopt when `target` is a valid host name, else the message.
std::optional<std::string> DnsTargetError(std::string_view target);

// An IPv4 or IPv6 address literal in its canonical textual form (inet_ntop's), or nullopt.
std::optional<std::string> CanonicalAddress(std::string_view text);

// `node` may be null (no block: resolve with any family, any answer passes).
DnsSpec ParseDnsSpec(const YamlNode* node, ParseContext& ctx);

}  // namespace smoke::config
