// Which Alertmanager URLs are accepted, and the API endpoint derived from them.

#include "exporter/notifier/alertmanager_url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smoke::notifier {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(AlertsEndpointTest, AppendsTheApiPathToBaseUrlAndPrefix) {
  struct Case {
    std::string url;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"http://127.0.0.1:9093", "http://127.0.0.1:9093/api/v2/alerts"},
      {"http://127.0.0.1:9093/", "http://127.0.0.1:9093/api/v2/alerts"},
      {"https://am.example.com/alertmanager", "https://am.example.com/alertmanager/api/v2/alerts"},
      {"https://am.example.com/alertmanager/", "https://am.example.com/alertmanager/api/v2/alerts"},
      {"http://[::1]:9093", "http://[::1]:9093/api/v2/alerts"},
  };
  for (const Case& c : cases) {
    core::Result<std::string> got = AlertsEndpoint(c.url);
    ASSERT_TRUE(got.ok()) << c.url << ": " << got.status().message();
    EXPECT_EQ(*got, c.want);
  }
}

TEST(AlertsEndpointTest, RejectsUrlsThatCannotBeShownOrUsed) {
  struct Case {
    std::string url;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"127.0.0.1:9093", "must start with http:// or https://"},
      {"ftp://am:21", "must start with http:// or https://"},
      {"http://", "has no host"},
      {"http://am:9093/?token=x", "must not have a query or fragment"},
      {"http://am:9093/#frag", "must not have a query or fragment"},
      {"http://admin:hunter2@am:9093/prefix",
       "alertmanager url \"http://am:9093/prefix\" must not contain credentials"},
      {"http://admin@am:9093", "must not contain credentials"},
  };
  for (const Case& c : cases) {
    core::Result<std::string> got = AlertsEndpoint(c.url);
    ASSERT_FALSE(got.ok()) << c.url;
    EXPECT_THAT(got.status().message(), HasSubstr(c.error)) << c.url;
    // The error is logged and shown: the password must not be in it.
    EXPECT_THAT(got.status().message(), Not(HasSubstr("hunter2")));
  }
}

}  // namespace
}  // namespace smoke::notifier
