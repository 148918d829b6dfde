// The silences client against an in-process fake Alertmanager, for what a real one will not do
// on demand: errors, garbage, hanging, and counting requests to prove the cache. The happy path
// against a real Alertmanager is in tests/integration/readiness_silences_test.cc.

#include "exporter/readiness/silences_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "tests/support/fake_http_server.h"
#include "tests/support/gate.h"

namespace smoke::readiness {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

const char kSilences[] = R"([
  {"id":"active1","status":{"state":"active"},"createdBy":"alice","comment":"known",
   "startsAt":"2023-11-14T22:00:00Z","endsAt":"2099-01-01T00:00:00Z",
   "matchers":[{"name":"probe","value":"db","isRegex":false,"isEqual":true}]},
  {"id":"expired1","status":{"state":"expired"},"createdBy":"bob","comment":"old",
   "startsAt":"2023-11-14T20:00:00Z","endsAt":"2023-11-14T21:00:00Z",
   "matchers":[{"name":"probe","value":"db","isRegex":false,"isEqual":true}]},
  {"id":"pending1","status":{"state":"pending"},"createdBy":"carol","comment":"later",
   "startsAt":"2099-01-01T00:00:00Z","endsAt":"2099-01-02T00:00:00Z",
   "matchers":[{"name":"probe","value":"db","isRegex":false,"isEqual":true}]}])";

SilencesClientOptions Options(std::vector<std::string> urls, core::Clock* clock) {
  SilencesClientOptions o;
  for (const auto& url : urls) {
    SilencesSource source;
    source.url = url;
    o.alertmanagers.push_back(source);
  }
  o.clock = clock;
  o.timeout = std::chrono::milliseconds(500);
  return o;
}

// One fake Alertmanager for the suite (stopping CivetWeb takes seconds); each behaviour is
// served under its own path prefix.
class SilencesClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    hang_ = std::make_shared<testing::Gate>();
    am_ = new testing::FakeHttpServer();
    am_->Respond("/ok/api/v2/silences", 200, kSilences, {{"Content-Type", "application/json"}});
    am_->Respond("/cached/api/v2/silences", 200, kSilences);
    am_->Respond("/unauthorized/api/v2/silences", 401, "bad token s3cr3t-token");
    am_->Respond("/server-error/api/v2/silences", 500, "internal");
    am_->Respond("/not-json/api/v2/silences", 200, "<html>proxy login</html>");
    am_->Respond("/wrong-shape/api/v2/silences", 200, R"({"data":[]})");
    am_->Respond("/down/api/v2/silences", 503, "unavailable");
    std::shared_ptr<testing::Gate> hang = hang_;
    am_->Route("/hang/api/v2/silences",
               [hang](mg_connection*, const testing::FakeRequest&) { hang->Wait(); });
  }
  static void TearDownTestSuite() {
    hang_->Open();
    delete am_;
  }
  static std::string Url(const std::string& prefix) { return am_->base_url() + prefix; }
  static std::vector<testing::FakeRequest> Requests(const std::string& prefix) {
    std::vector<testing::FakeRequest> out;
    for (const testing::FakeRequest& r : am_->requests()) {
      if (r.path.rfind(prefix + "/", 0) == 0) out.push_back(r);
    }
    return out;
  }

  static testing::FakeHttpServer* am_;
  static std::shared_ptr<testing::Gate> hang_;
};

testing::FakeHttpServer* SilencesClientTest::am_ = nullptr;
std::shared_ptr<testing::Gate> SilencesClientTest::hang_;

TEST_F(SilencesClientTest, KeepsOnlyActiveSilences) {
  core::ManualClock clock;
  SilencesClient client(Options({Url("/ok")}, &clock));
  SilencesAnswer a = client.Get();
  ASSERT_TRUE(a.ok) << a.error;
  ASSERT_THAT(a.silences, SizeIs(1));
  EXPECT_EQ(a.silences[0].id, "active1");
  EXPECT_EQ(a.silences[0].created_by, "alice");
}

TEST_F(SilencesClientTest, CachesAnswersForTheTtl) {
  core::ManualClock clock;
  SilencesClientOptions o = Options({Url("/cached")}, &clock);
  o.cache_ttl = std::chrono::seconds(5);
  SilencesClient client(o);
  ASSERT_TRUE(client.Get().ok);
  clock.Advance(std::chrono::seconds(4));
  ASSERT_TRUE(client.Get().ok);
  EXPECT_THAT(Requests("/cached"), SizeIs(1));
  clock.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(client.Get().ok);
  EXPECT_THAT(Requests("/cached"), SizeIs(2));
}

TEST_F(SilencesClientTest, SendsTheNotifiersCredentialsAndNeverEchoesThem) {
  core::ManualClock clock;
  SilencesClientOptions o = Options({Url("/unauthorized")}, &clock);
  o.alertmanagers[0].bearer_token = core::Secret::Resolved("s3cr3t-token", "env:AM_TOKEN");
  SilencesClient client(o);
  SilencesAnswer a = client.Get();
  ASSERT_FALSE(a.ok);
  const std::vector<testing::FakeRequest> requests = Requests("/unauthorized");
  ASSERT_THAT(requests, SizeIs(1));
  EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer s3cr3t-token");
  EXPECT_THAT(a.error, HasSubstr("HTTP 401"));
  EXPECT_THAT(a.error, Not(HasSubstr("s3cr3t-token")));
}

TEST_F(SilencesClientTest, ErrorsMakeWaiversUnavailableAndAreCachedToo) {
  const struct {
    const char* prefix;
    const char* error;
  } cases[] = {
      {"/server-error", "HTTP 500: internal"},
      {"/not-json", "not JSON"},
      {"/wrong-shape", "not a JSON array"},
  };
  for (const auto& c : cases) {
    core::ManualClock clock;
    SilencesClient client(Options({Url(c.prefix)}, &clock));
    SilencesAnswer a = client.Get();
    EXPECT_FALSE(a.ok) << c.prefix;
    EXPECT_THAT(a.error, HasSubstr("GET " + Url(c.prefix) + "/api/v2/silences: ")) << c.prefix;
    EXPECT_THAT(a.error, HasSubstr(c.error)) << c.prefix;
    EXPECT_FALSE(client.Get().ok);
    EXPECT_THAT(Requests(c.prefix), SizeIs(1)) << "a failure is cached as long as an answer";
  }
}

TEST_F(SilencesClientTest, UnreachableAndHangingAlertmanagers) {
  core::ManualClock clock;
  SilencesClient client(Options({"http://127.0.0.1:1", Url("/hang")}, &clock));
  SilencesAnswer a = client.Get();
  ASSERT_FALSE(a.ok);
  EXPECT_THAT(a.error, HasSubstr("http://127.0.0.1:1/api/v2/silences: connection_refused"));
  EXPECT_THAT(a.error, HasSubstr(Url("/hang") + "/api/v2/silences: timeout"));
}

TEST_F(SilencesClientTest, FallsBackToTheNextAlertmanagerOfTheCluster) {
  core::ManualClock clock;
  SilencesClient client(Options({Url("/down"), Url("/ok")}, &clock));
  SilencesAnswer a = client.Get();
  ASSERT_TRUE(a.ok) << a.error;
  EXPECT_THAT(a.silences, SizeIs(1));
}

TEST_F(SilencesClientTest, NoAlertmanagerConfigured) {
  core::ManualClock clock;
  SilencesClient client(Options({}, &clock));
  SilencesAnswer a = client.Get();
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.error, "no Alertmanager configured to read silences from");
}

}  // namespace
}  // namespace smoke::readiness
