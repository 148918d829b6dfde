// The postgres probe against a real PostgreSQL 15 on loopback (scripts/pg.sh), each failure of
// seed 000 created for real: a wrong password, a role that does not exist, a database that does
// not exist, a missing table, an empty table, a slow query, a stopped server. Specs are written
// as YAML and loaded by the real loader, so the config a user writes is what is exercised.
// One server serves the suite; it is stopped (and its directory removed) when the suite ends.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "exporter/config/loader.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/probe.h"
#include "tests/support/probe_result_inspect.h"
#include "tests/support/shell.h"

namespace smoke::probes {
namespace {

using ::smoke::testing::Describe;
using ::smoke::testing::Detail;
using ::smoke::testing::FindAssertion;
using ::smoke::testing::EverythingShown;
using ::smoke::testing::Measured;
using ::smoke::testing::Shell;
using ::smoke::testing::ShellQuote;

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::Gt;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::Lt;
using ::testing::Not;

const std::string kScript = std::string(SMOKE_SOURCE_DIR) + "/scripts/pg.sh";
const std::string kPassword = "Pw-9c1e-s3cr3t-value";  // distinctive: grepped for in results
const std::string kDb = "corporate_intel_staging";

// The suite's server, through scripts/pg.sh.
class PgServer {
 public:
  PgServer() {
    char dir[] = "/tmp/smoke-pg-XXXXXX";  // short: the unix socket lives inside it
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    Start();
  }
  ~PgServer() { Shell(kScript + " stop " + ShellQuote(dir_) + " 2>&1"); }
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  void Start() {
    int status = 0;
    const std::string out = Shell(kScript + " start " + ShellQuote(dir_) + " 2>&1", &status);
    const size_t at = out.rfind("PORT=");
    if (status != 0 || at == std::string::npos) throw std::runtime_error("pg.sh start: " + out);
    port_ = std::stoi(out.substr(at + 5));
  }
  void Halt() { Shell(kScript + " halt " + ShellQuote(dir_) + " 2>&1"); }
  // SQL as the superuser; throws on error.
  std::string Psql(const std::vector<std::string>& sql, const std::string& db = "postgres") const {
    std::string command = kScript + " psql " + ShellQuote(dir_) + " -d " + ShellQuote(db);
    for (const std::string& s : sql) command += " " + ShellQuote(s);
    int status = 0;
    std::string out = Shell(command + " 2>&1", &status);
    if (status != 0) throw std::runtime_error("psql failed: " + out);
    return out;
  }
  int port() const { return port_; }

 private:
  std::string dir_;
  int port_ = 0;
};

struct ProbeYaml {
  std::string target = "";  // "" = the suite's database as intel_user
  std::string block = "";   // lines of the postgres: block, each indented by 6 spaces
  std::string timeout = "3s";
  std::map<std::string, std::string> env = {{"PGPW", kPassword}};
};

class PostgresProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PgServer();
    server_->Psql({"CREATE ROLE intel_user LOGIN PASSWORD '" + kPassword + "'",
                   "CREATE ROLE nologin_user NOLOGIN",
                   "CREATE DATABASE " + kDb + " OWNER intel_user"});
    server_->Psql({"CREATE TABLE companies (id int PRIMARY KEY, name text)",
                   "INSERT INTO companies VALUES (1, 'Acme'), (2, 'Globex'), (3, 'Initech')",
                   "CREATE TABLE filings (id int)",
                   "CREATE TABLE payroll (amount int)",  // no grant: permission_denied
                   "GRANT SELECT ON companies, filings TO intel_user", "ANALYZE companies"},
                  kDb);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::string Target(const std::string& user = "intel_user", const std::string& db = kDb) {
    return "postgresql://" + user + "@127.0.0.1:" + std::to_string(server_->port()) + "/" + db +
           "?sslmode=disable";
  }

