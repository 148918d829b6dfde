#pragma once
// Redis error replies as bounded failure reasons. The first word of an error reply is Redis's
// stable error code (NOAUTH, WRONGPASS, NOPERM, OOM, READONLY, ERR, ...), the analogue of a
// PostgreSQL SQLSTATE; the text after it changes between releases and is kept as evidence only.
// A few "ERR" replies are told apart by their text because Redis has no better code for them:
// "ERR invalid password" (Redis < 6) and the DB-index errors of SELECT.
// Thread-safety: pure functions.

#include <string_view>

#include "exporter/core/probe_result.h"

namespace smoke::probes {

// "NOAUTH" for "NOAUTH Authentication required."; the whole text if it has no space.
std::string_view RedisErrorCode(std::string_view error_text);

// `command` is the command that got the error reply, upper case ("AUTH", "SELECT", "SET", ...).
//   NOAUTH                                   -> auth_required
//   WRONGPASS; ERR invalid password;
//   ERR on AUTH about the password/arguments -> auth_failed
//   NOPERM                                   -> permission_denied
//   OOM                                      -> oom
//   READONLY                                 -> readonly
//   ERR on SELECT about the DB index         -> database_missing
//   anything else                            -> command_failed
core::Reason RedisErrorReason(std::string_view command, std::string_view error_text);

}  // namespace smoke::probes
