#include "exporter/config/postgres_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <vector>

#include "exporter/config/did_you_mean.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// "name" or "schema.name", unquoted identifiers: what to_regclass() resolves without surprises.
bool IsValidTableName(std::string_view name) {
  auto ident = [](std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) {
      return false;
    }
    return std::all_of(s.begin(), s.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
    });
  };
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) return ident(name);
  return ident(name.substr(0, dot)) && ident(name.substr(dot + 1));
}

bool IsValidQueryName(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::optional<double> ParseNumber(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A value without an operator, or the operand after one.
std::optional<PostgresExpect> ParseOperand(std::string_view s) {
  PostgresExpect e;
  if (s == "true" || s == "false") {
    e.type = PostgresExpect::Type::kBool;
    e.boolean = s == "true";
    return e;
  }
  if (s == "null") {
    e.type = PostgresExpect::Type::kNull;
    return e;
  }
  if (!s.empty() && s.front() == '"') {
    std::string text;
    size_t i = 1;
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
      text += s[i];
    }
    if (i + 1 != s.size()) return std::nullopt;  // unterminated, or text after the quote
    e.type = PostgresExpect::Type::kText;
    e.text = std::move(text);
    return e;
  }
  if (std::optional<double> n = ParseNumber(s)) {
    e.type = PostgresExpect::Type::kNumber;
    e.number = *n;
    return e;
  }
  return std::nullopt;
}

std::string_view OpText(PostgresExpect::Op op) {
  switch (op) {
    case PostgresExpect::Op::kEq:
      return "==";
    case PostgresExpect::Op::kNe:
      return "!=";
    case PostgresExpect::Op::kLt:
      return "<";
    case PostgresExpect::Op::kLe:
      return "<=";
    case PostgresExpect::Op::kGt:
      return ">";
    case PostgresExpect::Op::kGe:
      return ">=";
  }
  return "==";
}

std::string Missing(const ParseContext& ctx, const std::string& what, const std::string& how) {
  return "missing " + what + " for " + ctx.owner + ": " + how;
}

// Settings given both in the URL and in the block, and settings given in neither.
void CheckAgainstTarget(const PostgresSpec& spec, const MapReader* map, const std::string& target,
                        Mark owner_mark, ParseContext& ctx) {
  core::Result<PostgresTarget> parsed = ParsePostgresTarget(target);
  if (!parsed.ok()) return;  // reported at the target by the probe builder
  const PostgresTarget& t = *parsed;
  const std::pair<const char*, const std::string*> twice[] = {
      {"dbname", &t.dbname},
      {"user", &t.user},
      {"sslmode", &t.sslmode},
      {"sslrootcert", &t.sslrootcert},
      {"application_name", &t.application_name}};
  for (const auto& [key, from_url] : twice) {
    if (map != nullptr && map->Has(key) && !from_url->empty()) {
      ctx.diag.Error(map->KeyMark(key),
                     Quote(key) + " is also set in the target URL; set it in one place");
    }
  }
  if (t.dbname.empty() && spec.dbname.empty()) {
    ctx.diag.Error(owner_mark, Missing(ctx, "database name",
                                       "add /DBNAME to a postgresql:// target or set "
                                       "postgres.dbname"));
  }
  if (t.user.empty() && spec.user.empty()) {
    ctx.diag.Error(owner_mark, Missing(ctx, "user",
                                       "add USER@ to a postgresql:// target or set postgres.user"));
  }
}

void ParseQueries(const YamlNode& list, PostgresSpec& spec, ParseContext& ctx) {
  if (!CheckSequence(list, Quote("queries"), ctx.diag)) return;
  std::map<std::string, int> lines;  // name -> line of first definition
  for (const YamlNodePtr& item : list.items) {
    if (!item->IsMap()) {
      if (!item->poisoned) {
        ctx.diag.Error(item->mark,
                       "expected a mapping for a query (e.g. {name: n, sql: 'select 1'}), got " +
                           item->Describe());
      }
      continue;
    }
    MapReader map(*item, "query", {"expect", "max_latency", "name", "severity", "sql"}, ctx.diag);
    PostgresQuery q;
    q.pos = ctx.diag.Position(item->mark);
    if (!map.Has("name")) ctx.diag.Error(item->mark, "missing required key \"name\" in query");
    if (std::optional<std::string> name = map.String("name")) {
      const Mark mark = map.ValueMark("name");
      if (!IsValidQueryName(*name)) {
        ctx.diag.Error(
            mark, "invalid query name " + Quoted(*name) + " (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)");
      } else if (auto [it, inserted] = lines.emplace(*name, mark.line); !inserted) {
        ctx.diag.Error(mark, "duplicate query name " + Quoted(*name) + " (first defined on line " +
                                 std::to_string(it->second) + ")");
      }
      q.name = *name;
    }
    if (!map.Has("sql")) {
      ctx.diag.Error(item->mark, "missing required key \"sql\" in query" +
                                     (q.name.empty() ? std::string() : " " + Quoted(q.name)));
    } else if (std::optional<std::string> sql = map.String("sql")) {
      if (Trim(*sql).empty()) ctx.diag.Error(map.ValueMark("sql"), "\"sql\" must not be empty");
      q.sql = *sql;
    }
    if (std::optional<std::string> expect = map.String("expect")) {
      core::Result<PostgresExpect> parsed = ParsePostgresExpect(*expect);
      if (parsed.ok()) {
        q.expect = *parsed;
      } else {
        ctx.diag.Error(map.ValueMark("expect"), parsed.status().message());
      }
    }
    q.max_latency = map.Duration("max_latency");
    if (std::optional<std::string> severity = map.Enum("severity", {"fail", "warn"})) {
      q.severity = *severity == "warn" ? core::Severity::kWarn : core::Severity::kFail;
    }
    spec.queries.push_back(std::move(q));
  }
}

void ParseTables(const YamlNode& list, PostgresSpec& spec, ParseContext& ctx) {
  if (!CheckSequence(list, Quote("tables"), ctx.diag)) return;
  for (const YamlNodePtr& item : list.items) {
    std::optional<std::string> name = ReadString(*item, "an item of \"tables\"", ctx.diag);
    if (!name) continue;
    if (!IsValidTableName(*name)) {
      ctx.diag.Error(item->mark, "invalid table name " + Quoted(*name) +
                                     " (expected name or schema.name: letters, digits, _ and $)");
    } else if (std::find(spec.tables.begin(), spec.tables.end(), *name) != spec.tables.end()) {
      ctx.diag.Error(item->mark, "duplicate table " + Quoted(*name) + " in \"tables\"");
    } else {
      spec.tables.push_back(*name);
    }
  }
}

void ParseMinRows(const YamlNode& node, PostgresSpec& spec, ParseContext& ctx) {
  if (!CheckMap(node, Quote("min_rows"), ctx.diag)) return;
  for (const YamlEntry& e : node.entries) {
    if (!IsValidTableName(e.key)) {
      ctx.diag.Error(e.key_mark, "invalid table name " + Quoted(e.key) +
                                     " (expected name or schema.name: letters, digits, _ and $)");
      continue;
    }
    std::optional<int64_t> n = ReadInt(*e.value, "\"min_rows\" of " + Quoted(e.key), ctx.diag);
    if (!n) continue;
    if (*n < 1) {
      ctx.diag.Error(e.value->mark, "\"min_rows\" of " + Quoted(e.key) +
                                        " must be at least 1, got " + std::to_string(*n));
      continue;
    }
    spec.min_rows.emplace_back(e.key, *n);
  }
}

std::string NonEmptyString(const MapReader& map, std::string_view key) {
  std::optional<std::string> value = map.String(key);
  if (!value) return "";
  if (value->empty()) map.diag().Error(map.ValueMark(key), Quote(key) + " must not be empty");
  return *value;
}

}  // namespace

