#include "exporter/probes/postgres_metrics.h"

#include <array>

#include "exporter/probes/probe_measurements.h"

namespace smoke::probes {
namespace {

constexpr std::array<MetricHelp, 9> kHelp = {{
    // Verbatim from postgres_exporter.
    {kPgSettingsMaxConnections, "Server Parameter: max_connections"},
    {kPgReplicationIsReplica, "Indicates if the server is a replica"},
    {kPgReplicationLagSeconds, "Replication lag behind master in seconds"},
    {kPgPhaseDurationSeconds,
     "Duration of the latest PostgreSQL probe by phase: resolve, connect (TCP, SSL, "
     "authentication), checks (built-in checks), query:<name> (each custom query)"},
    {kPgQueryDurationSeconds, "Duration of each custom query in the latest run"},
    {kPgConnectionsInUse,
     "Client backends connected to the server (pg_stat_activity), the probe's own included"},
    {kPgConnectionsUsedRatio, "Client backends connected divided by max_connections"},
    {kPgTableRowsEstimate,
     "Planner's row estimate (pg_class.reltuples) for each checked table; -1 if never analyzed"},
    {kPgServerInfo, "PostgreSQL server version; the value is always 1"},
}};

}  // namespace

core::Measurement PgGauge(std::string_view name, double value,
                          std::vector<std::pair<std::string, std::string>> labels) {
  return GaugeFrom(kHelp, name, value, std::move(labels));
}

std::string ShortServerVersion(int version_num) {
  if (version_num <= 0) return "";
  if (version_num >= 100000) {
    return std::to_string(version_num / 10000) + "." + std::to_string(version_num % 10000);
  }
  return std::to_string(version_num / 10000) + "." + std::to_string(version_num / 100 % 100) + "." +
         std::to_string(version_num % 100);
}

}  // namespace smoke::probes
