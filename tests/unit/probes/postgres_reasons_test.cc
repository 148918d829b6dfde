// How PostgreSQL failures become reasons, and how custom query results meet `expect:`. The
// connection texts below are what libpq 15 produced against a real server with PQERRORS_VERBOSE
// (tests/integration/postgres_probe_test.cc runs the same cases end to end).

#include "exporter/probes/postgres_reasons.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exporter/clients/pg_error.h"
#include "exporter/config/postgres_parser.h"
#include "exporter/probes/postgres_expect.h"
#include "exporter/probes/postgres_metrics.h"

namespace smoke::probes {
namespace {

using clients::PgError;
using clients::PgErrorKind;
using ::testing::HasSubstr;

PgError Server(const std::string& sqlstate, const std::string& routine = "") {
  PgError e;
  e.kind = PgErrorKind::kServer;
  e.sqlstate = sqlstate;
  e.routine = routine;
  e.message = "server text";
  return e;
}

TEST(PgErrorTest, ExtractsSqlstateRoutineAndMessageFromAVerboseConnectionFailure) {
  PgError e;
  ASSERT_TRUE(clients::ParseVerboseServerError(
      "connection to server at \"127.0.0.1\", port 36405 failed: FATAL:  28000: role "
      "\"ghost_trusted\" does not exist\nLOCATION:  InitializeSessionUserId, miscinit.c:768\n",
      e));
  EXPECT_EQ(e.sqlstate, "28000");
  EXPECT_EQ(e.routine, "InitializeSessionUserId");
  EXPECT_EQ(e.message, "role \"ghost_trusted\" does not exist");
  EXPECT_EQ(e.detail, "");
}

TEST(PgErrorTest, TakesTheLastAttemptsErrorAndKeepsDetailLines) {
  PgError e;
  ASSERT_TRUE(clients::ParseVerboseServerError(
      "connection to server at \"db\" (10.0.0.1), port 5432 failed: FATAL:  57P03: the database "
      "system is starting up\nLOCATION:  ProcessStartupPacket, postmaster.c:2400\n"
      "connection to server at \"db\" (10.0.0.2), port 5432 failed: FATAL:  3D000: database "
      "\"app\" does not exist\nDETAIL:  It seems to have just been dropped or renamed.\n"
      "LOCATION:  InitPostgres, postinit.c:948\n",
      e));
  EXPECT_EQ(e.sqlstate, "3D000");
  EXPECT_EQ(e.routine, "InitPostgres");
  EXPECT_EQ(e.detail, "DETAIL:  It seems to have just been dropped or renamed.");
}

TEST(PgErrorTest, FindsNoSqlstateInLibpqsOwnErrors) {
  PgError e;
  EXPECT_FALSE(clients::ParseVerboseServerError(
      "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server "
      "running on that host and accepting TCP/IP connections?\n",
      e));
  EXPECT_FALSE(clients::ParseVerboseServerError(
      "connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no password "
      "supplied\n",
      e));
  EXPECT_EQ(clients::LastErrorLine("connection to server at \"a\", port 1 failed: Connection "
                                   "refused\n\tIs the server running?\n"),
            "connection to server at \"a\", port 1 failed: Connection refused");
}

TEST(PostgresReasonsTest, ClassifiesEverySqlstateTheProbeNames) {
  struct Case {
    PgError error;
    PgPhase phase;
    core::Reason reason;
  };
  const Case cases[] = {
      {Server("28P01", "auth_failed"), PgPhase::kConnect, core::Reason::kAuthFailed},
      {Server("28000", "InitializeSessionUserId"), PgPhase::kConnect, core::Reason::kRoleMissing},
      {Server("28000", "ClientAuthentication"), PgPhase::kConnect, core::Reason::kAuthFailed},
      {Server("3D000"), PgPhase::kConnect, core::Reason::kDatabaseMissing},
      {Server("42501"), PgPhase::kConnect, core::Reason::kPermissionDenied},
      {Server("42501"), PgPhase::kStatement, core::Reason::kPermissionDenied},
      {Server("42P01"), PgPhase::kStatement, core::Reason::kTableMissing},
      {Server("57014"), PgPhase::kStatement, core::Reason::kTimeout},
      {Server("53300"), PgPhase::kConnect, core::Reason::kConnect},
      {Server("57P03"), PgPhase::kConnect, core::Reason::kConnect},
      {Server("08006"), PgPhase::kStatement, core::Reason::kConnect},
      {Server("25006"), PgPhase::kStatement, core::Reason::kQueryFailed},
      {Server("42601"), PgPhase::kStatement, core::Reason::kQueryFailed},
      {Server("0A000"), PgPhase::kConnect, core::Reason::kConnect},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ReasonForPgError(c.error, c.phase), c.reason)
        << c.error.sqlstate << " " << c.error.routine;
  }
  auto kind = [](PgErrorKind k) {
    PgError e;
    e.kind = k;
    return ReasonForPgError(e, PgPhase::kConnect);
  };
  EXPECT_EQ(kind(PgErrorKind::kDns), core::Reason::kDns);
  EXPECT_EQ(kind(PgErrorKind::kConnectionRefused), core::Reason::kConnectionRefused);
  EXPECT_EQ(kind(PgErrorKind::kTls), core::Reason::kTls);
  EXPECT_EQ(kind(PgErrorKind::kTimeout), core::Reason::kTimeout);
  EXPECT_EQ(kind(PgErrorKind::kPasswordRequired), core::Reason::kAuthRequired);
  EXPECT_EQ(kind(PgErrorKind::kConnectionLost), core::Reason::kConnect);
}

TEST(PostgresReasonsTest, SaysTheRoleMayBeMissingWhenPasswordAuthenticationFails) {
  EXPECT_EQ(DescribePgError(Server("28P01"), "intel_user"),
            "server text (SQLSTATE 28P01); with password authentication PostgreSQL reports a "
            "missing role the same way, so role \"intel_user\" may also not exist");
  EXPECT_THAT(DescribePgError(Server("28000", "InitializeSessionUserId"), "intel_user"),
              HasSubstr("role \"intel_user\" does not exist or is not allowed to log in"));
}

clients::PgQueryResult FirstValue(std::optional<std::string> value) {
  clients::PgQueryResult r;
  r.columns = {"v"};
  r.rows.push_back({std::move(value)});
  r.row_count = 1;
  return r;
}

bool Passes(const std::string& expect, const clients::PgQueryResult& r) {
  core::Result<config::PostgresExpect> e = config::ParsePostgresExpect(expect);
  EXPECT_TRUE(e.ok()) << expect;
  return EvaluateExpect(*e, r).passed;
}

TEST(PostgresExpectEvalTest, ComparesTheFirstValueAsItsType) {
  EXPECT_TRUE(Passes(">= 1", FirstValue("3")));
  EXPECT_FALSE(Passes(">= 10", FirstValue("3")));
  EXPECT_TRUE(Passes("< 0.5", FirstValue("0.25")));
  EXPECT_TRUE(Passes("== 2", FirstValue("2.000")));  // numeric prints trailing zeros
  EXPECT_TRUE(Passes("false", FirstValue("f")));
  EXPECT_FALSE(Passes("false", FirstValue("t")));
  EXPECT_TRUE(Passes("== \"healthy\"", FirstValue("healthy")));
  EXPECT_FALSE(Passes("== \"healthy\"", FirstValue("Healthy")));
  EXPECT_TRUE(Passes("== null", FirstValue(std::nullopt)));
  EXPECT_FALSE(Passes("== 0", FirstValue(std::nullopt)));
  EXPECT_TRUE(Passes("!= \"error\"", FirstValue(std::nullopt)));
  EXPECT_FALSE(Passes(">= 0", clients::PgQueryResult{}));  // no rows
}

TEST(PostgresExpectEvalTest, ExplainsWhyAValueDoesNotCompare) {
  core::Result<config::PostgresExpect> e = config::ParsePostgresExpect(">= 1");
  const ExpectVerdict v = EvaluateExpect(*e, FirstValue("many"));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.expected, "first value >= 1");
  EXPECT_EQ(v.actual, "\"many\" (not a number)");
  EXPECT_EQ(EvaluateExpect(*e, clients::PgQueryResult{}).actual, "no rows");
}

TEST(PostgresMetricsTest, ShortensServerVersionNumbers) {
  EXPECT_EQ(ShortServerVersion(150006), "15.6");
  EXPECT_EQ(ShortServerVersion(100023), "10.23");
  EXPECT_EQ(ShortServerVersion(90624), "9.6.24");
  EXPECT_EQ(ShortServerVersion(0), "");
}

}  // namespace
}  // namespace smoke::probes
