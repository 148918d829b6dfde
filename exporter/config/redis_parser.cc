#include "exporter/config/redis_parser.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>

#include "exporter/config/target.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

constexpr std::string_view kUnixScheme = "unix://";
constexpr size_t kMaxUnixPath = 107;

std::string Shape(std::string_view target) {
  return "redis target \"" + std::string(target) +
         "\" must be host:port, [ipv6]:port or unix:///path/to/redis.sock";
}

// Redis expires keys with millisecond precision, but a TTL shorter than a second could expire
// the key between our SET and GET on a slow link and fail the round trip for no real reason.
constexpr core::Duration kMinRoundTripTtl = std::chrono::seconds(1);

}  // namespace

core::Result<RedisTarget> ParseRedisTarget(std::string_view target) {
  // Checked first and without echoing the target: "redis://:password@host" must not put the
  // password into an error message.
  if (target.find('@') != std::string_view::npos) {
    return core::Status::Error(
        "redis target must not contain credentials; use password_file or password_env (and "
        "username) in the redis block");
  }
  RedisTarget out;
  if (target.substr(0, kUnixScheme.size()) == kUnixScheme) {
    const std::string_view path = target.substr(kUnixScheme.size());
    if (path.empty() || path[0] != '/') {
      return core::Status::Error(
          "redis target \"" + std::string(target) +
          "\" must name an absolute socket path: unix:///path/to/redis.sock");
    }
    // sockaddr_un holds 108 bytes including the terminator; hiredis would silently truncate.
    if (path.size() > kMaxUnixPath) {
      return core::Status::Error("redis target \"" + std::string(target) +
                                 "\" has a socket path longer than " +
                                 std::to_string(kMaxUnixPath) + " bytes");
    }
    out.unix_path = std::string(path);
    return out;
  }
  if (target.find("://") != std::string_view::npos) return core::Status::Error(Shape(target));
  if (std::optional<std::string> error = TcpTargetError(target)) {
    // TcpTargetError words its messages for tcp probes ("tcp target ..."); the details (bad
    // port, unbracketed IPv6) apply as they are.
    const std::string shape_prefix = "tcp target \"" + std::string(target) + "\" must be host:port";
    if (error->rfind(shape_prefix, 0) == 0) return core::Status::Error(Shape(target));
    if (error->rfind("tcp ", 0) == 0) return core::Status::Error("redis " + error->substr(4));
    return core::Status::Error(*error);
  }
  const size_t colon = target.rfind(':');
  std::string_view host = target.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  out.host = std::string(host);
  out.port = std::stoi(std::string(target.substr(colon + 1)));
  return out;
}

std::optional<std::string> RedisTargetError(std::string_view target) {
  core::Result<RedisTarget> parsed = ParseRedisTarget(target);
  if (parsed.ok()) return std::nullopt;
  return parsed.status().message();
}

RedisSpec ParseRedisSpec(const YamlNode* node, ParseContext& ctx) {
  RedisSpec spec;
  if (node == nullptr || !CheckMap(*node, Quote("redis"), ctx.diag) || node->IsNull()) return spec;
  MapReader map(
      *node, "redis",
      {"command_timeout", "connect_timeout", "db", "expect_role", "key_prefix", "keys_exist",
       "max_ping_latency", "min_hit_ratio", "min_keys", "password_env", "password_file",
       "round_trip", "round_trip_ttl", "username"},
      ctx.diag,
      {{"password", "secrets are read from password_file or password_env, never inline"}});
  Diagnostics& diag = ctx.diag;

  if (std::optional<int64_t> db = map.Int("db")) {
    if (*db < 0 || *db > std::numeric_limits<int32_t>::max()) {
      diag.Error(map.ValueMark("db"),
                 "\"db\" must be between 0 and 2147483647, got " + map.Get("db")->scalar);
    } else {
      spec.db = *db;
    }
  }

  spec.password = ReadSecretPair(map, "password", ctx);
  if (std::optional<std::string> username = map.String("username")) {
    if (username->empty()) {
      diag.Error(map.ValueMark("username"), "\"username\" must not be empty");
    } else {
      spec.username = *username;
      const bool has_password =
          map.Has("password_file") || map.Has("password_env") || map.Has("password");
      if (!has_password) {
        diag.Error(map.KeyMark("username"),
                   "\"username\" needs password_file or password_env (Redis authenticates an ACL "
                   "user with a password)");
      }
    }
  }

  if (std::optional<std::string> prefix = map.String("key_prefix")) {
    if (prefix->empty()) {
      diag.Error(map.ValueMark("key_prefix"),
                 "\"key_prefix\" must not be empty (the round-trip key needs a namespace of its "
                 "own)");
    } else {
      spec.key_prefix = *prefix;
    }
  }
  spec.round_trip = map.Bool("round_trip").value_or(true);
  if (std::optional<core::Duration> ttl = map.Duration("round_trip_ttl")) {
    if (*ttl < kMinRoundTripTtl) {
      diag.Error(map.ValueMark("round_trip_ttl"), "\"round_trip_ttl\" must be at least 1s, got " +
                                                      map.Get("round_trip_ttl")->Describe());
    } else {
      spec.round_trip_ttl = *ttl;
    }
  }
  spec.connect_timeout = map.Duration("connect_timeout");
  spec.command_timeout = map.Duration("command_timeout");
  spec.max_ping_latency = map.Duration("max_ping_latency");

  if (std::optional<double> ratio = map.Number("min_hit_ratio")) {
    if (*ratio < 0 || *ratio > 1) {
      diag.Error(map.ValueMark("min_hit_ratio"), "\"min_hit_ratio\" must be between 0 and 1, got " +
                                                     map.Get("min_hit_ratio")->scalar);
    } else {
      spec.min_hit_ratio = *ratio;
    }
  }
  if (std::optional<std::string> role = map.Enum("expect_role", {"master", "replica", "slave"})) {
    // Redis reports "slave" in INFO; people say "replica". Both mean the same role.
    spec.expect_role = *role == "slave" ? "replica" : *role;
  }

  if (const YamlNode* keys = map.Sequence("keys_exist")) {
    std::map<std::string, int> seen;  // key -> line
    for (const YamlNodePtr& item : keys->items) {
      std::optional<std::string> key = ReadString(*item, "an item of " + Quote("keys_exist"), diag);
      if (!key) continue;
      if (key->empty()) {
        diag.Error(item->mark, "an item of \"keys_exist\" must not be empty");
        continue;
      }
      auto [it, inserted] = seen.emplace(*key, item->mark.line);
      if (!inserted) {
        diag.Error(item->mark, "duplicate key " + Quote(*key) +
                                   " in \"keys_exist\" (first listed on line " +
                                   std::to_string(it->second) + ")");
        continue;
      }
      spec.keys_exist.push_back(*key);
    }
  }
  if (std::optional<int64_t> min_keys = map.Int("min_keys")) {
    if (*min_keys < 0) {
      diag.Error(map.ValueMark("min_keys"),
                 "\"min_keys\" must be at least 0, got " + map.Get("min_keys")->scalar);
    } else {
      spec.min_keys = *min_keys;
    }
  }
  return spec;
}

}  // namespace smoke::config
