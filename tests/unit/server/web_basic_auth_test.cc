#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "exporter/server/basic_auth.h"

namespace smoke::server {
namespace {

// bcrypt of "Web-7d2f-pass" at cost 4 ($2b$) and the same password as htpasswd writes it ($2y$).
constexpr char kHash[] = "$2b$04$jMqg3i55k4VAdyloU4L3p.yqGiSsCyVPfJ4AhTGvJEU2I1AKr/GDq";
constexpr char kHash2y[] = "$2y$04$jMqg3i55k4VAdyloU4L3p.yqGiSsCyVPfJ4AhTGvJEU2I1AKr/GDq";
// base64("prom:Web-7d2f-pass"), base64("prom:nope"), base64("nobody:Web-7d2f-pass").
constexpr char kRight[] = "Basic cHJvbTpXZWItN2QyZi1wYXNz";
constexpr char kWrong[] = "Basic cHJvbTpub3Bl";
constexpr char kStranger[] = "Basic bm9ib2R5OldlYi03ZDJmLXBhc3M=";

TEST(WebBasicAuthTest, AcceptsOnlyTheRightUserAndPassword) {
  const BasicAuth auth(std::map<std::string, std::string>{{"prom", kHash}});
  EXPECT_TRUE(auth.Check(kRight));
  EXPECT_TRUE(auth.Check(kRight));                            // the remembered check
  EXPECT_TRUE(auth.Check("basic cHJvbTpXZWItN2QyZi1wYXNz"));  // the scheme is case-insensitive
  for (const char* refused : {kWrong, kStranger, "", "Basic", "Basic ", "Basic !!!", "Bearer abc",
                              "Basic cHJvbQ==" /* no colon */}) {
    EXPECT_FALSE(auth.Check(refused)) << refused;
  }
  EXPECT_TRUE(auth.Check(kRight));  // a wrong attempt does not evict the right one
}

TEST(WebBasicAuthTest, AcceptsHtpasswdsTwoYHashes) {
  const BasicAuth auth(std::map<std::string, std::string>{{"prom", kHash2y}});
  EXPECT_TRUE(auth.Check(kRight));
  EXPECT_FALSE(auth.Check(kWrong));
}

TEST(WebBasicAuthTest, ARememberedPasswordDoesNotOpenAnotherUser) {
  // Both users have the same hash; a check remembered for one must not let the other in with a
  // different password, nor the first with a wrong one.
  const BasicAuth auth(
      std::map<std::string, std::string>{{"prom", kHash}, {"grafana", kHash}});
  ASSERT_TRUE(auth.Check(kRight));
  EXPECT_FALSE(auth.Check("Basic Z3JhZmFuYTpub3Bl"));  // grafana:nope
  EXPECT_TRUE(auth.Check("Basic Z3JhZmFuYTpXZWItN2QyZi1wYXNz"));  // grafana:Web-7d2f-pass
  EXPECT_FALSE(auth.Check(kWrong));
}

}  // namespace
}  // namespace smoke::server
