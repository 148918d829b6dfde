#pragma once
// What went wrong talking to PostgreSQL, as plain data: no libpq type, no exception. The probe
// maps it to a bounded core::Reason (probes/postgres_reasons.h); the text is evidence only.
//
// Where the server answered, `sqlstate` and `routine` come from the error's structured fields
// (SQLSTATE and PG_DIAG_SOURCE_FUNCTION), which PostgreSQL never translates. The primary message
// is translated by the server's lc_messages: it is shown to people, never classified.
// Thread-safety: plain values.

#include <string>
#include <string_view>

namespace smoke::clients {

enum class PgErrorKind {
  kNone,
  kDns,                // the host name did not resolve
  kConnectionRefused,  // every address answered the TCP SYN with RST
  kConnect,            // any other failure before the session was up (unreachable, closed early)
  kTls,                // SSL negotiation or certificate verification failed (or the server has
                       // no SSL and sslmode requires it)
  kTimeout,            // the caller's deadline passed, in whatever phase
  kPasswordRequired,   // the server asked for a password and none was configured
  kServer,             // the server sent an ErrorResponse: see sqlstate / routine
  kConnectionLost,     // the session broke during a statement without an SQLSTATE
  kInternal,           // out of memory, a libpq call failed unexpectedly
};

std::string_view PgErrorKindName(PgErrorKind kind);

struct PgError {
  PgErrorKind kind = PgErrorKind::kNone;
  std::string sqlstate;  // five characters, e.g. "28P01"; "" when the server sent none
  std::string routine;   // server function that raised it, e.g. "InitializeSessionUserId"
  std::string message;   // one line: the server's primary message or libpq's text
  std::string detail;    // the server's DETAIL / HINT lines, if any
  // Where the failure happened, for people: "waiting for authentication", "negotiating SSL".
  std::string stage;

  bool ok() const { return kind == PgErrorKind::kNone; }
};

// The server error inside a libpq connection-failure text produced with PQERRORS_VERBOSE.
// libpq keeps a connection-time ErrorResponse only as text (there is no PGresult to call
// PQresultErrorField on), formatted from the fields as
//   <SEVERITY>:  <SQLSTATE>: <primary message>
//   [DETAIL:  ...]
//   [HINT:  ...]
//   LOCATION:  <routine>, <file>:<line>
// (labels translated by libpq's locale, SQLSTATE and routine never). The last such error wins:
// libpq may try several addresses or SSL modes and appends one text per attempt.
// Returns false, leaving `out` untouched, when the text holds no SQLSTATE.
bool ParseVerboseServerError(std::string_view text, PgError& out);

// The first line of `text`, without trailing whitespace, capped at `max_bytes`.
std::string FirstLine(std::string_view text, size_t max_bytes = 400);
// The last line of a libpq connection-failure text that is not an indented hint (libpq appends
// one "connection to server at ... failed: ..." line per attempt; the last attempt matters).
std::string LastErrorLine(std::string_view text, size_t max_bytes = 400);

}  // namespace smoke::clients