  static config::ProbeSpec Load(const ProbeYaml& p) {
    const std::string yaml =
        "probes:\n  - name: db_core\n    kind: postgres\n"
        "    component: database\n    interval: 30s\n    timeout: " +
        p.timeout + "\n    target: " + (p.target.empty() ? Target() : p.target) +
        "\n    postgres:\n" + p.block;
    config::LoadOptions options;
    options.getenv = [env = p.env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    core::Result<config::ConfigPtr> cfg = config::LoadConfigText(yaml, "pg.yml", options);
    if (!cfg.ok()) throw std::runtime_error(cfg.status().message() + "\n" + yaml);
    return (*cfg)->probes.at(0);
  }

  static core::ProbeResult Run(const ProbeYaml& p) {
    const config::ProbeSpec spec = Load(p);
    core::Result<ProbePtr> probe = MakeProbe(spec);
    EXPECT_TRUE(probe.ok()) << probe.status().message();
    if (!probe.ok()) return {};
    RunContext ctx;
    ctx.deadline = ctx.clock->Now() + spec.timeout;
    return (*probe)->Run(ctx);
  }

  static PgServer* server_;
};

PgServer* PostgresProbeTest::server_ = nullptr;

const std::string kPasswordEnv = "      password_env: PGPW\n";

TEST_F(PostgresProbeTest, PassesEveryCheckAgainstAHealthyDatabase) {
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      tables: [companies, filings]\n"
                                   "      min_rows: {companies: 1}\n"
                                   "      max_connections_ratio: 0.9\n"
                                   "      max_replication_lag: 30s\n"
                                   "      queries:\n"
                                   "        - name: companies_count\n"
                                   "          sql: select count(*) from companies\n"
                                   "          expect: '>= 1'\n"
                                   "          max_latency: 2s\n"
                                   "        - name: primary\n"
                                   "          sql: select pg_is_in_recovery()\n"
                                   "          expect: 'false'\n"});
  ASSERT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kNone);
  EXPECT_THAT(r.message, HasSubstr("connected to \"corporate_intel_staging\" as \"intel_user\""));
  std::vector<std::string> names;
  for (const core::AssertionResult& a : r.assertions) {
    EXPECT_TRUE(a.passed) << a.name;
    names.push_back(a.name);
  }
  EXPECT_THAT(names,
              ::testing::ElementsAre("database_exists", "connections_ratio", "replication_lag",
                                     "table_exists_companies", "table_exists_filings",
                                     "min_rows_companies", "query_companies_count",
                                     "query_companies_count_latency", "query_primary"));
  EXPECT_EQ(FindAssertion(r, "query_companies_count")->actual, "3");
  EXPECT_EQ(FindAssertion(r, "query_companies_count")->expected, "first value >= 1");
  EXPECT_EQ(FindAssertion(r, "replication_lag")->actual, "not a replica (pg_is_in_recovery() is false)");
  // postgres_exporter's names, with values PostgreSQL itself reports.
  EXPECT_EQ(Measured(r, "pg_settings_max_connections"), 40);  // pg.sh sets 40
  EXPECT_EQ(Measured(r, "pg_replication_is_replica"), 0);
  EXPECT_EQ(Measured(r, "pg_replication_lag_seconds"), std::nullopt);  // only on a replica
  EXPECT_THAT(Measured(r, "smoke_postgres_connections_in_use").value_or(0), Gt(0));
  EXPECT_THAT(Measured(r, "smoke_postgres_connections_used_ratio").value_or(0), Gt(0));
  EXPECT_EQ(Measured(r, "smoke_postgres_table_rows_estimate", {{"table", "companies"}}), 3);
  EXPECT_TRUE(Measured(r, "smoke_postgres_phase_duration_seconds", {{"phase", "connect"}}));
  EXPECT_TRUE(
      Measured(r, "smoke_postgres_phase_duration_seconds", {{"phase", "query:companies_count"}}));
  EXPECT_TRUE(Measured(r, "smoke_postgres_query_duration_seconds", {{"query", "primary"}}));
  bool info = false;
  for (const core::Measurement& m : r.measurements) {
    if (m.name != "smoke_postgres_server_info") continue;
    info = true;
    EXPECT_EQ(m.labels.at(1).first, "short_version");
    EXPECT_THAT(m.labels.at(1).second, ::testing::StartsWith("15."));
  }
  EXPECT_TRUE(info) << Describe(r);
  EXPECT_EQ(r.evidence.resolved_address, "127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_THAT(Detail(r, "server_version"), ::testing::StartsWith("15."));
  EXPECT_EQ(Detail(r, "user"), "intel_user");
  EXPECT_EQ(Detail(r, "dbname"), kDb);
  EXPECT_EQ(Detail(r, "query_companies_count").substr(0, 20), "1 row, first value 3");
  EXPECT_THAT(EverythingShown(r), Not(HasSubstr(kPassword)));
}

TEST_F(PostgresProbeTest, FailsWithAuthFailedWhenPasswordIsWrong) {
  const core::ProbeResult r = Run({.block = kPasswordEnv, .env = {{"PGPW", "not-the-password"}}});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kAuthFailed) << Describe(r);
  EXPECT_EQ(Detail(r, "sqlstate"), "28P01");
  EXPECT_THAT(r.message, HasSubstr("password authentication failed for user \"intel_user\""));
  EXPECT_THAT(r.message, HasSubstr("role \"intel_user\" may also not exist"));
  EXPECT_EQ(Detail(r, "failed_while"), "waiting for authentication");
  EXPECT_THAT(EverythingShown(r), Not(HasSubstr("not-the-password")));
}

