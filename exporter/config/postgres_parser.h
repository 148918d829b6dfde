#pragma once
// The `postgres:` block of a module or probe (after module merging) and the `expect:`
// mini-language of custom queries. The target syntax is in postgres_target.h.
//
// expect: the first column of the first row, as PostgreSQL prints it, compared with a value:
//   `>= 1`, `== 0`, `!= 3.5`   numbers (all six operators; the column must parse as a number)
//   `== "ok"`, `!= "x"`        text (== and != only)
//   `== true`, `false`         booleans (PostgreSQL prints t/f); a bare value means ==
//   `== null`, `!= null`       SQL NULL
// Thread-safety: stateless functions.

#include <string>
#include <string_view>

#include "exporter/config/config.h"
#include "exporter/config/diagnostics.h"
#include "exporter/config/postgres_target.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"
#include "exporter/core/status.h"

namespace smoke::config {

// `node` may be null (no block). `target` is the probe's target ("" for a module); when it is a
// valid postgres target, settings given twice and a missing user or database are reported (at
// the block key, or at `owner_mark` when the block lacks the key).
PostgresSpec ParsePostgresSpec(const YamlNode* node, const std::string& target, Mark owner_mark,
                               ParseContext& ctx);

// Parses an `expect:` value (see the file comment). Errors name the text and what was expected.
core::Result<PostgresExpect> ParsePostgresExpect(std::string_view text);
// The canonical form: `>= 1`, `== "ok"`, `== true`, `== null`.
std::string FormatPostgresExpect(const PostgresExpect& expect);

}  // namespace smoke::config
