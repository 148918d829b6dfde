#pragma once
// A PostgreSQL session for probing, over libpq's asynchronous API so that nothing outlasts the
// caller's deadline: resolution (pg_resolver.h), TCP connect, SSL, authentication and every
// statement are bounded by it, whatever the server or the network does.
//
// Why libpq and not libpqxx: libpqxx 6.4 cannot adopt a PGconn, its asyncconnection still waits
// without a deadline, and its statements block in PQexec until the server answers. A blackholed
// host or a hung statement would hold a probe (and a scheduler worker) far past its timeout.
// libpq's PQconnectPoll/PQsendQuery with poll() gives the bound; its result fields give the
// SQLSTATE directly. This file and pg_error.cc/pg_resolver.cc are the only ones that see libpq.
//
// Read-only by construction: every statement runs as
//   BEGIN READ ONLY; SET LOCAL statement_timeout = <time left>; SELECT 1  -- one round trip
//   <the statement>                          -- extended protocol: exactly one statement
//   ROLLBACK
// The SELECT takes the transaction's first snapshot, after which PostgreSQL refuses
// SET TRANSACTION READ WRITE; the extended protocol refuses a second statement smuggled after a
// semicolon; ROLLBACK discards anything else. The password goes to libpq as a separate keyword,
// never inside a connection string, and libpq's messages never contain it.
//
// Thread-safety: not thread-safe; one thread uses a connection at a time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/clients/pg_error.h"
#include "exporter/clients/transport.h"

struct pg_conn;  // libpq's PGconn

namespace smoke::clients {

struct PgConnectParams {
  std::string host;  // name or address; a path starting with '/' is a unix socket directory
  int port = 5432;
  std::string dbname;
  std::string user;
  std::optional<std::string> password;  // nullopt: none configured (trust, peer, ~/.pgpass)
  std::string sslmode = "prefer";
  std::string sslrootcert;
  std::string application_name;
};

// What is known about the session, also (partly) after a failed Connect.
struct PgSessionInfo {
  std::string address;  // "ip:port" connected to, or the last one tried; "" before resolution
  double resolve_seconds = 0;
  double connect_seconds = 0;  // TCP + SSL + authentication + backend start
  std::string server_version;  // the server_version parameter, e.g. "15.6 (Debian 15.6-1)"
  int server_version_num = 0;  // e.g. 150006
  bool ssl = false;
  std::string ssl_protocol;  // "TLSv1.3"
  bool password_used = false;
};

using PgValue = std::optional<std::string>;  // nullopt = SQL NULL; text format

struct PgQueryResult {
  PgError error;
  std::vector<std::string> columns;
  std::vector<std::vector<PgValue>> rows;  // the first keep_rows rows
  int64_t row_count = 0;                   // every row the statement returned
  double seconds = 0;                      // the statement alone, send to last result
};

// Kept values longer than this are cut (they are evidence, not data).
inline constexpr size_t kPgMaxValueBytes = 4096;

class PgConnection {
 public:
  PgConnection() = default;
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Resolves, connects and authenticates; returns by `deadline` in every case. Call once.
  PgError Connect(const PgConnectParams& params, SteadyTime deadline);

  // Runs one statement as described in the file comment; `params` bind $1, $2, ... as text.
  // A statement still running at the deadline is abandoned and the connection becomes unusable
  // (the server cancels it itself: statement_timeout is set a little shorter).
  PgQueryResult QueryReadOnly(std::string_view sql, const std::vector<std::string>& params,
                              size_t keep_rows, SteadyTime deadline);

  // Connected, idle, and never abandoned mid-statement: safe to keep for the next run.
  bool usable() const;
  // usable(), and nothing arrived while the session sat idle: the only thing a session that
  // never LISTENs receives then is the server's goodbye (a restart, pg_terminate_backend,
  // idle_session_timeout). Checked without blocking before a kept session is reused.
  bool CheckAlive();
  const PgSessionInfo& info() const { return info_; }

 private:
  // Waits until libpq's socket is readable (or writable); false at the deadline.
  bool Wait(bool for_write, SteadyTime deadline) const;
  // Sends what libpq has buffered; false on a broken connection or at the deadline (`error` set).
  bool Flush(SteadyTime deadline, PgError& error);
  // Collects every result of the statement in flight into `out` (first error wins).
  void Collect(SteadyTime deadline, size_t keep_rows, PgQueryResult& out);
  // A simple-protocol command of our own (no user text), for BEGIN ... and ROLLBACK.
  PgError Command(const std::string& sql, SteadyTime deadline);
  PgError Broken(PgErrorKind kind, std::string message);

  pg_conn* conn_ = nullptr;
  bool abandoned_ = false;
  PgSessionInfo info_;
};

}  // namespace smoke::clients
