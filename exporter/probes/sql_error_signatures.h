#pragma once
// Text that only a database error puts into a response: when an injection payload makes one of
// these appear, the application passed the input to SQL unescaped and shows the world its
// database's error. The list covers what PostgreSQL, MySQL/MariaDB, SQLite, SQL Server and Oracle
// print, and the exception names of the common drivers and ORMs (psycopg, asyncpg, SQLAlchemy,
// Django, ActiveRecord, JDBC, PDO, Sequelize, TypeORM, Prisma). Patterns are RE2 (linear time on
// a hostile body) and specific enough not to fire on ordinary JSON.
// Thread-safety: SqlErrorScanner is immutable after Create; Find may be called concurrently.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/status.h"

namespace re2 {
class RE2;
}

namespace smoke::probes {

struct SqlErrorSignature {
  std::string_view database;  // "PostgreSQL", "MySQL", ... or "custom"
  std::string_view pattern;
};

// The built-in signatures.
const std::vector<SqlErrorSignature>& BuiltinSqlErrorSignatures();

struct SqlErrorMatch {
  std::string database;  // which signature family matched
  std::string text;      // the matched text with some context, printable and capped
};

class SqlErrorScanner {
 public:
  // The built-in signatures plus `extra` (RE2, database "custom"); fails on a bad extra pattern.
  static core::Result<SqlErrorScanner> Create(const std::vector<std::string>& extra);

  // The first signature found in `text`, or nullopt.
  std::optional<SqlErrorMatch> Find(std::string_view text) const;

 private:
  struct Compiled {
    std::string database;
    std::shared_ptr<const re2::RE2> regex;
  };
  std::vector<Compiled> signatures_;
};

}  // namespace smoke::probes
