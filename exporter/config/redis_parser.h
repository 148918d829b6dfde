#pragma once
// The `redis:` block of a module or probe (after module merging) and the redis target syntax.
//
// A target is host:port, [ipv6]:port or unix:///absolute/path.sock. Credentials never go in the
// target (it is a label value and shown in /config): a target containing '@' is rejected
// without being repeated in the message, and the password comes from password_file or
// password_env.
// Thread-safety: stateless functions.

#include <optional>
#include <string>
#include <string_view>

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"
#include "exporter/core/status.h"

namespace smoke::config {

// Where a redis probe connects.
struct RedisTarget {
  std::string host;       // name or address literal without brackets; "" for a unix socket
  int port = 0;           // 1..65535; 0 for a unix socket
  std::string unix_path;  // absolute path; "" for TCP

  bool is_unix() const { return !unix_path.empty(); }
};

// Parses and validates a redis target. The error message is the one the loader reports.
core::Result<RedisTarget> ParseRedisTarget(std::string_view target);

// nullopt when `target` is valid, else the message.
std::optional<std::string> RedisTargetError(std::string_view target);

// `node` may be null (no block: defaults, i.e. PING, INFO and the round trip, no auth).
RedisSpec ParseRedisSpec(const YamlNode* node, ParseContext& ctx);

}  // namespace smoke::config
