#include "exporter/results/result_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <sstream>

namespace smoke::results {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ProbeIdentity Api() {
  return {"api_health", "api", "http", "http://127.0.0.1:8004/health", {{"env", "staging"}}};
}

core::ProbeResult Result(core::Outcome outcome, core::Reason reason, double seconds) {
  core::ProbeResult r;
  r.outcome = outcome;
  r.reason = reason;
  r.duration_seconds = seconds;
  r.started = core::TimePoint(std::chrono::seconds(1'700'000'000));
  r.measurements.push_back({"probe_http_status_code", "Response HTTP status code", 503, {}});
  r.assertions.push_back({"status", core::Reason::kStatus, core::Severity::kFail,
                          outcome == core::Outcome::kOk, "status in 200-299", "503"});
  return r;
}

// The exposition line prefix for the api probe's series with `extra` labels, names sorted.
std::string Series(const std::string& name, std::map<std::string, std::string> extra = {}) {
  extra.insert({{"component", "api"},
                {"env", "staging"},
                {"probe", "api_health"},
                {"target", "http://127.0.0.1:8004/health"}});
  std::string out = name + "{";
  for (const auto& [k, v] : extra) out += k + "=\"" + v + "\",";
  out.back() = '}';
  return out + " ";
}

std::string Exposition(const ResultStore& store) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, store.Collect());
  return out.str();
}

TEST(ResultStoreTest, ExportsBlackboxNamesAndSmokeSeriesWithIdentityLabels) {
  ResultStore store({0.1, 1}, {});
  store.SetProbes({Api()}, {0.1, 1}, {});
  store.Record("api_health", Result(core::Outcome::kFailed, core::Reason::kStatus, 0.25));
  const std::string text = Exposition(store);
  EXPECT_THAT(text, HasSubstr(Series("probe_success") + "0\n"));
  EXPECT_THAT(text, HasSubstr(Series("probe_duration_seconds") + "0.25\n"));
  EXPECT_THAT(text, HasSubstr(Series("probe_http_status_code") + "503\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_attempts_total") + "1\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_failures_total", {{"reason", "status"}}) + "1\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_outcome", {{"outcome", "failed"}}) + "1\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_outcome", {{"outcome", "ok"}}) + "0\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_results_total", {{"outcome", "skipped"}}) + "0\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_assertion_success",
                                     {{"assertion", "status"}, {"severity", "fail"}}) + "0\n"));
  const std::string bucket = "smoke_probe_duration_seconds_bucket";
  const std::string labels =
      "component=\"api\",env=\"staging\",probe=\"api_health\",target=\"http://127.0.0.1:8004/health\"";
  EXPECT_THAT(text, HasSubstr(bucket + "{" + labels + ",le=\"0.1\"} 0\n"));
  EXPECT_THAT(text, HasSubstr(bucket + "{" + labels + ",le=\"1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_duration_seconds_count") + "1\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_last_run_timestamp_seconds") + "1700000000\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_info", {{"kind", "http"}}) + "1\n"));
}

TEST(ResultStoreTest, ProbeWithoutResultHasCountersButNoSuccessSeries) {
  ResultStore store({1}, {});
  store.SetProbes({Api()}, {1}, {});
  const std::string text = Exposition(store);
  EXPECT_THAT(text, HasSubstr("smoke_probe_attempts_total{"));
  EXPECT_THAT(text, Not(HasSubstr("probe_success{")));
}

TEST(ResultStoreTest, SkippedRunsAreNotPassesAndNotInTheLatencyHistogram) {
  ResultStore store({1}, {});
  store.SetProbes({Api()}, {1}, {});
  core::ProbeResult skipped = Result(core::Outcome::kSkipped, core::Reason::kCredentialsMissing, 0);
  store.Record("api_health", skipped);
  const std::string text = Exposition(store);
  EXPECT_THAT(text, HasSubstr(Series("probe_success") + "0\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_failures_total",
                                     {{"reason", "credentials_missing"}}) + "1\n"));
  EXPECT_THAT(text, HasSubstr(Series("smoke_probe_duration_seconds_count") + "0\n"));
}

TEST(ResultStoreTest, ReloadDropsRemovedProbesAndKeepsCountersOfKeptOnes) {
  ResultStore store({1}, {});
  ProbeIdentity db{"db", "database", "tcp", "127.0.0.1:5432", {}};
  store.SetProbes({Api(), db}, {1}, {});
  store.Record("api_health", Result(core::Outcome::kOk, core::Reason::kNone, 0.1));
  store.Record("db", Result(core::Outcome::kOk, core::Reason::kNone, 0.1));
  store.SetProbes({Api()}, {1}, {});
  store.Record("db", Result(core::Outcome::kOk, core::Reason::kNone, 0.1));  // late, ignored
  const std::string text = Exposition(store);
  EXPECT_THAT(text, Not(HasSubstr("probe=\"db\"")));
  ASSERT_TRUE(store.Snapshot("api_health").has_value());
  EXPECT_EQ(store.Snapshot("api_health")->attempts, 1u);
  EXPECT_FALSE(store.Snapshot("db").has_value());
}

TEST(ResultStoreTest, KeepsFailuresAfterTheyLeaveTheRecentRing) {
  ResultStore store({1}, {.limit = 3, .failure_limit = 2});
  store.SetProbes({Api()}, {1}, {.limit = 3, .failure_limit = 2});
  store.Record("api_health", Result(core::Outcome::kFailed, core::Reason::kTimeout, 3));
  for (int i = 0; i < 10; ++i) {
    store.Record("api_health", Result(core::Outcome::kOk, core::Reason::kNone, 0.01));
  }
  EXPECT_EQ(store.History("api_health").size(), 3u);
  std::vector<HistoryEntry> failures = store.Failures("api_health");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].sequence, 1u);
  EXPECT_EQ(failures[0].result.reason, core::Reason::kTimeout);
  std::optional<ProbeSnapshot> snap = store.Snapshot("api_health");
  ASSERT_TRUE(snap->last_failure.has_value());
  EXPECT_EQ(snap->consecutive_failures, 0u);
  EXPECT_EQ(snap->last->sequence, 11u);
}

TEST(ResultStoreTest, CountsConsecutiveFailures) {
  ResultStore store({1}, {});
  store.SetProbes({Api()}, {1}, {});
  for (int i = 0; i < 3; ++i) {
    store.Record("api_health", Result(core::Outcome::kFailed, core::Reason::kStatus, 0.1));
  }
  EXPECT_EQ(store.Snapshot("api_health")->consecutive_failures, 3u);
  EXPECT_THAT(Exposition(store),
              HasSubstr(Series("smoke_probe_failures_total", {{"reason", "status"}}) + "3\n"));
}

}  // namespace
}  // namespace smoke::results
