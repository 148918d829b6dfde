#pragma once
// The postgres probe: connect and authenticate as the application would (target URL or
// host:port, plus the `postgres:` block), then run the built-in checks and the custom read-only
// queries (postgres_checks.h). Nothing is written: every statement runs in a READ ONLY
// transaction that is rolled back (clients/pg_connection.h). The whole run, DNS included, ends
// by the deadline.
//
// Failures: a connection that cannot be established fails the probe with the classified reason
// (postgres_reasons.h: dns, connection_refused, connect, tls, timeout, auth_required,
// auth_failed, role_missing, database_missing, permission_denied); after that each check is an
// assertion (table_missing, table_empty, assertion, latency, query_failed, timeout, ...). A
// configured password that could not be read skips the probe (credentials_missing).
//
// keep_connection: false (default) opens and closes a session per run. true keeps one idle
// session for the next run (a concurrent run opens its own); a session that broke is replaced.
//
// Thread-safety: immutable after Create except the kept session, which a mutex guards; Run may
// be called concurrently.

#include <memory>
#include <mutex>

#include "exporter/clients/pg_connection.h"
#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"

namespace smoke::probes {

class PostgresProbe : public Probe {
 public:
  // Fails for a target that is not a postgresql:// URL or host:port, a password in the URL, a
  // setting given both in the URL and the block, no user or database name, or an invalid table
  // or query.
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);

  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  PostgresProbe(config::ProbeSpec spec, clients::PgConnectParams params);

  std::unique_ptr<clients::PgConnection> TakeKept() const;
  void Keep(std::unique_ptr<clients::PgConnection> conn) const;

  config::ProbeSpec spec_;
  clients::PgConnectParams params_;  // without the password, which is read per run

  mutable std::mutex mu_;
  mutable std::unique_ptr<clients::PgConnection> kept_;  // guarded by mu_
};

}  // namespace smoke::probes