// Under scram-sha-256 PostgreSQL answers an unknown role exactly like a wrong password (28P01):
// the probe cannot know, says auth_failed, and says the role may be missing.
TEST_F(PostgresProbeTest, FailsWithAuthFailedNamingThePossiblyMissingRoleUnderPasswordAuth) {
  const core::ProbeResult r = Run({.target = Target("ghost_user"), .block = kPasswordEnv});
  EXPECT_EQ(r.reason, core::Reason::kAuthFailed) << Describe(r);
  EXPECT_EQ(Detail(r, "sqlstate"), "28P01");
  EXPECT_THAT(r.message, HasSubstr("role \"ghost_user\" may also not exist"));
}

// Under trust (pg.sh trusts the name "ghost_trusted") the server looks the role up and raises
// 28000 from InitializeSessionUserId: that is role_missing.
TEST_F(PostgresProbeTest, FailsWithRoleMissingWhenRoleDoesNotExistUnderTrustAuth) {
  const core::ProbeResult r = Run({.target = Target("ghost_trusted")});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kRoleMissing) << Describe(r);
  EXPECT_EQ(Detail(r, "sqlstate"), "28000");
  EXPECT_EQ(Detail(r, "server_routine"), "InitializeSessionUserId");
  EXPECT_THAT(r.message, HasSubstr("role \"ghost_trusted\" does not exist or is not allowed"));
}

TEST_F(PostgresProbeTest, FailsWithDatabaseMissingWhenDatabaseDoesNotExist) {
  const core::ProbeResult r =
      Run({.target = Target("intel_user", "corporate_intel_stagin"), .block = kPasswordEnv});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kDatabaseMissing) << Describe(r);
  EXPECT_EQ(Detail(r, "sqlstate"), "3D000");
  const core::AssertionResult* db = FindAssertion(r, "database_exists");
  ASSERT_NE(db, nullptr);
  EXPECT_FALSE(db->passed);
  EXPECT_EQ(db->actual, "database \"corporate_intel_stagin\" does not exist (SQLSTATE 3D000)");
}

TEST_F(PostgresProbeTest, FailsWithTableMissingNamingTheTable) {
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      tables: [companies, filing_documents]\n"});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kTableMissing) << Describe(r);
  EXPECT_TRUE(FindAssertion(r, "table_exists_companies")->passed);
  EXPECT_FALSE(FindAssertion(r, "table_exists_filing_documents")->passed);
  EXPECT_THAT(r.message, HasSubstr("table \"filing_documents\" does not exist"));
}

TEST_F(PostgresProbeTest, FailsWithTableEmptyWhenTableHasFewerRowsThanRequired) {
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      min_rows: {companies: 3, filings: 1}\n"});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kTableEmpty) << Describe(r);
  EXPECT_TRUE(FindAssertion(r, "min_rows_companies")->passed);
  const core::AssertionResult* filings = FindAssertion(r, "min_rows_filings");
  EXPECT_FALSE(filings->passed);
  EXPECT_EQ(filings->expected, "at least 1 row in \"filings\"");
  EXPECT_EQ(filings->actual, "0 rows");
}

TEST_F(PostgresProbeTest, FailsWithPermissionDeniedWhenTableIsNotGranted) {
  const core::ProbeResult r = Run({.block = kPasswordEnv + "      min_rows: {payroll: 1}\n"});
  EXPECT_EQ(r.reason, core::Reason::kPermissionDenied) << Describe(r);
  EXPECT_THAT(FindAssertion(r, "min_rows_payroll")->actual, HasSubstr("SQLSTATE 42501"));
}

TEST_F(PostgresProbeTest, FailsWithTimeoutWhenQueryOutlastsTheProbeTimeout) {
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      queries:\n"
                                   "        - {name: slow, sql: 'select pg_sleep(5)'}\n",
           .timeout = "1s"});
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kTimeout) << Describe(r);
  EXPECT_THAT(elapsed, Lt(2.0));
  // The server cancelled it (statement_timeout), before the client had to give up.
  EXPECT_THAT(FindAssertion(r, "query_slow")->actual, HasSubstr("SQLSTATE 57014"));
}

