#include "exporter/clients/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>

#include "exporter/clients/pg_resolver.h"

namespace smoke::clients {
namespace {

using std::chrono::duration;
using std::chrono::steady_clock;

double SecondsSince(steady_clock::time_point start) {
  return duration<double>(steady_clock::now() - start).count();
}

int64_t MillisLeft(SteadyTime deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now())
      .count();
}

// Where the connection was when it stopped, in words (PQstatus during PQconnectPoll).
std::string StageOf(ConnStatusType status) {
  switch (status) {
    case CONNECTION_STARTED:
      return "waiting for the TCP connection";
    case CONNECTION_MADE:
      return "sending the startup packet";
    case CONNECTION_SSL_STARTUP:
      return "negotiating SSL";
    case CONNECTION_AWAITING_RESPONSE:
      return "waiting for authentication";
    case CONNECTION_AUTH_OK:
      return "waiting for the server to start the session";
    default:
      return "connecting";
  }
}

std::string FormatHostPort(const char* ip, const char* port) {
  if (ip == nullptr || *ip == '\0') return "";
  const std::string host = std::strchr(ip, ':') != nullptr ? "[" + std::string(ip) + "]" : ip;
  return host + ":" + (port != nullptr ? port : "");
}

std::string Field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value != nullptr ? value : "";
}

PgError ResultError(const PGresult* result, const PGconn* conn) {
  PgError e;
  e.sqlstate = Field(result, PG_DIAG_SQLSTATE);
  e.routine = Field(result, PG_DIAG_SOURCE_FUNCTION);
  e.message = Field(result, PG_DIAG_MESSAGE_PRIMARY);
  e.detail = Field(result, PG_DIAG_MESSAGE_DETAIL);
  if (std::string hint = Field(result, PG_DIAG_MESSAGE_HINT); !hint.empty()) {
    e.detail += (e.detail.empty() ? "" : " ") + hint;
  }
  if (e.message.empty()) e.message = FirstLine(PQresultErrorMessage(result));
  // libpq's own errors (the connection dropped) carry no SQLSTATE.
  e.kind = !e.sqlstate.empty()                ? PgErrorKind::kServer
           : PQstatus(conn) == CONNECTION_BAD ? PgErrorKind::kConnectionLost
                                              : PgErrorKind::kInternal;
  return e;
}

}  // namespace

PgConnection::~PgConnection() {
  // Never blocks: PQfinish only queues a Terminate message on an established connection.
  if (conn_ != nullptr) PQfinish(conn_);
}

