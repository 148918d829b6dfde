// The `postgres:` block, the postgres target syntax and the `expect:` language: what a valid file
// produces, and the exact message (with line:column) for each mistake.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "exporter/config/loader.h"
#include "exporter/config/postgres_parser.h"

#include "tests/unit/config/config_test_util.h"
namespace smoke::config {
namespace {

using ::smoke::config::test_util::Env;
using ::smoke::config::test_util::FindProbe;

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;

const std::string kGoodFile = std::string(SMOKE_TESTDATA_DIR) + "/config/postgres-good.yml";

// The loader's message for a config holding one probe whose postgres block is `block` (lines
// indented by 6 spaces) and whose target is `target`.
std::string ErrorFor(const std::string& target, const std::string& block) {
  const std::string yaml =
      "probes:\n"
      "  - name: db\n"
      "    kind: postgres\n"
      "    target: " +
      target + "\n" + (block.empty() ? "" : "    postgres:\n" + block);
  core::Result<ConfigPtr> got = LoadConfigText(yaml, "c.yml", Env({{"PW", "pw"}}));
  if (got.ok()) return "loaded";
  return got.status().message();
}

const std::string kUrl = "postgresql://app@db.internal:5432/appdb";

class PostgresGoodConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Result<ConfigPtr> got =
        LoadConfigFile(kGoodFile, Env({{"PGPASSWORD_STAGING", "staging-pw-123"}}));
    ASSERT_TRUE(got.ok()) << got.status().message();
    config_ = *got;
  }
  ConfigPtr config_;
};

TEST_F(PostgresGoodConfigTest, ReadsEveryKeyOfTheBlock) {
  const ProbeSpec& p = FindProbe(*config_, "db_core");
  EXPECT_EQ(p.kind, "postgres");
  EXPECT_EQ(p.component, "database");
  const PostgresSpec& pg = p.postgres;
  ASSERT_TRUE(pg.password.has_value());
  EXPECT_EQ(pg.password->value(), "staging-pw-123");
  EXPECT_EQ(pg.password->source(), "env:PGPASSWORD_STAGING");
  EXPECT_TRUE(pg.keep_connection);
  EXPECT_THAT(pg.tables, ElementsAre("companies", "public.filings"));
  EXPECT_THAT(pg.min_rows, ElementsAre(Pair("companies", 1)));
  EXPECT_EQ(pg.max_connections_ratio, 0.9);
  EXPECT_EQ(pg.max_replication_lag, seconds(30));
  ASSERT_EQ(pg.queries.size(), 2u);
  EXPECT_EQ(pg.queries[0].name, "companies_count");
  EXPECT_EQ(pg.queries[0].sql, "select count(*) from companies");
  ASSERT_TRUE(pg.queries[0].expect.has_value());
  EXPECT_EQ(FormatPostgresExpect(*pg.queries[0].expect), ">= 1");
  EXPECT_EQ(pg.queries[0].max_latency, milliseconds(200));
  EXPECT_EQ(pg.queries[0].severity, core::Severity::kFail);
  EXPECT_EQ(FormatPostgresExpect(*pg.queries[1].expect), "== false");
  EXPECT_EQ(pg.queries[1].severity, core::Severity::kWarn);
  EXPECT_EQ(pg.queries[1].pos.line, 30);
  EXPECT_THAT(config_->warnings, IsEmpty());
}

TEST_F(PostgresGoodConfigTest, MergesTheTargetUrlWithTheBlock) {
  core::Result<PostgresEndpoint> e = ResolvePostgresEndpoint(
      FindProbe(*config_, "db_core").target, FindProbe(*config_, "db_core").postgres);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 5432);
  EXPECT_EQ(e->dbname, "corporate_intel_staging");
  EXPECT_EQ(e->user, "intel_user");
  EXPECT_EQ(e->sslmode, "disable");
  EXPECT_EQ(e->application_name, "smoke_exporter");  // the default
}

