#pragma once
// The `http:` block of a module or probe (after module merging).
// Thread-safety: stateless functions.

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// `node` may be null (no block: defaults). `default_pos` is where the default status assertion
// (200-299, added when no top-level status assertion exists) points.
HttpSpec ParseHttpSpec(const YamlNode* node, const SourcePos& default_pos, ParseContext& ctx);

// True for headers that carry credentials (Authorization, Proxy-Authorization, Cookie, and any
// name containing token, secret, password, api-key, apikey or api_key): their value must come
// from value_file / value_env.
bool IsCredentialHeader(std::string_view name);

// A `basic_auth:` block (username plus password_file / password_env); nullopt when it is null or
// not a mapping (reported).
std::optional<BasicAuth> ParseBasicAuthBlock(const YamlNode& node, ParseContext& ctx);

}  // namespace smoke::config
