#include "exporter/core/probe_result.h"

#include <gtest/gtest.h>

#include <set>

namespace smoke::core {
namespace {

AssertionResult Failed(const char* name, Reason reason, Severity severity) {
  return {name, reason, severity, false, "x", "y"};
}

TEST(ProbeResultTest, FirstFailSeverityAssertionFailsTheProbeWithItsReason) {
  ProbeResult r;
  r.outcome = Outcome::kOk;
  r.assertions = {Failed("hdr", Reason::kHeader, Severity::kWarn),
                  Failed("status", Reason::kStatus, Severity::kFail)};
  SettleOutcome(r);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kStatus);
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.message, "assertion status failed: expected x, got y; also failed: hdr");
}

TEST(ProbeResultTest, WarnOnlyFailuresDegrade) {
  ProbeResult r;
  r.outcome = Outcome::kOk;
  r.assertions = {Failed("hsts", Reason::kHeader, Severity::kWarn)};
  SettleOutcome(r);
  EXPECT_EQ(r.outcome, Outcome::kDegraded);
  EXPECT_EQ(r.reason, Reason::kHeader);
  EXPECT_EQ(r.message, "assertion hsts (warn) failed: expected x, got y");
}

TEST(ProbeResultTest, TransportFailureIsNotOverwritten) {
  ProbeResult r;
  r.outcome = Outcome::kFailed;
  r.reason = Reason::kConnectionRefused;
  SettleOutcome(r);
  EXPECT_EQ(r.reason, Reason::kConnectionRefused);
}

TEST(ProbeResultTest, SkippedIsNeverPassed) {
  ProbeResult r;
  r.outcome = Outcome::kSkipped;
  r.reason = Reason::kCredentialsMissing;
  SettleOutcome(r);
  EXPECT_EQ(r.outcome, Outcome::kSkipped);
  EXPECT_FALSE(r.passed());
}

TEST(ProbeResultTest, ReasonNamesAreUniqueLabelValues) {
  std::set<std::string_view> names;
  for (Reason r : AllReasons()) {
    std::string_view n = ReasonName(r);
    EXPECT_TRUE(names.insert(n).second) << n;
    for (char c : n) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << n;
  }
  EXPECT_EQ(names.size(), AllReasons().size());
}

}  // namespace
}  // namespace smoke::core