TEST_F(PostgresProbeTest, FailsWithLatencyWhenQueryIsSlowerThanMaxLatency) {
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      queries:\n"
                                   "        - name: companies\n"
                                   "          sql: select count(*) from companies, "
                                   "pg_sleep(0.3)\n"
                                   "          max_latency: 100ms\n"});
  EXPECT_EQ(r.reason, core::Reason::kLatency) << Describe(r);
  EXPECT_TRUE(FindAssertion(r, "query_companies")->passed);
  const core::AssertionResult* latency = FindAssertion(r, "query_companies_latency");
  EXPECT_FALSE(latency->passed);
  EXPECT_EQ(latency->expected, "latency <= 100ms");
}

TEST_F(PostgresProbeTest, DegradesWhenAWarnQueryFails) {
  const core::ProbeResult r = Run({.block = kPasswordEnv + "      queries:\n"
                                                           "        - name: slow_enough\n"
                                                           "          sql: select pg_sleep(0.2)\n"
                                                           "          max_latency: 50ms\n"
                                                           "          severity: warn\n"});
  EXPECT_EQ(r.outcome, core::Outcome::kDegraded) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kLatency);
  EXPECT_TRUE(r.passed());
}

TEST_F(PostgresProbeTest, FailsWithAssertionShowingExpectedAndActualWhenResultDiffers) {
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      queries:\n"
                                   "        - name: companies_count\n"
                                   "          sql: select count(*) from companies\n"
                                   "          expect: '>= 10'\n"
                                   "        - name: company_name\n"
                                   "          sql: select name from companies where "
                                   "id = 1\n"
                                   "          expect: '== \"Acme\"'\n"});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kAssertion) << Describe(r);
  const core::AssertionResult* count = FindAssertion(r, "query_companies_count");
  EXPECT_FALSE(count->passed);
  EXPECT_EQ(count->expected, "first value >= 10");
  EXPECT_EQ(count->actual, "3");
  EXPECT_TRUE(FindAssertion(r, "query_company_name")->passed);
  EXPECT_EQ(r.message, "assertion query_companies_count failed: expected first value >= 10, got 3");
}

TEST_F(PostgresProbeTest, FailsWithQueryFailedAndWritesNothingWhenQueryTriesToWrite) {
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      queries:\n"
                                   "        - name: sneaky\n"
                                   "          sql: create table x (a int)\n"
                                   "        - name: sneakier\n"
                                   "          sql: insert into companies values (9, "
                                   "'Evil')\n"});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kQueryFailed) << Describe(r);
  EXPECT_THAT(FindAssertion(r, "query_sneaky")->actual, HasSubstr("SQLSTATE 25006"));  // read-only tx
  EXPECT_THAT(FindAssertion(r, "query_sneakier")->actual, HasSubstr("SQLSTATE 25006"));
  const std::string state =
      server_->Psql({"\\pset format unaligned", "\\pset tuples_only on",
                     "SELECT (to_regclass('x') IS NULL)::text || ' ' || count(*) FROM companies"},
                    kDb);
  EXPECT_THAT(state, HasSubstr("true 3"));
}

TEST_F(PostgresProbeTest, RefusesToLeaveTheReadOnlyTransaction) {
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      queries:\n"
                                   "        - name: escape\n"
                                   "          sql: set transaction read write\n"
                                   "        - name: two_statements\n"
                                   "          sql: commit; create table y (a int)\n"});
  EXPECT_EQ(r.reason, core::Reason::kQueryFailed) << Describe(r);
  EXPECT_FALSE(FindAssertion(r, "query_escape")->passed);
  EXPECT_FALSE(FindAssertion(r, "query_two_statements")->passed);
  const std::string state = server_->Psql(
      {"\\pset format unaligned", "\\pset tuples_only on", "SELECT to_regclass('y') IS NULL"}, kDb);
  EXPECT_THAT(state, HasSubstr("t"));
}

TEST_F(PostgresProbeTest, FailsWithDnsWhenHostDoesNotResolve) {
  const core::ProbeResult r = Run(
      {.target = "postgresql://intel_user@nonexistent.invalid:5432/" + kDb, .block = kPasswordEnv});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kDns) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("nonexistent.invalid"));
}

// pg.sh's server has no SSL: sslmode=require fails while negotiating it.
TEST_F(PostgresProbeTest, FailsWithTlsWhenSslIsRequiredAndTheServerHasNone) {
  const core::ProbeResult r =
      Run({.target = "postgresql://intel_user@127.0.0.1:" + std::to_string(server_->port()) + "/" +
                     kDb + "?sslmode=require",
           .block = kPasswordEnv});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kTls) << Describe(r);
  EXPECT_EQ(Detail(r, "failed_while"), "negotiating SSL");
}

