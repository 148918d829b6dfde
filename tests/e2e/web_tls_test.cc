// The exporter's own endpoints over TLS (the web config's tls_server_config): HTTPS only, with the
// configured certificate, basic auth on top, and client certificates verified against
// client_ca_file when asked to. Many handshakes in a row: Debian's CivetWeb crashed after the
// first one until web_tls.cc repaired its OpenSSL 3 function table.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tls_cert.h"

namespace smoke::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

// bcrypt of "Tls-pass" at cost 4 (cheap for tests).
constexpr char kHash[] = "$2b$04$HO3vwurTWSKrznxcOjn4HuX4kOORuN1klvriPCHe2AOgpxbAAR9Q6";
constexpr char kCredentials[] = "prom:Tls-pass";

class WebTlsTest : public ::testing::Test {
 protected:
  void Start(const std::string& tls_extra) {
    const std::string config =
        dir_.Write("smoke.yml",
                   "global: {interval: 1s, timeout: 1s, jitter: 0}\n"
                   "probes:\n"
                   "  - {name: nothing, kind: tcp, target: '127.0.0.1:1'}\n");
    // Relative paths: resolved against the web config's directory, as exporter-toolkit does.
    const std::string web = dir_.Write("web.yml", std::string("tls_server_config:\n"
                                                              "  cert_file: server.crt\n"
                                                              "  key_file: server.key\n") +
                                                      tls_extra + "basic_auth_users:\n  prom: '" +
                                                      kHash + "'\n");
    exporter_ = std::make_unique<Subprocess>(
        std::vector<std::string>{SMOKE_EXPORTER_BINARY, "--config.file=" + config,
                                 "--web.config.file=" + web,
                                 "--web.listen-address=127.0.0.1:0"},
        dir_.path().string());
    const std::regex listening("msg=listening .*port=(\\d+)");
    std::smatch m;
    std::string err;
    ASSERT_TRUE(WaitFor(
        [&] {
          err = exporter_->Stderr();
          return std::regex_search(err, m, listening);
        },
        20s))
        << exporter_->Stderr();
    port_ = m[1].str();
    EXPECT_THAT(err, HasSubstr("tls=true"));
  }

  std::string Https(const std::string& path, const std::string& credentials = kCredentials) const {
    return "https://" + (credentials.empty() ? "" : credentials + "@") + "127.0.0.1:" + port_ +
           path;
  }

  TempDir dir_;
  TestCertificate server_ = MakeSelfSignedCertificate(dir_, 30, "server");
  std::unique_ptr<Subprocess> exporter_;
  std::string port_;
};

TEST_F(WebTlsTest, ServesHttpsOnlyWithTheConfiguredCertificateAndAuth) {
  Start("");
  const TlsClientFiles trust{server_.cert_file, "", ""};
  for (int i = 0; i < 20; ++i) {  // a new connection, and handshake, each time
    const HttpReply reply = HttpGet(Https("/metrics"), trust);
    ASSERT_EQ(reply.status, 200) << i << ": " << reply.error << "\n" << exporter_->Stderr();
    EXPECT_THAT(reply.body, HasSubstr("smoke_probe_info{"));
  }
  EXPECT_EQ(HttpGet(Https("/metrics", ""), trust).status, 401);
  EXPECT_EQ(HttpGet(Https("/metrics", "prom:wrong"), trust).status, 401);
  // Plain HTTP on the HTTPS port gets no HTTP answer at all.
  EXPECT_EQ(HttpGet("http://" + std::string(kCredentials) + "@127.0.0.1:" + port_ + "/metrics")
                .status,
            0);
  // A client that does not trust the certificate refuses the connection.
  const TestCertificate stranger = MakeSelfSignedCertificate(dir_, 30, "stranger");
  const HttpReply untrusted = HttpGet(Https("/metrics"), {stranger.cert_file, "", ""});
  EXPECT_EQ(untrusted.status, 0);
  EXPECT_THAT(untrusted.error, HasSubstr("certificate"));
  EXPECT_FALSE(exporter_->Wait(0ms).has_value()) << "the exporter died:\n" << exporter_->Stderr();
}

TEST_F(WebTlsTest, RequireAndVerifyClientCertAdmitsOnlyTheTrustedClient) {
  const TestCertificate client = MakeSelfSignedCertificate(dir_, 30, "client");
  const TestCertificate other = MakeSelfSignedCertificate(dir_, 30, "other");
  Start("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: client.crt\n");
  const HttpReply admitted =
      HttpGet(Https("/-/healthy"), {server_.cert_file, client.cert_file, client.key_file});
  EXPECT_EQ(admitted.status, 200) << admitted.error;
  EXPECT_EQ(HttpGet(Https("/-/healthy"), {server_.cert_file, "", ""}).status, 0);
  EXPECT_EQ(
      HttpGet(Https("/-/healthy"), {server_.cert_file, other.cert_file, other.key_file}).status,
      0);
  EXPECT_EQ(
      HttpGet(Https("/-/healthy"), {server_.cert_file, client.cert_file, client.key_file}).status,
      200);
  EXPECT_FALSE(exporter_->Wait(0ms).has_value()) << "the exporter died:\n" << exporter_->Stderr();
}

TEST_F(WebTlsTest, CheckConfigRejectsAKeyThatDoesNotMatchTheCertificate) {
  const TestCertificate other = MakeSelfSignedCertificate(dir_, 30, "other");
  const std::string config = dir_.Write("smoke.yml", "probes:\n  - {name: nothing, kind: tcp, target: '127.0.0.1:1'}\n");
  const std::string web = dir_.Write(
      "web.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n");
  Subprocess run({SMOKE_EXPORTER_BINARY, "--config.file=" + config, "--web.config.file=" + web,
                  "check-config"},
                 dir_.path().string());
  EXPECT_EQ(run.Wait(20s), std::optional<int>(1));
  EXPECT_THAT(run.Stderr(), HasSubstr("does not match cert_file"));
}

}  // namespace
}  // namespace smoke::testing
