#include "exporter/server/web_config_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace smoke::server {
namespace {

using ::testing::Contains;
using ::testing::Pair;

// bcrypt of "Web-7d2f-pass" at cost 4; base64("prom:Web-7d2f-pass"), base64("ops:Web-7d2f-pass").
constexpr char kHash[] = "$2b$04$jMqg3i55k4VAdyloU4L3p.yqGiSsCyVPfJ4AhTGvJEU2I1AKr/GDq";
constexpr char kProm[] = "Basic cHJvbTpXZWItN2QyZi1wYXNz";
constexpr char kOps[] = "Basic b3BzOldlYi03ZDJmLXBhc3M=";

HttpRequest WithAuthorization(const std::string& value) {
  HttpRequest req;
  req.method = "GET";
  req.path = "/metrics";
  if (!value.empty()) req.headers["authorization"] = value;
  return req;
}

int StatusOf(WebConfigSource& source, const std::string& authorization) {
  std::optional<HttpResponse> refusal = source.Guard(WithAuthorization(authorization));
  return refusal ? refusal->status : 200;
}

class WebConfigSourceTest : public ::testing::Test {
 protected:
  std::shared_ptr<WebConfigSource> Load(const std::string& text) {
    path_ = dir_.Write("web.yml", text);
    auto source = WebConfigSource::Load(path_);
    EXPECT_TRUE(source.ok()) << source.status().message();
    return source.ok() ? *source : nullptr;
  }
  testing::TempDir dir_;
  std::string path_;
};

TEST_F(WebConfigSourceTest, RefusesWithoutTheConfiguredUserAndAsksForBasicAuth) {
  auto source = Load(std::string("basic_auth_users: {prom: '") + kHash + "'}\n");
  ASSERT_NE(source, nullptr);
  const std::optional<HttpResponse> refusal = source->Guard(WithAuthorization(""));
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 401);
  EXPECT_THAT(refusal->headers, Contains(Pair("WWW-Authenticate", "Basic realm=\"smoke_exporter\"")));
  EXPECT_EQ(StatusOf(*source, kProm), 200);
  EXPECT_EQ(StatusOf(*source, kOps), 401);
}

TEST_F(WebConfigSourceTest, AFileWithoutUsersLetsEveryoneIn) {
  auto source = Load("http_server_config: {headers: {X-Frame-Options: SAMEORIGIN}}\n");
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(StatusOf(*source, ""), 200);
  EXPECT_THAT(source->Headers(), Contains(Pair("X-Frame-Options", "SAMEORIGIN")));
}

TEST_F(WebConfigSourceTest, AChangedFileTakesEffectOnTheNextRequest) {
  auto source = Load(std::string("basic_auth_users: {prom: '") + kHash + "'}\n");
  ASSERT_NE(source, nullptr);
  ASSERT_EQ(StatusOf(*source, kOps), 401);
  dir_.Write("web.yml", std::string("basic_auth_users: {ops: '") + kHash +
                            "'}\nhttp_server_config: {headers: {X-Frame-Options: SAMEORIGIN}}\n");
  EXPECT_EQ(StatusOf(*source, kOps), 200);
  EXPECT_EQ(StatusOf(*source, kProm), 401);  // removed users are out at once
  EXPECT_THAT(source->Headers(), Contains(Pair("X-Frame-Options", "SAMEORIGIN")));
}

TEST_F(WebConfigSourceTest, ABrokenEditRefusesEveryRequestUntilFixed) {
  auto source = Load(std::string("basic_auth_users: {prom: '") + kHash + "'}\n");
  ASSERT_NE(source, nullptr);
  dir_.Write("web.yml", "basic_auth_users: [\n");
  EXPECT_EQ(StatusOf(*source, kProm), 500);
  EXPECT_EQ(StatusOf(*source, ""), 500);
  std::filesystem::remove(path_);
  EXPECT_EQ(StatusOf(*source, kProm), 500);  // a deleted file does not open the endpoints
  dir_.Write("web.yml", std::string("basic_auth_users: {prom: '") + kHash + "'}\n# fixed\n");
  EXPECT_EQ(StatusOf(*source, kProm), 200);
  EXPECT_EQ(StatusOf(*source, ""), 401);
}

TEST_F(WebConfigSourceTest, LoadReportsACertificateThatIsNotPem) {
  // Both files exist, so parsing passes; the trial TLS setup finds the bad certificate.
  dir_.Write("server.crt", "not a certificate\n");
  dir_.Write("server.key", "not a key\n");
  path_ = dir_.Write("web.yml", "tls_server_config: {cert_file: server.crt, key_file: server.key}\n");
  auto source = WebConfigSource::Load(path_);
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(source.status().message(),
              ::testing::HasSubstr("tls_server_config: cert_file \"" +
                                   (dir_.path() / "server.crt").string() +
                                   "\" is not a PEM certificate"));
}

}  // namespace
}  // namespace smoke::server