core::Result<PostgresExpect> ParsePostgresExpect(std::string_view text) {
  const std::string where = "invalid expect " + Quoted(text) + ": ";
  const std::string_view s = Trim(text);
  if (s.empty()) return core::Status::Error(where + "it is empty");
  static const std::pair<std::string_view, PostgresExpect::Op> kOps[] = {
      {"==", PostgresExpect::Op::kEq}, {"!=", PostgresExpect::Op::kNe},
      {"<=", PostgresExpect::Op::kLe}, {">=", PostgresExpect::Op::kGe},
      {"<", PostgresExpect::Op::kLt},  {">", PostgresExpect::Op::kGt}};
  for (const auto& [op_text, op] : kOps) {
    if (s.substr(0, op_text.size()) != op_text) continue;
    const std::string_view operand = Trim(s.substr(op_text.size()));
    std::optional<PostgresExpect> e = ParseOperand(operand);
    if (!e) {
      return core::Status::Error(where +
                                 "expected a number, a \"quoted string\", true, false or "
                                 "null after " +
                                 Quoted(op_text));
    }
    e->op = op;
    const bool ordering = op != PostgresExpect::Op::kEq && op != PostgresExpect::Op::kNe;
    if (ordering && e->type != PostgresExpect::Type::kNumber) {
      return core::Status::Error(where + Quoted(op_text) + " compares numbers only");
    }
    return *e;
  }
  if (std::optional<PostgresExpect> e = ParseOperand(s)) return *e;  // a bare value: ==
  return core::Status::Error(where +
                             "expected an operator (==, !=, <, <=, >, >=) and a value, e.g. "
                             "'>= 1' or '== \"ok\"'");
}