TEST_F(PostgresGoodConfigTest, TakesConnectionSettingsFromTheModule) {
  const ProbeSpec& p = FindProbe(*config_, "db_from_module");
  core::Result<PostgresEndpoint> e = ResolvePostgresEndpoint(p.target, p.postgres);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 6432);
  EXPECT_EQ(e->dbname, "reporting");
  EXPECT_EQ(e->user, "intel_user");  // module
  EXPECT_EQ(e->sslmode, "require");  // module
  EXPECT_EQ(e->application_name, "smoke_reporting");
  EXPECT_THAT(p.postgres.tables, ElementsAre("companies", "filings"));
}

TEST_F(PostgresGoodConfigTest, RendersThePasswordAsItsSourceOnly) {
  const std::string yaml = RenderConfigYaml(*config_);
  EXPECT_THAT(yaml, HasSubstr("password: <secret from env:PGPASSWORD_STAGING>"));
  EXPECT_THAT(yaml, HasSubstr("expect: \">= 1\""));
  EXPECT_THAT(yaml, HasSubstr("max_replication_lag: 30s"));
  EXPECT_THAT(yaml, Not(HasSubstr("staging-pw-123")));
}

TEST(PostgresConfigTest, SkipsWithAWarningWhenThePasswordVariableIsUnset) {
  core::Result<ConfigPtr> got = LoadConfigFile(kGoodFile, Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  // The module, the probe with its own block and the probe built from the module each say so.
  ASSERT_EQ((*got)->warnings.size(), 3u);
  const std::string unset = "secret env:PGPASSWORD_STAGING is not set; ";
  EXPECT_THAT(
      (*got)->warnings,
      ElementsAre(kGoodFile + ":9:21: " + unset + "module \"pg_app\" will be skipped",
                  kGoodFile + ":9:21: " + unset + "probe \"db_from_module\" will be skipped",
                  kGoodFile + ":19:21: " + unset + "probe \"db_core\" will be skipped"));
  EXPECT_FALSE(FindProbe(**got, "db_core").postgres.password->present());
}

struct BadBlock {
  const char* what;
  std::string target;
  std::string block;
  std::string error;  // after "c.yml:"
};

TEST(PostgresConfigTest, RejectsEachMistakeWithItsExactMessage) {
  const std::vector<BadBlock> cases = {
      {"password in the URL", "postgresql://app:hunter2@db.internal/appdb", "",
       "4:13: postgres target URL must not contain a password; use password_file or password_env "
       "in the postgres block"},
      {"password with a slash", "postgresql://app:hun/ter2@db.internal/appdb", "",
       "4:13: postgres target URL must not contain a password; use password_file or password_env "
       "in the postgres block"},
      {"user part not repeated", "postgresql://hunter2@db.internal:0/appdb", "",
       "4:13: postgres target \"postgresql://db.internal:0/appdb\" has an invalid port \"0\" "
       "(expected 1-65535)"},
      {"password as a URL parameter", "postgresql://app@db/appdb?password=hunter2", "",
       "4:13: postgres target URL must not contain a password; use password_file or password_env "
       "in the postgres block"},
      {"unsupported URL parameter", kUrl + "?connect_timeout=3", "",
       "4:13: unsupported parameter \"connect_timeout\" in postgres target URL (supported: "
       "application_name, sslmode, sslrootcert)"},
      {"bad sslmode in the URL", kUrl + "?sslmode=on", "",
       "4:13: invalid sslmode \"on\" in postgres target URL (expected one of: disable, allow, "
       "prefer, require, verify-ca, verify-full)"},
      {"host without port", "db.internal", "      user: app\n      dbname: appdb\n",
       "4:13: postgres target \"db.internal\" must be a postgresql:// URL, host:port or "
       "[ipv6]:port"},
      {"another scheme", "mysql://db.internal/appdb", "      user: app\n      dbname: appdb\n",
       "4:13: postgres target must be a postgresql:// URL, host:port or [ipv6]:port"},
      {"bad port", "postgresql://app@db.internal:99999/appdb", "",
       "4:13: postgres target \"postgresql://db.internal:99999/appdb\" has an invalid port "
       "\"99999\" (expected 1-65535)"},
      {"several hosts", "postgresql://app@db1:5432,db2:5432/appdb", "",
       "4:13: postgres target \"postgresql://db1:5432,db2:5432/appdb\" names several hosts; "
       "write one probe per host"},
      {"unknown key", kUrl, "      tabels: [companies]\n",
       "6:7: unknown key \"tabels\" in postgres (expected one of: application_name, dbname, "
       "keep_connection, max_connections_ratio, max_replication_lag, min_rows, password_env, "
       "password_file, queries, sslmode, sslrootcert, tables, user) \xE2\x80\x94 did you mean "
       "\"tables\"?"},
      {"inline password", kUrl, "      password: hunter2\n",
       "6:7: unknown key \"password\" in postgres (expected one of: application_name, dbname, "
       "keep_connection, max_connections_ratio, max_replication_lag, min_rows, password_env, "
       "password_file, queries, sslmode, sslrootcert, tables, user) \xE2\x80\x94 secrets are "
       "read from password_file or password_env, never inline"},
      {"bad sslmode", "db.internal:5432",
       "      user: app\n      dbname: appdb\n"
       "      sslmode: required\n",
       "8:16: invalid value \"required\" for \"sslmode\" (expected one of: disable, allow, prefer, "
       "require, verify-ca, verify-full) \xE2\x80\x94 did you mean \"require\"?"},
      {"both password sources", kUrl,
       "      password_file: /run/secrets/pg\n      password_env: PW\n",
       "7:7: \"password_file\" and \"password_env\" are mutually exclusive; set one"},
      {"dbname twice", kUrl, "      dbname: other\n",
       "6:7: \"dbname\" is also set in the target URL; set it in one place"},
      {"no database name", "postgresql://app@db.internal:5432", "",
       "2:5: missing database name for probe \"db\": add /DBNAME to a postgresql:// target or "
       "set postgres.dbname"},
      {"no user", "db.internal:5432", "      dbname: appdb\n",
       "2:5: missing user for probe \"db\": add USER@ to a postgresql:// target or set "
       "postgres.user"},
      {"bad table name", kUrl, "      tables: [companies, \"drop table x;\"]\n",
       "6:27: invalid table name \"drop table x;\" (expected name or schema.name: letters, digits, "
       "_ and $)"},
      {"duplicate table", kUrl, "      tables: [companies, companies]\n",
       "6:27: duplicate table \"companies\" in \"tables\""},
      {"zero min_rows", kUrl, "      min_rows: {companies: 0}\n",
       "6:29: \"min_rows\" of \"companies\" must be at least 1, got 0"},
      {"ratio above 1", kUrl, "      max_connections_ratio: 1.5\n",
       "6:30: \"max_connections_ratio\" must be greater than 0 and at most 1, got 1.5"},
      {"bad lag", kUrl, "      max_replication_lag: soon\n",
       "6:28: expected a duration (e.g. 15s, 1m30s) for \"max_replication_lag\", got \"soon\""},
      {"expect without operator", kUrl,
       "      queries:\n        - {name: q, sql: select 1, expect: 'one'}\n",
       "7:44: invalid expect \"one\": expected an operator (==, !=, <, <=, >, >=) and a value, "
       "e.g. '>= 1' or '== \"ok\"'"},
      {"expect ordering text", kUrl,
       "      queries:\n        - {name: q, sql: select 1, expect: '> \"a\"'}\n",
       "7:44: invalid expect \"> \"a\"\": \">\" compares numbers only"},
      {"expect bad operand", kUrl,
       "      queries:\n        - {name: q, sql: select 1, expect: '== ok'}\n",
       "7:44: invalid expect \"== ok\": expected a number, a \"quoted string\", true, false or "
       "null after \"==\""},
      {"query without sql", kUrl, "      queries:\n        - name: q\n",
       "7:11: missing required key \"sql\" in query \"q\""},
      {"bad query name", kUrl, "      queries:\n        - {name: 'count rows', sql: select 1}\n",
       "7:18: invalid query name \"count rows\" (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)"},
      {"duplicate query name", kUrl,
       "      queries:\n        - {name: q, sql: select 1}\n        - {name: q, sql: select 2}\n",
       "8:18: duplicate query name \"q\" (first defined on line 7)"},
      {"unknown query key", kUrl,
       "      queries:\n        - {name: q, sql: select 1, timeout: 1s}\n",
       "7:36: unknown key \"timeout\" in query (expected one of: expect, max_latency, name, "
       "severity, sql)"},
      {"bad severity", kUrl,
       "      queries:\n        - {name: q, sql: select 1, severity: critical}\n",
       "7:46: invalid value \"critical\" for \"severity\" (expected one of: fail, warn)"},
  };
  for (const BadBlock& c : cases) {
    const std::string message = ErrorFor(c.target, c.block);
    EXPECT_EQ(message, "c.yml:" + c.error) << c.what;
    EXPECT_THAT(message, Not(HasSubstr("hunter2"))) << c.what;
  }
}

TEST(PostgresConfigTest, RejectsAPostgresBlockOnAnotherKind) {
  core::Result<ConfigPtr> got = LoadConfigText(
      "probes:\n  - name: api\n    kind: http\n    target: http://127.0.0.1:1/\n"
      "    postgres: {dbname: x}\n",
      "c.yml", Env({}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:5:5: \"postgres\" block is not allowed for kind \"http\"");
}

TEST(PostgresConfigTest, ResolvesAModuleAgainstAProbeTargetAtRunTime) {
  PostgresSpec spec;
  spec.user = "app";
  EXPECT_EQ(ResolvePostgresEndpoint("db:5432", spec).status().message(),
            "no database name in the target or the block");
  EXPECT_EQ(ResolvePostgresEndpoint("postgresql://other@db/app", spec).status().message(),
            "\"user\" is set both in the target URL and in the postgres block");
  core::Result<PostgresEndpoint> e =
      ResolvePostgresEndpoint("postgres://db.internal/my%20db?application_name=x%2Dy", spec);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->dbname, "my db");
  EXPECT_EQ(e->port, 5432);
  EXPECT_EQ(e->application_name, "x-y");
  EXPECT_EQ(e->sslmode, "prefer");
}

TEST(PostgresExpectTest, ParsesEachFormAndFormatsItCanonically) {
  const std::pair<const char*, const char*> cases[] = {
      {">= 1", ">= 1"},
      {">=1", ">= 1"},
      {"== 0", "== 0"},
      {"!= 3.5", "!= 3.5"},
      {"< -2", "< -2"},
      {"1", "== 1"},
      {"true", "== true"},
      {"false", "== false"},
      {"== false", "== false"},
      {"== \"ok\"", "== \"ok\""},
      {"!= \"a \\\"b\\\"\"", "!= \"a \\\"b\\\"\""},
      {"== null", "== null"},
      {"!= null", "!= null"},
      {"  > 10  ", "> 10"},
  };
  for (const auto& [text, canonical] : cases) {
    core::Result<PostgresExpect> e = ParsePostgresExpect(text);
    ASSERT_TRUE(e.ok()) << text << ": " << e.status().message();
    EXPECT_EQ(FormatPostgresExpect(*e), canonical) << text;
  }
}

TEST(PostgresExpectTest, RejectsTextThatIsNotAComparison) {
  for (const char* text :
       {"", "ok", "=> 1", "== ", "== \"open", "== \"a\" b", ">= true", "< null", "== 1 2"}) {
    EXPECT_FALSE(ParsePostgresExpect(text).ok()) << text;
  }
}

}  // namespace
}  // namespace smoke::config
