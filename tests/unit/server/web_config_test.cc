#include "exporter/server/web_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace smoke::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// bcrypt of "Web-7d2f-pass" at cost 4.
constexpr char kHash[] = "$2b$04$jMqg3i55k4VAdyloU4L3p.yqGiSsCyVPfJ4AhTGvJEU2I1AKr/GDq";

std::string Testdata(const std::string& name) {
  return std::string(SMOKE_TESTDATA_DIR) + "/web/" + name;
}

TEST(WebConfigTest, ReadsUsersAndHeadersInCanonicalSpelling) {
  auto config = LoadWebConfigFile(Testdata("web-config.yml"));
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->basic_auth_users.at("prom"), kHash);
  EXPECT_FALSE(config->tls.has_value());
  ASSERT_EQ(config->headers.size(), 2u);
  EXPECT_EQ(config->headers[0].first, "Strict-Transport-Security");
  EXPECT_EQ(config->headers[1].first, "X-Frame-Options");  // written x-frame-options
  EXPECT_EQ(config->headers[1].second, "SAMEORIGIN");
}

TEST(WebConfigTest, AnEmptyFileConfiguresNothing) {
  auto config = ParseWebConfig("", "web.yml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_TRUE(config->basic_auth_users.empty());
  EXPECT_TRUE(config->headers.empty());
  EXPECT_FALSE(config->tls.has_value());
}

TEST(WebConfigTest, ReadsTlsWithPathsRelativeToTheFile) {
  testing::TempDir dir;
  dir.Write("server.crt", "cert");
  dir.Write("server.key", "key");
  dir.Write("ca.crt", "ca");
  const std::string path = dir.Write(
      "web.yml",
      "tls_server_config:\n"
      "  cert_file: server.crt\n"
      "  key_file: " + (dir.path() / "server.key").string() + "\n"
      "  client_auth_type: RequireAndVerifyClientCert\n"
      "  client_ca_file: ca.crt\n"
      "  min_version: TLS13\n"
      "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n"
      "  prefer_server_cipher_suites: false\n");
  auto config = LoadWebConfigFile(path);
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_TRUE(config->tls.has_value());
  EXPECT_EQ(config->tls->cert_file, (dir.path() / "server.crt").string());
  EXPECT_EQ(config->tls->key_file, (dir.path() / "server.key").string());
  EXPECT_EQ(config->tls->client_ca_file, (dir.path() / "ca.crt").string());
  EXPECT_EQ(config->tls->client_auth_type, "RequireAndVerifyClientCert");
  EXPECT_EQ(config->tls->min_version, "TLS13");
  EXPECT_EQ(config->tls->max_version, "");
  EXPECT_THAT(config->tls->cipher_suites,
              ::testing::ElementsAre("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
  EXPECT_FALSE(config->tls->prefer_server_cipher_suites);
}

struct BadFile {
  const char* file;
  const char* error;  // after "<path>:"
};

class WebConfigErrorTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(WebConfigErrorTest, StopsWithThePosition) {
  auto config = LoadWebConfigFile(Testdata(GetParam().file));
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(),
              HasSubstr(Testdata(GetParam().file) + ":" + GetParam().error));
}

INSTANTIATE_TEST_SUITE_P(
    Files, WebConfigErrorTest,
    ::testing::Values(
        BadFile{"plain-password.yml", "2:9: the password of user \"prom\" must be a bcrypt hash"},
        BadFile{"forbidden-header.yml", "3:5: header \"Server\" cannot be set here"},
        BadFile{"unknown-key.yml", "1:1: unknown key \"basic_auth_user\" in the web config file"},
        BadFile{"tls-missing-key-file.yml", "2:3: tls_server_config needs \"key_file\""},
        BadFile{"tls-unreadable-cert.yml", "2:14: cannot read cert_file"},
        BadFile{"tls-ca-without-verification.yml",
                "4:3: client_ca_file is set but client_auth_type NoClientCert does not verify"},
        BadFile{"tls-verification-without-ca.yml",
                "4:3: client_auth_type RequireAndVerifyClientCert needs \"client_ca_file\""},
        BadFile{"tls-inline-key.yml",
                "3:3: \"key\" is not supported by smoke_exporter (use \"key_file\")"},
        BadFile{"tls-bad-versions.yml", "5:16: max_version TLS12 is below min_version TLS13"},
        BadFile{"tls-bad-client-auth.yml",
                "4:21: invalid value \"RequireClientCert\" for \"client_auth_type\""}),
    [](const ::testing::TestParamInfo<BadFile>& info) {
      std::string name = std::filesystem::path(info.param.file).stem().string();
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

TEST(WebConfigTest, NeverEchoesAPasswordWrittenInPlaceOfItsHash) {
  auto config = LoadWebConfigFile(Testdata("plain-password.yml"));
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), Not(HasSubstr("hunter2")));
}

TEST(WebConfigTest, TheShippedExampleIsValid) {
  auto config = LoadWebConfigFile(std::string(SMOKE_SOURCE_DIR) + "/examples/web-config.yml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_FALSE(config->basic_auth_users.empty());
}

}  // namespace
}  // namespace smoke::server
