#pragma once
// Evaluates a custom query's `expect:` (config/postgres_parser.h has the syntax) against what the
// query returned: the first column of the first row, in PostgreSQL's text form.
//   numbers: the value must parse as a number ("42", "0.5", "-1e3"); any operator
//   text:    exact, case-sensitive comparison
//   bools:   PostgreSQL prints t / f (true / false are accepted too)
//   null:    SQL NULL; `!= <anything>` passes on NULL, every other comparison with NULL fails
// No rows at all fails every expect.
// Thread-safety: pure functions.

#include <string>

#include "exporter/clients/pg_connection.h"
#include "exporter/config/config.h"

namespace smoke::probes {

struct ExpectVerdict {
  bool passed = false;
  std::string expected;  // "first value >= 1"
  std::string actual;    // "0", "\"degraded\"", "null", "no rows", "\"abc\" (not a number)"
};

ExpectVerdict EvaluateExpect(const config::PostgresExpect& expect,
                             const clients::PgQueryResult& result);

// The first value for people: a number or t/f as is, text quoted, "null", or "no rows".
std::string DescribeFirstValue(const clients::PgQueryResult& result);

}  // namespace smoke::probes
