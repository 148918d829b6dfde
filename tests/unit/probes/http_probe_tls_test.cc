// HTTPS against `openssl s_server` serving a certificate generated for this test run (see
// tests/support/openssl_server.h for why not CivetWeb).

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "exporter/probes/http_probe.h"
#include "tests/support/openssl_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tls_cert.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using core::Outcome;
using core::Reason;
using smoke::testing::OpenSslServer;
using smoke::testing::TempDir;
using smoke::testing::TestCertificate;
using namespace testutil;  // NOLINT: test builders

class HttpProbeTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    cert_ = new TestCertificate(smoke::testing::MakeSelfSignedCertificate(*dir_, 30));
    dir_->Write("www/health", R"({"status":"ok"})");
    server_ = new OpenSslServer(*cert_, dir_->path() / "www");
  }
  static void TearDownTestSuite() {
    delete server_;
    delete cert_;
    delete dir_;
  }

  static std::string Url() { return server_->base_url() + "/health"; }

  static TempDir* dir_;
  static TestCertificate* cert_;
  static OpenSslServer* server_;
};

TempDir* HttpProbeTlsTest::dir_ = nullptr;
TestCertificate* HttpProbeTlsTest::cert_ = nullptr;
OpenSslServer* HttpProbeTlsTest::server_ = nullptr;

TEST_F(HttpProbeTlsTest, FailsWithReasonTlsForAnUntrustedCertificate) {
  const core::ProbeResult r = RunProbe(HttpSpec(Url()));
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kTls);
  EXPECT_NE(r.message.find("certificate"), std::string::npos) << r.message;
  EXPECT_EQ(Measured(r, "probe_http_ssl"), 0);
  EXPECT_EQ(Measured(r, "probe_http_status_code"), 0);
}

TEST_F(HttpProbeTlsTest, SucceedsWithTheCertificateAsCaFile) {
  config::ProbeSpec spec = HttpSpec(Url());
  spec.http.tls.ca_file = cert_->cert_file;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_EQ(Measured(r, "probe_http_ssl"), 1);
  EXPECT_EQ(r.evidence.body_snippet, R"({"status":"ok"})");
  EXPECT_GT(*PhaseSeconds(r, "tls"), 0);
  // Exactly what `openssl x509 -enddate` says, to the second.
  EXPECT_EQ(Measured(r, "probe_ssl_earliest_cert_expiry"),
            static_cast<double>(cert_->not_after_unix))
      << cert_->not_after_text;
  EXPECT_FALSE(Detail(r, "tls_version").empty());
  bool has_version_info = false;
  for (const core::Measurement& m : r.measurements) {
    if (m.name == "probe_tls_version_info") {
      has_version_info = true;
      ASSERT_EQ(m.labels.size(), 1u);
      EXPECT_EQ(m.labels[0].second.rfind("TLS 1.", 0), 0u) << m.labels[0].second;
    }
  }
  EXPECT_TRUE(has_version_info);
}

TEST_F(HttpProbeTlsTest, VerifiesAgainstServerNameInsteadOfTheUrlHost) {
  config::ProbeSpec spec = HttpSpec(Url());  // https://127.0.0.1:<port>
  spec.http.tls.ca_file = cert_->cert_file;
  spec.http.tls.server_name = "localhost";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.evidence.resolved_address, server_->address());

  spec.http.tls.server_name = "api.example.com";
  const core::ProbeResult wrong = RunProbe(spec);
  EXPECT_EQ(wrong.outcome, Outcome::kFailed);
  EXPECT_EQ(wrong.reason, Reason::kTls);
}

TEST_F(HttpProbeTlsTest, SucceedsWithInsecureSkipVerify) {
  config::ProbeSpec spec = HttpSpec(Url());
  spec.http.tls.insecure_skip_verify = true;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_EQ(Measured(r, "probe_ssl_earliest_cert_expiry"),
            static_cast<double>(cert_->not_after_unix));
}

TEST_F(HttpProbeTlsTest, CertExpiryAssertionFailsWhenMinValidityExceedsWhatIsLeft) {
  config::ProbeSpec spec = HttpSpec(Url());
  spec.http.tls.ca_file = cert_->cert_file;
  Assertion expiry;
  expiry.name = "cert_60d";
  expiry.kind = Assertion::Kind::kCertExpiry;
  expiry.min_validity = std::chrono::hours(24 * 60);
  spec.http.assertions = {StatusIn("status", 200, 299), expiry};
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kFailed);
  EXPECT_EQ(r.reason, Reason::kCertExpiry);
  const core::AssertionResult* a = FindAssertion(r, "cert_60d");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->expected, "certificate valid for at least 8w4d");  // 60d, Prometheus-style
  EXPECT_NE(a->actual.find("expires "), std::string::npos) << a->actual;

  spec.http.assertions[1].min_validity = std::chrono::hours(24 * 10);
  EXPECT_EQ(RunProbe(spec).outcome, Outcome::kOk);
}

TEST_F(HttpProbeTlsTest, HonoursMinimumTlsVersion) {
  config::ProbeSpec spec = HttpSpec(Url());
  spec.http.tls.ca_file = cert_->cert_file;
  spec.http.tls.min_version = "TLS12";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, Outcome::kOk) << r.message;
  EXPECT_EQ(r.reason, Reason::kNone);
}

}  // namespace
}  // namespace smoke::probes
