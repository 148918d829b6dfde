// TLS certificate expiry on a host:port that does not speak HTTP, configured as README's "TLS
// certificate expiry" section shows: a tcp probe with tls: true and a cert_expiry assertion. No
// separate tls kind is needed; this keeps that claim true.

#include <gtest/gtest.h>

#include <string>

#include "tests/support/openssl_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tls_cert.h"
#include "tests/unit/probes/contract_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::Describe;
using namespace testutil;  // NOLINT: test builders

class TlsExpiryTest : public ::testing::Test {
 protected:
  TlsExpiryTest()
      : cert_(smoke::testing::MakeSelfSignedCertificate(dir_, /*days=*/20)),
        server_(cert_, dir_.path()) {}

  // A tcp probe on the TLS port with `assertions` (YAML flow sequence).
  core::ProbeResult Run(const std::string& assertions) {
    return RunProbe(
        LoadOnlyProbe("probes:\n  - name: cert\n    kind: tcp\n    timeout: 5s\n"
                      "    target: \"" +
                      server_.address() +
                      "\"\n"
                      "    tcp:\n      tls: true\n      tls_config: {ca_file: \"" +
                      cert_.cert_file +
                      "\", server_name: localhost}\n"
                      "      assertions: " +
                      assertions + "\n"));
  }

  smoke::testing::TempDir dir_;
  smoke::testing::TestCertificate cert_;
  smoke::testing::OpenSslServer server_;
};

TEST_F(TlsExpiryTest, ReportsTheExpiryAndPassesWhileEnoughValidityIsLeft) {
  const core::ProbeResult r = Run("[{cert_expiry: 336h}]");  // 14 days of 20 left
  EXPECT_EQ(r.outcome, Outcome::kOk) << Describe(r);
  EXPECT_EQ(Measured(r, "probe_ssl_earliest_cert_expiry"),
            static_cast<double>(cert_.not_after_unix));
}

TEST_F(TlsExpiryTest, FailsAndWarnsBeforeTheCertificateExpires) {
  core::ProbeResult r = Run("[{cert_expiry: 720h}]");  // 30 days wanted, 20 left
  EXPECT_EQ(r.outcome, Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kCertExpiry);
  EXPECT_EQ(r.message.rfind("assertion cert_expiry failed: expected certificate valid for at "
                            "least 4w2d, got expires ",
                            0),
            0u)
      << r.message;

  r = Run("[{cert_expiry: 336h}, {name: cert_expiry_soon, cert_expiry: 720h, severity: warn}]");
  EXPECT_EQ(r.outcome, Outcome::kDegraded) << Describe(r);
  EXPECT_EQ(r.reason, Reason::kCertExpiry);
}

}  // namespace
}  // namespace smoke::probes
