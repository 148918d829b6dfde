#include "exporter/probes/redis_metrics.h"

#include <array>
#include <optional>

#include "exporter/probes/probe_measurements.h"

namespace smoke::probes {
namespace {

constexpr std::array<MetricHelp, 14> kHelp = {{
    {kRedisUp, "Whether the probe could connect, authenticate and get a PONG (1) or not (0)"},
    {kRedisMemoryUsedBytes, "INFO used_memory: bytes allocated by Redis"},
    {kRedisMemoryMaxBytes, "INFO maxmemory: the configured memory limit in bytes (0 = none)"},
    {kRedisConnectedClients, "INFO connected_clients"},
    {kRedisBlockedClients, "INFO blocked_clients: clients waiting in a blocking command"},
    {kRedisRejectedConnections,
     "INFO rejected_connections: connections refused because of maxclients"},
    {kRedisEvictedKeys, "INFO evicted_keys: keys removed because of maxmemory"},
    {kRedisKeyspaceHits, "INFO keyspace_hits: successful key lookups"},
    {kRedisKeyspaceMisses, "INFO keyspace_misses: failed key lookups"},
    {kRedisMasterLinkUp, "INFO master_link_status on a replica: 1 when up"},
    {kRedisDbKeys, "INFO keyspace: keys in each database"},
    {kRedisInstanceInfo, "Redis role and version; always 1"},
    {kSmokeRedisHitRatio,
     "keyspace_hits / (keyspace_hits + keyspace_misses); absent before the first lookup"},
    {kSmokeRedisPhaseSeconds,
     "Duration of each phase of the redis probe: connect (including name resolution), auth "
     "(AUTH and SELECT), ping, info, keys, round_trip"},
}};

// INFO field -> gauge, for the plain one-to-one ones.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kDirect = {{
    {"used_memory", kRedisMemoryUsedBytes},
    {"maxmemory", kRedisMemoryMaxBytes},
    {"connected_clients", kRedisConnectedClients},
    {"blocked_clients", kRedisBlockedClients},
    {"rejected_connections", kRedisRejectedConnections},
    {"evicted_keys", kRedisEvictedKeys},
    {"keyspace_hits", kRedisKeyspaceHits},
    {"keyspace_misses", kRedisKeyspaceMisses},
}};

// The fields RedisInfoEvidence reports, in the order a person reads them.
constexpr std::array<std::string_view, 15> kEvidenceFields = {
    "redis_version",        "redis_mode",        "role",
    "master_link_status",   "used_memory",       "maxmemory",
    "maxmemory_policy",     "connected_clients", "blocked_clients",
    "rejected_connections", "evicted_keys",      "keyspace_hits",
    "keyspace_misses",      "loading",           "uptime_in_seconds",
};

}  // namespace

core::Measurement RedisGauge(std::string_view name, double value,
                             std::vector<std::pair<std::string, std::string>> labels) {
  return GaugeFrom(kHelp, name, value, std::move(labels));
}

void AppendRedisInfoMeasurements(const RedisInfo& info, int64_t selected_db,
                                 std::vector<core::Measurement>& out) {
  for (const auto& [field, metric] : kDirect) {
    if (std::optional<double> v = info.Number(field)) out.push_back(RedisGauge(metric, *v));
  }
  const std::optional<std::string> role = info.Get("role");
  if (role == "slave") {
    out.push_back(RedisGauge(kRedisMasterLinkUp, info.Get("master_link_status") == "up" ? 1 : 0));
  }
  bool selected_listed = false;
  for (const RedisKeyspaceDb& db : info.keyspace()) {
    selected_listed = selected_listed || db.db == selected_db;
    out.push_back(RedisGauge(kRedisDbKeys, static_cast<double>(db.keys),
                             {{"db", "db" + std::to_string(db.db)}}));
  }
  if (!selected_listed) {
    out.push_back(RedisGauge(kRedisDbKeys, 0, {{"db", "db" + std::to_string(selected_db)}}));
  }
  out.push_back(RedisGauge(
      kRedisInstanceInfo, 1,
      {{"redis_version", info.Get("redis_version").value_or("")}, {"role", role.value_or("")}}));
  if (std::optional<double> ratio = info.HitRatio()) {
    out.push_back(RedisGauge(kSmokeRedisHitRatio, *ratio));
  }
}

std::vector<std::pair<std::string, std::string>> RedisInfoEvidence(const RedisInfo& info,
                                                                   int64_t selected_db) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::string_view field : kEvidenceFields) {
    if (std::optional<std::string> v = info.Get(field)) out.emplace_back(std::string(field), *v);
  }
  const std::string db = "db" + std::to_string(selected_db);
  if (std::optional<std::string> v = info.Get(db)) {
    out.emplace_back(db, *v);
  } else {
    out.emplace_back(db, "keys=0 (not listed in INFO keyspace)");
  }
  return out;
}

}  // namespace smoke::probes
