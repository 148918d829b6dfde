#pragma once
// The checks the postgres probe runs on an established session, in this order:
//   1. server facts: recovery state, max_connections, client backends in use, replication lag
//      (assertions connections_ratio, replication_lag when configured);
//   2. tables: existence of every configured table (table_exists_<t>), then the bounded row
//      count of each min_rows table (min_rows_<t>);
//   3. custom queries (query_<name>, query_<name>_latency).
// Every statement is one read-only transaction (clients/pg_connection.h). Once a statement hits
// the deadline the remaining ones are not sent; their assertions fail with reason timeout.
// Thread-safety: a PgRun belongs to one probe run on one thread.

#include <string>
#include <string_view>
#include <vector>

#include "exporter/clients/pg_connection.h"
#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {

class PgRun {
 public:
  PgRun(clients::PgConnection& conn, clients::SteadyTime deadline, const SecretMasker& masker,
        std::string user, core::ProbeResult& result)
      : conn_(conn),
        deadline_(deadline),
        masker_(masker),
        user_(std::move(user)),
        result_(result) {}

  // Runs one statement unless the deadline was already reached by an earlier one.
  clients::PgQueryResult Query(std::string_view sql, const std::vector<std::string>& params,
                               size_t keep_rows);
  // Evidence detail, masked and made printable.
  void Detail(const std::string& key, const std::string& value);
  void AddAssertion(std::string name, core::Reason reason, core::Severity severity, bool passed,
                    std::string expected, std::string actual);
  // A failed statement as one masked line (DescribePgError).
  std::string Describe(const clients::PgError& error) const;

  core::ProbeResult& result() { return result_; }
  clients::PgConnection& connection() { return conn_; }
  // Seconds spent in the built-in checks (phase "checks").
  double checks_seconds = 0;

 private:
  clients::PgConnection& conn_;
  clients::SteadyTime deadline_;
  const SecretMasker& masker_;
  std::string user_;
  core::ProbeResult& result_;
  bool out_of_time_ = false;
};

// Returns false, with the result failed, when the facts cannot be read: these are catalog reads
// every role may do, so a failure here (deadline, lost connection) means nothing else would run.
bool CheckServerFacts(const config::PostgresSpec& spec, PgRun& run);
void CheckTables(const config::PostgresSpec& spec, PgRun& run);
void RunCustomQueries(const config::PostgresSpec& spec, PgRun& run);

// "companies" -> "companies", "audit.events" -> "audit_events": for assertion names.
std::string TableNameFragment(std::string_view table);

}  // namespace smoke::probes
