#pragma once
// The postgres target syntax and how a target combines with the `postgres:` block.
//
// Target:
// `postgresql://[user@]host[:port][/dbname][?sslmode=..&sslrootcert=..&application_name=..]` (also
// `postgres://`; user and dbname percent-decoded), or `host:port` / `[v6]:port`. A password in the
// URL is rejected: the target is shown in labels and /config, so the password must come from
// password_file or password_env; messages never repeat what precedes an '@'. A setting may come
// from the URL or from the block, not from both, so that nobody has to guess which wins.
// Thread-safety: stateless functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/status.h"

namespace smoke::config {

inline constexpr int kPostgresDefaultPort = 5432;
inline constexpr std::string_view kPostgresDefaultSslmode = "prefer";  // libpq's default
inline constexpr std::string_view kPostgresDefaultApplicationName = "smoke_exporter";

// disable, allow, prefer, require, verify-ca, verify-full (libpq's sslmode values).
const std::vector<std::string>& PostgresSslModes();

// What a target says; unset fields are empty.
struct PostgresTarget {
  std::string host;  // name, IPv4 or IPv6 address (without brackets)
  int port = kPostgresDefaultPort;
  std::string dbname;
  std::string user;
  std::string sslmode;
  std::string sslrootcert;
  std::string application_name;
};

// Everything needed to connect: the target merged with the block, defaults applied.
struct PostgresEndpoint {
  std::string host;
  int port = kPostgresDefaultPort;
  std::string dbname;
  std::string user;
  std::string sslmode;
  std::string sslrootcert;
  std::string application_name;
};

core::Result<PostgresTarget> ParsePostgresTarget(std::string_view target);
// As ParsePostgresTarget, for the loader's target check: the message, or nullopt when valid.
std::optional<std::string> PostgresTargetError(std::string_view target);

// The target merged with the block: fails when a setting is in both, or when the user or the
// database name is in neither. Used by the probe (also for /probe?module=&target=).
core::Result<PostgresEndpoint> ResolvePostgresEndpoint(std::string_view target,
                                                       const PostgresSpec& spec);

}  // namespace smoke::config
