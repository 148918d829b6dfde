#pragma once
// The gauges a redis probe reports. Where oliver006/redis_exporter has a name for the same INFO
// field, we use it (redis_memory_used_bytes, redis_db_keys{db="db0"}, ...) so that its community
// dashboards and alert rules (RedisDown, RedisOutOfMemory, RedisTooManyConnections) work
// unchanged. Two differences: every value is a gauge from the latest run (redis_exporter types
// the *_total ones as counters; rate() works the same on our gauges because the values come
// straight from the server's own counters), and redis_instance_info carries only the role and
// redis_version labels. Our own additions are smoke_redis_*.
// Thread-safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/probe_result.h"
#include "exporter/probes/redis_info.h"

namespace smoke::probes {

inline constexpr std::string_view kRedisUp = "redis_up";
inline constexpr std::string_view kRedisMemoryUsedBytes = "redis_memory_used_bytes";
inline constexpr std::string_view kRedisMemoryMaxBytes = "redis_memory_max_bytes";
inline constexpr std::string_view kRedisConnectedClients = "redis_connected_clients";
inline constexpr std::string_view kRedisBlockedClients = "redis_blocked_clients";
inline constexpr std::string_view kRedisRejectedConnections = "redis_rejected_connections_total";
inline constexpr std::string_view kRedisEvictedKeys = "redis_evicted_keys_total";
inline constexpr std::string_view kRedisKeyspaceHits = "redis_keyspace_hits_total";
inline constexpr std::string_view kRedisKeyspaceMisses = "redis_keyspace_misses_total";
inline constexpr std::string_view kRedisMasterLinkUp = "redis_master_link_up";
inline constexpr std::string_view kRedisDbKeys = "redis_db_keys";
inline constexpr std::string_view kRedisInstanceInfo = "redis_instance_info";
inline constexpr std::string_view kSmokeRedisHitRatio = "smoke_redis_keyspace_hit_ratio";
inline constexpr std::string_view kSmokeRedisPhaseSeconds = "smoke_redis_phase_duration_seconds";

// A gauge with this file's help text for `name`.
core::Measurement RedisGauge(std::string_view name, double value,
                             std::vector<std::pair<std::string, std::string>> labels = {});

// The INFO gauges. Fields the server did not report are left out rather than exported as 0.
// redis_db_keys covers every database INFO lists plus `selected_db` (0 keys when not listed,
// because Redis omits empty databases). redis_master_link_up appears on replicas only.
void AppendRedisInfoMeasurements(const RedisInfo& info, int64_t selected_db,
                                 std::vector<core::Measurement>& out);

// The INFO fields a person needs to judge a failure, as evidence (name, value) pairs.
std::vector<std::pair<std::string, std::string>> RedisInfoEvidence(const RedisInfo& info,
                                                                   int64_t selected_db);

}  // namespace smoke::probes