bool PgConnection::Wait(bool for_write, SteadyTime deadline) const {
  const int fd = PQsocket(conn_);
  if (fd < 0) return true;  // let libpq report the broken connection
  while (true) {
    const int64_t left = MillisLeft(deadline);
    if (left <= 0) return false;
    pollfd p{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
    const int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 60'000)));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // libpq will see the socket error itself
  }
}

PgError PgConnection::Broken(PgErrorKind kind, std::string message) {
  abandoned_ = true;
  PgError e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

PgError PgConnection::Connect(const PgConnectParams& params, SteadyTime deadline) {
  const auto t0 = steady_clock::now();
  PgError error;
  std::vector<std::string> hosts;
  std::vector<std::string> addresses;
  if (!params.host.empty() && params.host[0] == '/') {
    hosts.push_back(params.host);  // unix socket directory: nothing to resolve
  } else {
    ResolveResult resolved = ResolveHost(params.host, deadline);
    info_.resolve_seconds = SecondsSince(t0);
    if (!resolved.ok()) {
      error.kind = resolved.timed_out  ? PgErrorKind::kTimeout
                   : resolved.internal ? PgErrorKind::kInternal
                                       : PgErrorKind::kDns;
      error.stage = "resolving the host name";
      error.message = "could not resolve host \"" + params.host + "\": " + resolved.error;
      return error;
    }
    addresses = resolved.addresses;
    // One host entry per address: libpq tries them in order and checks SSL names against host.
    hosts.assign(addresses.size(), params.host);
  }
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
  };
  const std::string host_list = join(hosts);
  const std::string addr_list = join(addresses);
  const std::string port = std::to_string(params.port);
  // libpq ignores connect_timeout under PQconnectPoll (the poll loop below enforces the
  // deadline); it is set anyway so that any blocking path libpq might take stays bounded too.
  const std::string connect_timeout = std::to_string(
      std::max<int64_t>(2, static_cast<int64_t>(std::ceil(MillisLeft(deadline) / 1000.0))));

  std::vector<const char*> keys;
  std::vector<const char*> values;
  auto add = [&](const char* key, const std::string& value) {
    keys.push_back(key);
    values.push_back(value.c_str());
  };
  add("host", host_list);
  if (!addr_list.empty()) add("hostaddr", addr_list);
  add("port", port);
  add("dbname", params.dbname);
  add("user", params.user);
  if (params.password) add("password", *params.password);
  add("sslmode", params.sslmode);
  if (!params.sslrootcert.empty()) add("sslrootcert", params.sslrootcert);
  if (!params.application_name.empty()) add("application_name", params.application_name);
  add("connect_timeout", connect_timeout);
  static const std::string kDisable = "disable";
  static const std::string kUtf8 = "UTF8";
  add("gssencmode", kDisable);  // no Kerberos round trips the config did not ask for
  add("client_encoding", kUtf8);
  keys.push_back(nullptr);
  values.push_back(nullptr);

  // expand_dbname = 0: a database name is only ever a name, never a connection string.
  conn_ = PQconnectStartParams(keys.data(), values.data(), 0);
  if (conn_ == nullptr) {
    error.kind = PgErrorKind::kInternal;
    error.message = "libpq could not allocate a connection";
    return error;
  }
  // Connection-time server errors reach us only as text; VERBOSE puts the SQLSTATE and the
  // raising routine into it (pg_error.h).
  PQsetErrorVerbosity(conn_, PQERRORS_VERBOSE);
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);

  const auto t_connect = steady_clock::now();
  ConnStatusType stage = PQstatus(conn_);
  PostgresPollingStatusType poll_status = PGRES_POLLING_WRITING;
  bool timed_out = false;
  while (PQstatus(conn_) != CONNECTION_BAD && poll_status != PGRES_POLLING_OK &&
         poll_status != PGRES_POLLING_FAILED) {
    if (!Wait(poll_status == PGRES_POLLING_WRITING, deadline)) {
      timed_out = true;
      break;
    }
    poll_status = PQconnectPoll(conn_);
    if (poll_status != PGRES_POLLING_FAILED && PQstatus(conn_) != CONNECTION_BAD) {
      stage = PQstatus(conn_);
    }
  }
  info_.connect_seconds = SecondsSince(t_connect);
  info_.address = FormatHostPort(PQhostaddr(conn_), PQport(conn_));
  if (info_.address.empty() && !params.host.empty() && params.host[0] == '/') {
    info_.address = params.host;
  }
  info_.password_used = PQconnectionUsedPassword(conn_) != 0;

  if (!timed_out && PQstatus(conn_) == CONNECTION_OK) {
    const char* version = PQparameterStatus(conn_, "server_version");
    info_.server_version = version != nullptr ? version : "";
    info_.server_version_num = PQserverVersion(conn_);
    info_.ssl = PQsslInUse(conn_) != 0;
    if (const char* protocol = PQsslAttribute(conn_, "protocol")) info_.ssl_protocol = protocol;
    PQsetnonblocking(conn_, 1);
    return error;
  }
  error.stage = StageOf(stage);
  if (timed_out) {
    error.kind = PgErrorKind::kTimeout;
    error.message = "deadline reached while " + error.stage;
    abandoned_ = true;
    return error;
  }
  const std::string text = PQerrorMessage(conn_);
  abandoned_ = true;
  if (ParseVerboseServerError(text, error)) {
    error.kind = PgErrorKind::kServer;
    return error;
  }
  error.message = LastErrorLine(text);
  if (PQconnectionNeedsPassword(conn_) && !params.password) {
    error.kind = PgErrorKind::kPasswordRequired;
  } else if (stage == CONNECTION_SSL_STARTUP) {
    error.kind = PgErrorKind::kTls;
  } else if (text.find(std::strerror(ECONNREFUSED)) != std::string::npos) {
    // libpq has no error code for a refused connection, only strerror()'s text in its message.
    // The same process's strerror() produced it, so comparing with ours is locale-proof.
    error.kind = PgErrorKind::kConnectionRefused;
  } else {
    error.kind = PgErrorKind::kConnect;
  }
  return error;
}

