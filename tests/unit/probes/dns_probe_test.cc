// The dns probe through the system resolver. "localhost" resolves from /etc/hosts on every
// machine this runs on; a name under .invalid (RFC 6761) never resolves.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/probes/monitoring_test_util.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using namespace testutil;  // NOLINT: test builders
using ::testing::HasSubstr;

TEST(DnsProbeTest, ResolvesANameAndReportsTheTimeAsAPhase) {
  config::ProbeSpec spec = MonitoringSpec("dns", "localhost");
  spec.dns.ip_protocol = "ip4";
  spec.dns.expected_addresses = {"127.0.0.1"};
  spec.dns.max_resolve_time = std::chrono::seconds(5);
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(r.message, "resolved to 127.0.0.1");
  EXPECT_EQ(r.evidence.resolved_address, "127.0.0.1");
  ASSERT_TRUE(PhaseSeconds(r, "resolve").has_value());
  EXPECT_EQ(Measured(r, "probe_dns_lookup_time_seconds"), *PhaseSeconds(r, "resolve"));
  EXPECT_EQ(Measured(r, "probe_dns_answer_rrs"), 1);
  EXPECT_EQ(Measured(r, "probe_ip_protocol"), 4);
  EXPECT_TRUE(FindAssertion(r, "expected_addresses")->passed);
  EXPECT_TRUE(FindAssertion(r, "resolve_time")->passed);
}

TEST(DnsProbeTest, UnexpectedAnswerFailsWithDnsMismatchNamingWhatIsMissing) {
  config::ProbeSpec spec = MonitoringSpec("dns", "localhost");
  spec.dns.ip_protocol = "ip4";
  spec.dns.expected_addresses = {"127.0.0.1", "10.0.0.5"};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kDnsMismatch) << Describe(r);
  EXPECT_EQ(r.message,
            "assertion expected_addresses failed: expected answers include 127.0.0.1, 10.0.0.5, "
            "got answers 127.0.0.1 (missing 10.0.0.5)");
}

TEST(DnsProbeTest, NameThatDoesNotResolveFailsWithReasonDns) {
  const core::ProbeResult r = RunProbe(MonitoringSpec("dns", "no-such-host.invalid"));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_TRUE(r.reason == Reason::kDns || r.reason == Reason::kTimeout) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("no-such-host.invalid"));
  EXPECT_EQ(Measured(r, "probe_dns_answer_rrs"), 0);
  EXPECT_EQ(Measured(r, "probe_ip_protocol"), 0);
}

TEST(DnsProbeTest, RejectsAnAddressAsTarget) {
  core::Result<ProbePtr> probe = MakeProbe(MonitoringSpec("dns", "10.0.0.1"));
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().message(),
            "probe \"dns_probe\": dns target \"10.0.0.1\" is an address; a dns probe resolves a "
            "host name");
}

}  // namespace
}  // namespace smoke::probes
