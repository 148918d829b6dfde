#pragma once
// PostgreSQL failures as bounded reasons, classified from what the server and libpq report in
// structured form: the SQLSTATE, the routine that raised the error, the connection stage, the
// resolver's return code. Never from the (translated) message text.
//
//   SQLSTATE / client condition                           reason
//   28P01 invalid_password                                auth_failed (*)
//   28000 raised by InitializeSessionUserId               role_missing (**)
//   28000 otherwise (pg_hba.conf rejection, peer, ...)    auth_failed
//   3D000 invalid_catalog_name                            database_missing
//   42501 insufficient_privilege                          permission_denied
//   42P01 undefined_table                                 table_missing
//   57014 query_canceled (our statement_timeout)          timeout
//   class 08, 53300, 57P01-57P03 (connection, capacity,   connect
//     shutdown, starting up)
//   any other SQLSTATE while connecting                   connect
//   any other SQLSTATE in a statement (25006 read-only    query_failed
//     transaction, 42601 syntax error, ...)
//   resolver error / resolver deadline                    dns / timeout
//   RST on every address                                  connection_refused
//   failure while negotiating SSL                         tls
//   server wants a password, none configured              auth_required
//   client deadline in any phase                          timeout
//   connection lost mid-statement without SQLSTATE        connect
//
// (*) With password authentication (scram-sha-256, md5, password) PostgreSQL deliberately
//     answers 28P01 both for a wrong password and for a role that does not exist, so that
//     clients cannot probe for role names. The two cannot be told apart from outside; the
//     message says the role may be missing.
// (**) Under trust, peer or ident (and certificate) authentication the server looks the role up
//     after authenticating and raises 28000 from InitializeSessionUserId when it does not exist,
//     or exists without LOGIN; the message names both possibilities.
// Thread-safety: pure functions.

#include <string>

#include "exporter/clients/pg_error.h"
#include "exporter/core/probe_result.h"

namespace smoke::probes {

enum class PgPhase { kConnect, kStatement };

core::Reason ReasonForPgError(const clients::PgError& error, PgPhase phase);

// One line for ProbeResult::message / AssertionResult::actual: the server's message, its
// SQLSTATE, and what the classification means when that is not obvious (see (*) and (**)).
// `user` is the configured role name. The caller masks secrets.
std::string DescribePgError(const clients::PgError& error, const std::string& user);

}  // namespace smoke::probes
