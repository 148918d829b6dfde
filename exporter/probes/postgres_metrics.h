#pragma once
// The gauges the postgres probe reports. Where postgres_exporter has a series with the same
// meaning its name and help text are used (pg_settings_max_connections, pg_replication_*), so its
// dashboards and alert rules apply; everything else is smoke_postgres_*.
// Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/core/probe_result.h"

namespace smoke::probes {

// postgres_exporter (collector/pg_settings.go, collector/pg_replication.go).
inline constexpr std::string_view kPgSettingsMaxConnections = "pg_settings_max_connections";
inline constexpr std::string_view kPgReplicationIsReplica = "pg_replication_is_replica";
inline constexpr std::string_view kPgReplicationLagSeconds = "pg_replication_lag_seconds";
// Ours.
inline constexpr std::string_view kPgPhaseDurationSeconds = "smoke_postgres_phase_duration_seconds";
inline constexpr std::string_view kPgQueryDurationSeconds = "smoke_postgres_query_duration_seconds";
inline constexpr std::string_view kPgConnectionsInUse = "smoke_postgres_connections_in_use";
inline constexpr std::string_view kPgConnectionsUsedRatio = "smoke_postgres_connections_used_ratio";
inline constexpr std::string_view kPgTableRowsEstimate = "smoke_postgres_table_rows_estimate";
inline constexpr std::string_view kPgServerInfo = "smoke_postgres_server_info";

// A gauge with its help text.
core::Measurement PgGauge(std::string_view name, double value,
                          std::vector<std::pair<std::string, std::string>> labels = {});

// "15.6" from server_version_num 150006 (10 and later), "9.6.24" from 90624.
std::string ShortServerVersion(int version_num);

}  // namespace smoke::probes
