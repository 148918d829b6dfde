#include "exporter/server/web_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exporter/server/basic_auth.h"

namespace smoke::server {
namespace {

using ::testing::HasSubstr;

// bcrypt of "Web-7d2f-pass" at cost 4.
constexpr char kHash[] = "$2b$04$jMqg3i55k4VAdyloU4L3p.yqGiSsCyVPfJ4AhTGvJEU2I1AKr/GDq";
// base64("prom:Web-7d2f-pass"), base64("prom:nope"), base64("nobody:Web-7d2f-pass").
constexpr char kRight[] = "Basic cHJvbTpXZWItN2QyZi1wYXNz";
constexpr char kWrong[] = "Basic cHJvbTpub3Bl";
constexpr char kStranger[] = "Basic bm9ib2R5OldlYi03ZDJmLXBhc3M=";

TEST(BasicAuthTest, AcceptsOnlyTheRightUserAndPassword) {
  const BasicAuth auth(std::map<std::string, std::string>{{"prom", kHash}});
  EXPECT_TRUE(auth.Check(kRight));
  EXPECT_TRUE(auth.Check(kRight));                            // the remembered password
  EXPECT_TRUE(auth.Check("basic cHJvbTpXZWItN2QyZi1wYXNz"));  // the scheme is case-insensitive
  for (const char* refused : {kWrong, kStranger, "", "Basic", "Basic !!!", "Bearer abc",
                              "Basic cHJvbQ==" /* no colon */}) {
    EXPECT_FALSE(auth.Check(refused)) << refused;
  }
  EXPECT_TRUE(auth.Check(kRight));  // a wrong attempt does not evict the right one
}

TEST(WebConfigTest, ReadsUsersAndHeaders) {
  auto config = ParseWebConfig(std::string("basic_auth_users:\n  prom: '") + kHash +
                                   "'\nhttp_server_config:\n  http2: true\n  headers:\n"
                                   "    x-frame-options: SAMEORIGIN\n",
                               "web.yml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->basic_auth_users.at("prom"), kHash);
  ASSERT_EQ(config->headers.size(), 1u);
  EXPECT_EQ(config->headers[0].first, "X-Frame-Options");  // canonical spelling
  EXPECT_EQ(config->headers[0].second, "SAMEORIGIN");
}

TEST(WebConfigTest, RejectsWhatItCannotHonourWithPositions) {
  auto config = ParseWebConfig(
      "tls_server_config: {cert_file: a.crt, key_file: a.key}\n"
      "basic_auth_user: {}\n",
      "web.yml");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(),
              HasSubstr("web.yml:1:1: tls_server_config is not supported yet"));
  EXPECT_THAT(config.status().message(),
              HasSubstr("web.yml:2:1: unknown key \"basic_auth_user\" in the web config file"));
}

}  // namespace
}  // namespace smoke::server