std::string FormatPostgresExpect(const PostgresExpect& e) {
  std::string out(OpText(e.op));
  out += ' ';
  switch (e.type) {
    case PostgresExpect::Type::kNumber: {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, e.number);
      out.append(buf, ec == std::errc() ? end : buf);
      break;
    }
    case PostgresExpect::Type::kText:
      out += '"';
      for (char c : e.text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
      break;
    case PostgresExpect::Type::kBool:
      out += e.boolean ? "true" : "false";
      break;
    case PostgresExpect::Type::kNull:
      out += "null";
      break;
  }
  return out;
}

PostgresSpec ParsePostgresSpec(const YamlNode* node, const std::string& target, Mark owner_mark,
                               ParseContext& ctx) {
  PostgresSpec spec;
  const bool has_block =
      node != nullptr && CheckMap(*node, Quote("postgres"), ctx.diag) && node->IsMap();
  if (!has_block) {
    if (!target.empty()) CheckAgainstTarget(spec, nullptr, target, owner_mark, ctx);
    return spec;
  }
  MapReader map(*node, "postgres",
                {"application_name", "dbname", "keep_connection", "max_connections_ratio",
                 "max_replication_lag", "min_rows", "password_env", "password_file", "queries",
                 "sslmode", "sslrootcert", "tables", "user"},
                ctx.diag,
                {{"password", "secrets are read from password_file or password_env, never inline"},
                 {"host", "the host and port come from the probe's target"},
                 {"port", "the host and port come from the probe's target"}});
  spec.dbname = NonEmptyString(map, "dbname");
  spec.user = NonEmptyString(map, "user");
  spec.password = ReadSecretPair(map, "password", ctx);
  spec.sslmode = map.Enum("sslmode", PostgresSslModes()).value_or("");
  if (std::string path = NonEmptyString(map, "sslrootcert"); !path.empty()) {
    spec.sslrootcert = ctx.secrets.ResolvePath(path);
  }
  if (std::optional<std::string> name = map.String("application_name")) {
    const bool printable =
        std::all_of(name->begin(), name->end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    if (name->empty() || name->size() > 63 || !printable) {
      // PostgreSQL truncates longer names and replaces other characters with '?'.
      ctx.diag.Error(map.ValueMark("application_name"),
                     "\"application_name\" must be 1 to 63 printable ASCII characters");
    } else {
      spec.application_name = *name;
    }
  }
  spec.keep_connection = map.Bool("keep_connection").value_or(false);
  if (const YamlNode* tables = map.Get("tables")) ParseTables(*tables, spec, ctx);
  if (const YamlNode* min_rows = map.Get("min_rows")) ParseMinRows(*min_rows, spec, ctx);
  if (std::optional<double> ratio = map.Number("max_connections_ratio")) {
    if (!(*ratio > 0 && *ratio <= 1)) {
      ctx.diag.Error(map.ValueMark("max_connections_ratio"),
                     "\"max_connections_ratio\" must be greater than 0 and at most 1, got " +
                         map.Get("max_connections_ratio")->scalar);
    } else {
      spec.max_connections_ratio = *ratio;
    }
  }
  spec.max_replication_lag = map.Duration("max_replication_lag");
  if (const YamlNode* queries = map.Get("queries")) ParseQueries(*queries, spec, ctx);
  if (!target.empty()) CheckAgainstTarget(spec, &map, target, owner_mark, ctx);
  return spec;
}

}  // namespace smoke::config
