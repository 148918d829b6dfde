#include "exporter/probes/sql_error_signatures.h"

#include <re2/re2.h>

#include <algorithm>

#include "exporter/probes/redaction.h"

namespace smoke::probes {
namespace {

// Context shown on each side of a match: enough to recognise the error, not a dump of the page.
constexpr size_t kContextBytes = 40;
constexpr size_t kMatchBytes = 160;

}  // namespace

const std::vector<SqlErrorSignature>& BuiltinSqlErrorSignatures() {
  static const std::vector<SqlErrorSignature> kSignatures = {
      // PostgreSQL server messages and its drivers.
      {"PostgreSQL", R"(syntax error at or near ")"},
      {"PostgreSQL", R"(unterminated quoted (string|identifier) at or near)"},
      {"PostgreSQL", R"(invalid input syntax for (type )?[a-z ]+: ")"},
      {"PostgreSQL", R"((relation|column) "[^"]{1,64}" does not exist)"},
      {"PostgreSQL",
       R"(\bpsycopg2?\.(errors|Error|ProgrammingError|DataError|OperationalError)\b)"},
      {"PostgreSQL", R"(\basyncpg\.exceptions\.)"},
      {"PostgreSQL", R"(\bPG::[A-Z][A-Za-z]*Error\b)"},
      {"PostgreSQL", R"(\borg\.postgresql\.util\.PSQLException\b)"},
      // MySQL / MariaDB.
      {"MySQL", R"(You have an error in your SQL syntax)"},
      {"MySQL",
       R"(check the manual that (corresponds|fits) to your (MySQL|MariaDB) server version)"},
      {"MySQL", R"(\bmysqli?_(fetch_[a-z]+|query|num_rows|connect)\()"},
      {"MySQL", R"(\bcom\.mysql\.(cj\.)?jdbc\.)"},
      {"MySQL", R"(\bMySQLSyntaxErrorException\b)"},
      {"MySQL", R"(\b(pymysql\.err|MySQLdb\._?exceptions)\.)"},
      // SQLite.
      {"SQLite", R"(\bSQLITE_ERROR\b)"},
      {"SQLite", R"(\bsqlite3\.(OperationalError|ProgrammingError|IntegrityError)\b)"},
      {"SQLite", R"(\bSQLiteException\b)"},
      {"SQLite", R"(unrecognized token: ")"},
      {"SQLite", R"(near "[^"]{0,40}": syntax error)"},
      // SQL Server.
      {"SQL Server", R"(Unclosed quotation mark after the character string)"},
      {"SQL Server", R"(Incorrect syntax near )"},
      {"SQL Server", R"(Microsoft OLE DB Provider for (SQL Server|ODBC))"},
      {"SQL Server", R"(\[ODBC SQL Server Driver\])"},
      {"SQL Server", R"(\b(System|Microsoft)\.Data\.SqlClient\.SqlException\b)"},
      // Oracle.
      {"Oracle", R"(\bORA-[0-9]{5}\b)"},
      {"Oracle", R"(quoted string not properly terminated)"},
      {"Oracle", R"(\boracle\.jdbc\.)"},
      // Drivers and ORMs that wrap any of them.
      {"SQL", R"(\bSQLSTATE\[[0-9A-Z]{5}\])"},
      {"SQL", R"(\bPDOException\b)"},
      {"SQL", R"(\bjava\.sql\.SQL[A-Za-z]*Exception\b)"},
      {"SQL", R"(\bsqlalchemy\.exc\.)"},
      {"SQL", R"(\bdjango\.db\.utils\.(ProgrammingError|OperationalError|DataError)\b)"},
      {"SQL", R"(\bActiveRecord::StatementInvalid\b)"},
      {"SQL", R"(\bSequelizeDatabaseError\b)"},
      {"SQL", R"(\bQueryFailedError\b)"},
      {"SQL", R"(\bPrismaClient(Known|Unknown)RequestError\b)"},
  };
  return kSignatures;
}

core::Result<SqlErrorScanner> SqlErrorScanner::Create(const std::vector<std::string>& extra) {
  SqlErrorScanner scanner;
  auto add = [&](std::string_view database, std::string_view pattern) -> core::Status {
    auto re = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                               re2::RE2::Quiet);
    if (!re->ok()) {
      return core::Status::Error("invalid SQL error signature \"" + std::string(pattern) +
                                 "\": " + re->error());
    }
    scanner.signatures_.push_back({std::string(database), std::move(re)});
    return core::Status::Ok();
  };
  for (const SqlErrorSignature& s : BuiltinSqlErrorSignatures()) {
    if (core::Status st = add(s.database, s.pattern); !st.ok()) return st;
  }
  for (const std::string& pattern : extra) {
    if (core::Status st = add("custom", pattern); !st.ok()) return st;
  }
  return scanner;
}

std::optional<SqlErrorMatch> SqlErrorScanner::Find(std::string_view text) const {
  const re2::StringPiece input(text.data(), text.size());
  for (const Compiled& s : signatures_) {
    re2::StringPiece match;
    if (!s.regex->Match(input, 0, input.size(), re2::RE2::UNANCHORED, &match, 1)) continue;
    const size_t at = static_cast<size_t>(match.data() - text.data());
    const size_t from = at > kContextBytes ? at - kContextBytes : 0;
    const size_t to = std::min(text.size(), at + match.size() + kContextBytes);
    return SqlErrorMatch{s.database, PrintableSnippet(text.substr(from, to - from), kMatchBytes)};
  }
  return std::nullopt;
}

}  // namespace smoke::probes