TEST_F(PostgresProbeTest, FailsWithTimeoutWithinTheDeadlineWhenServerNeverAnswers) {
  // Accepts TCP connections (the kernel's backlog) and never says a word.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r =
      Run({.target = "postgresql://intel_user@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) +
                     "/" + kDb,
           .block = kPasswordEnv,
           .timeout = "1s"});
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  EXPECT_EQ(r.reason, core::Reason::kTimeout) << Describe(r);
  EXPECT_THAT(elapsed, Lt(1.5));
  EXPECT_EQ(Detail(r, "failed_while"), "negotiating SSL");  // sslmode prefer asks for SSL first
}

TEST_F(PostgresProbeTest, FailsWithAuthRequiredWhenServerWantsAPasswordAndNoneIsConfigured) {
  const core::ProbeResult r = Run({.block = "      keep_connection: false\n"});
  EXPECT_EQ(r.reason, core::Reason::kAuthRequired) << Describe(r);
}

TEST_F(PostgresProbeTest, SkipsWithCredentialsMissingWhenPasswordSecretIsUnset) {
  const core::ProbeResult r = Run({.block = kPasswordEnv, .env = {}});
  EXPECT_EQ(r.outcome, core::Outcome::kSkipped);
  EXPECT_EQ(r.reason, core::Reason::kCredentialsMissing);
  EXPECT_EQ(r.message, "not run: password <secret from env:PGPW> is unavailable: is not set");
  EXPECT_FALSE(r.passed());
}

TEST_F(PostgresProbeTest, KeepsOneConnectionBetweenRunsWhenConfigured) {
  const config::ProbeSpec spec =
      Load({.block = kPasswordEnv + "      keep_connection: true\n"
                                    "      application_name: smoke_keep_test\n"});
  core::Result<ProbePtr> probe = MakeProbe(spec);
  ASSERT_TRUE(probe.ok()) << probe.status().message();
  auto run = [&] {
    RunContext ctx;
    ctx.deadline = ctx.clock->Now() + seconds(3);
    return (*probe)->Run(ctx);
  };
  const core::ProbeResult first = run();
  const core::ProbeResult second = run();
  ASSERT_EQ(second.outcome, core::Outcome::kOk) << Describe(second);
  EXPECT_EQ(Detail(first, "connection"), "new");
  EXPECT_EQ(Detail(second, "connection"), "reused");
  std::string sessions = server_->Psql(
      {"\\pset format unaligned", "\\pset tuples_only on",
       "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'smoke_keep_test'"});
  EXPECT_EQ(sessions, "1");
  // A server-side disconnect is noticed before reuse: the next run connects afresh.
  server_->Psql(
      {"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
       "application_name = 'smoke_keep_test'"});
  for (int i = 0; i < 50 && sessions != "0"; ++i) {
    usleep(50'000);
    sessions = server_->Psql(
        {"\\pset format unaligned", "\\pset tuples_only on",
         "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'smoke_keep_test'"});
  }
  usleep(100'000);  // the backend closes its socket as its very last act
  const core::ProbeResult third = run();
  EXPECT_EQ(third.outcome, core::Outcome::kOk) << Describe(third);
  EXPECT_EQ(Detail(third, "connection"), "new");
}

TEST_F(PostgresProbeTest, ClosesItsConnectionAfterEachRunByDefault) {
  const core::ProbeResult r =
      Run({.block = kPasswordEnv + "      application_name: smoke_close_test\n"});
  ASSERT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  // The backend exits asynchronously after the client's Terminate message: poll briefly.
  std::string sessions;
  for (int i = 0; i < 50; ++i) {
    sessions = server_->Psql(
        {"\\pset format unaligned", "\\pset tuples_only on",
         "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'smoke_close_test'"});
    if (sessions == "0") break;
    usleep(50'000);
  }
  EXPECT_EQ(sessions, "0");
}

// Last: stops the suite's server, then starts it again for any test that runs after it.
TEST_F(PostgresProbeTest, FailsWithConnectionRefusedWhenServerIsStopped) {
  server_->Halt();
  const core::ProbeResult r = Run({.block = kPasswordEnv});
  server_->Start();
  EXPECT_EQ(r.outcome, core::Outcome::kFailed);
  EXPECT_EQ(r.reason, core::Reason::kConnectionRefused) << Describe(r);
  EXPECT_EQ(r.evidence.resolved_address, "127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_THAT(EverythingShown(r), Not(HasSubstr(kPassword)));
}

}  // namespace
}  // namespace smoke::probes
