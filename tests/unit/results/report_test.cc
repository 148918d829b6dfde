#include "exporter/results/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace smoke::results {
namespace {

using ::testing::HasSubstr;

std::vector<ReportRow> Rows() {
  auto row = [](const char* name, const char* component, core::Outcome o, core::Reason r,
                const char* message) {
    ReportRow row;
    row.identity = {name, component, "http", "http://x", {}};
    row.result.outcome = o;
    row.result.reason = r;
    row.result.message = message;
    row.result.duration_seconds = 0.0123;
    return row;
  };
  return {row("db_exists", "database", core::Outcome::kFailed, core::Reason::kDatabaseMissing,
              "database \"corporate_intel_staging\" does not exist"),
          row("health", "api", core::Outcome::kOk, core::Reason::kNone, "ok"),
          row("headers", "security", core::Outcome::kDegraded, core::Reason::kHeader,
              "X-Frame-Options missing"),
          row("login", "auth", core::Outcome::kSkipped, core::Reason::kCredentialsMissing,
              "secret env:ADMIN_PASSWORD is not set")};
}

TEST(ReportTest, CountsSkippedAndDegradedSeparatelyFromPassed) {
  ReportTotals t = CountOutcomes(Rows());
  EXPECT_EQ(t.total, 4);
  EXPECT_EQ(t.passed, 1);
  EXPECT_EQ(t.degraded, 1);
  EXPECT_EQ(t.failed, 1);
  EXPECT_EQ(t.skipped, 1);
}

TEST(ReportTest, TableGroupsByComponentAndShowsReasons) {
  std::string table = RenderReport(Rows(), ReportFormat::kTable);
  EXPECT_THAT(table, HasSubstr("== database =="));
  EXPECT_THAT(table, HasSubstr("FAIL"));
  EXPECT_THAT(table, HasSubstr("SKIPPED"));
  EXPECT_THAT(table, HasSubstr("[database_missing] database \"corporate_intel_staging\" does not exist"));
  EXPECT_THAT(table, HasSubstr("12.3ms"));
  EXPECT_THAT(table, HasSubstr("Total: 4  Passed: 1 (25.0%)  Degraded: 1  Failed: 1  Skipped: 1"));
}

TEST(ReportTest, MarkdownAndJsonCarryTheSameFacts) {
  std::string md = RenderReport(Rows(), ReportFormat::kMarkdown);
  EXPECT_THAT(md, HasSubstr("| login | ⏭️ SKIPPED |"));
  EXPECT_THAT(md, HasSubstr("**Skipped (not passed):** 1"));
  nlohmann::json j = nlohmann::json::parse(RenderReport(Rows(), ReportFormat::kJson));
  EXPECT_EQ(j["totals"]["skipped"], 1);
  EXPECT_EQ(j["checks"][0]["reason"], "database_missing");
  EXPECT_EQ(j["checks"][3]["outcome"], "skipped");
}

}  // namespace
}  // namespace smoke::results