bool PgConnection::usable() const {
  return conn_ != nullptr && !abandoned_ && PQstatus(conn_) == CONNECTION_OK &&
         PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool PgConnection::CheckAlive() {
  if (!usable()) return false;
  pollfd p{PQsocket(conn_), POLLIN, 0};
  // An idle session we never LISTENed on has nothing to receive but the server's goodbye
  // (57P01 "terminating connection", idle_session_timeout, EOF), which may arrive in pieces.
  // Anything readable means: do not reuse it; a fresh connection costs one handshake.
  if (poll(&p, 1, 0) != 0) {
    abandoned_ = true;
    return false;
  }
  return true;
}

bool PgConnection::Flush(SteadyTime deadline, PgError& error) {
  while (true) {
    const int rc = PQflush(conn_);
    if (rc == 0) return true;
    if (rc < 0) {
      error = Broken(PgErrorKind::kConnectionLost, FirstLine(PQerrorMessage(conn_)));
      return false;
    }
    if (!Wait(true, deadline)) {
      error = Broken(PgErrorKind::kTimeout, "deadline reached while sending the statement");
      return false;
    }
    // Reading while waiting to write keeps a server that is sending from deadlocking us.
    if (!PQconsumeInput(conn_)) {
      error = Broken(PgErrorKind::kConnectionLost, FirstLine(PQerrorMessage(conn_)));
      return false;
    }
  }
}

void PgConnection::Collect(SteadyTime deadline, size_t keep_rows, PgQueryResult& out) {
  while (true) {
    while (PQisBusy(conn_)) {
      if (!Wait(false, deadline)) {
        if (out.error.ok()) {
          out.error = Broken(PgErrorKind::kTimeout, "deadline reached waiting for the server");
        }
        abandoned_ = true;
        return;
      }
      if (!PQconsumeInput(conn_)) {
        if (out.error.ok()) {
          out.error = Broken(PgErrorKind::kConnectionLost, FirstLine(PQerrorMessage(conn_)));
        }
        abandoned_ = true;
        return;
      }
    }
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) return;
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
      if (out.columns.empty()) {
        for (int c = 0; c < PQnfields(result); ++c) out.columns.emplace_back(PQfname(result, c));
      }
      for (int r = 0; r < PQntuples(result); ++r) {
        ++out.row_count;
        if (out.rows.size() >= keep_rows) continue;
        std::vector<PgValue> row;
        for (int c = 0; c < PQnfields(result); ++c) {
          if (PQgetisnull(result, r, c)) {
            row.emplace_back(std::nullopt);
          } else {
            const int len = std::min<int>(PQgetlength(result, r, c), kPgMaxValueBytes);
            row.emplace_back(std::string(PQgetvalue(result, r, c), len));
          }
        }
        out.rows.push_back(std::move(row));
      }
    } else if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE ||
               status == PGRES_NONFATAL_ERROR) {
      if (out.error.ok()) out.error = ResultError(result, conn_);
    } else if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      // COPY would wait for data we never send: give the session up.
      if (out.error.ok()) {
        out.error.kind = PgErrorKind::kInternal;
        out.error.message = "COPY is not supported in probe queries";
      }
      PQclear(result);
      abandoned_ = true;
      return;
    }
    PQclear(result);
  }
}

PgError PgConnection::Command(const std::string& sql, SteadyTime deadline) {
  PgQueryResult out;
  if (!PQsendQuery(conn_, sql.c_str())) {
    return Broken(PgErrorKind::kConnectionLost, FirstLine(PQerrorMessage(conn_)));
  }
  if (!Flush(deadline, out.error)) return out.error;
  Collect(deadline, 0, out);
  return out.error;
}

PgQueryResult PgConnection::QueryReadOnly(std::string_view sql,
                                          const std::vector<std::string>& params, size_t keep_rows,
                                          SteadyTime deadline) {
  PgQueryResult out;
  if (conn_ == nullptr || abandoned_ || PQstatus(conn_) != CONNECTION_OK) {
    out.error.kind = PgErrorKind::kConnectionLost;
    out.error.message = "the connection is not usable";
    return out;
  }
  const int64_t left = MillisLeft(deadline);
  if (left <= 0) {
    out.error.kind = PgErrorKind::kTimeout;
    out.error.message = "deadline reached before the statement could start";
    return out;
  }
  // The server cancels the statement a little before our deadline, so its answer (SQLSTATE
  // 57014) arrives in time and the session stays usable.
  const int64_t statement_ms = std::max<int64_t>(1, left - std::min<int64_t>(200, left / 5));
  out.error = Command("BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = " +
                          std::to_string(statement_ms) + "; SELECT 1",
                      deadline);
  if (!out.error.ok()) {
    if (!abandoned_) Command("ROLLBACK", deadline);
    return out;
  }

  const std::string text(sql);
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  const auto t0 = steady_clock::now();
  if (!PQsendQueryParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                         values.empty() ? nullptr : values.data(), nullptr, nullptr, 0)) {
    out.error = Broken(PgErrorKind::kConnectionLost, FirstLine(PQerrorMessage(conn_)));
    return out;
  }
  // Row by row: a statement returning millions of rows is counted, not held in memory.
  PQsetSingleRowMode(conn_);
  if (Flush(deadline, out.error)) Collect(deadline, keep_rows, out);
  out.seconds = SecondsSince(t0);
  if (!abandoned_) {
    PgError rollback = Command("ROLLBACK", deadline);
    if (out.error.ok() && !rollback.ok()) out.error = rollback;
  }
  return out;
}

}  // namespace smoke::clients
