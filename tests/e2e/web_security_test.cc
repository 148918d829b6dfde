// The exporter's own endpoints under a web config file (--web.config.file, exporter-toolkit's
// format): basic auth on every endpoint, custom security headers, /-/reload closed unless
// --web.enable-lifecycle; and no configured secret in any endpoint's output or in the logs.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "tests/support/fake_http_server.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr char kWebUser[] = "prom";
constexpr char kWebPassword[] = "Web-7d2f-pass";
// bcrypt of kWebPassword at cost 4 (cheap for tests; use 10 or more in production).
constexpr char kWebHash[] = "$2b$04$jMqg3i55k4VAdyloU4L3p.yqGiSsCyVPfJ4AhTGvJEU2I1AKr/GDq";
constexpr char kApiKey[] = "Key-51ab-never-shown";
constexpr char kPgPassword[] = "Pg-88c3-never-shown";
constexpr char kRedisPassword[] = "Redis-0e94-never-shown";
constexpr char kAmToken[] = "Am-3f7d-never-shown";

class WebSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.Respond("/health", 200, R"({"status":"healthy"})", {{"Content-Type", "application/json"}});
    const std::string redis_file = dir_.Write("redis-password", kRedisPassword);
    const std::string am_file = dir_.Write("am-token", kAmToken);
    // Every kind of secret the config can hold: an env header value, a PostgreSQL password from
    // the environment, a Redis password from a file, an Alertmanager bearer token from a file.
    // The database and cache do not exist: their probes fail, and their errors must not leak.
    config_ =
        dir_.Write("smoke.yml",
                   "global: {interval: 1s, timeout: 1s, jitter: 0}\n"
                   "probes:\n"
                   "  - name: api\n"
                   "    kind: http\n"
                   "    target: " +
                       api_.base_url() +
                       "/health\n"
                       "    http:\n"
                       "      headers: {X-Api-Key: {value_env: WEB_API_KEY}}\n"
                       "  - name: db\n"
                       "    kind: postgres\n"
                       "    target: 127.0.0.1:1\n"
                       "    postgres: {user: app, dbname: app, password_env: WEB_PG_PASSWORD}\n"
                       "  - name: cache\n"
                       "    kind: redis\n"
                       "    target: 127.0.0.1:1\n"
                       "    redis: {password_file: " +
                       redis_file +
                       "}\n"
                       "alerting:\n"
                       "  alertmanagers:\n"
                       "    - url: http://127.0.0.1:1\n"
                       "      bearer_token_file: " +
                       am_file + "\n");
    web_config_ =
        dir_.Write("web.yml", std::string("basic_auth_users:\n  ") + kWebUser + ": '" + kWebHash +
                                  "'\n"
                                  "http_server_config:\n"
                                  "  headers:\n"
                                  "    Strict-Transport-Security: max-age=31536000\n");
  }

  void Start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {SMOKE_EXPORTER_BINARY, "--config.file=" + config_,
                                     "--web.config.file=" + web_config_,
                                     "--web.listen-address=127.0.0.1:0", "--log.level=debug"};
    args.insert(args.end(), extra.begin(), extra.end());
    exporter_ = std::make_unique<Subprocess>(
        args, dir_.path().string(),
        std::vector<std::string>{std::string("WEB_API_KEY=") + kApiKey,
                                 std::string("WEB_PG_PASSWORD=") + kPgPassword});
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
  }

  std::string Url(const std::string& path, const std::string& credentials = "") const {
    return "http://" + (credentials.empty() ? "" : credentials + "@") + "127.0.0.1:" + port_ + path;
  }
  std::string Authorized(const std::string& path) const {
    return Url(path, std::string(kWebUser) + ":" + kWebPassword);
  }

  TempDir dir_;
  FakeHttpServer api_;
  std::string config_;
  std::string web_config_;
  std::unique_ptr<Subprocess> exporter_;
  std::string port_;
};

TEST_F(WebSecurityTest, EveryEndpointNeedsTheConfiguredUser) {
  Start();
  for (const char* path : {"/", "/metrics", "/api/v1/probes", "/api/v1/readiness", "/config",
                           "/-/healthy", "/no/such/page"}) {
    const HttpReply anonymous = HttpGet(Url(path));
    EXPECT_EQ(anonymous.status, 401) << path;
    EXPECT_THAT(anonymous.headers, HasSubstr("WWW-Authenticate: Basic")) << path;
    EXPECT_EQ(HttpGet(Url(path, std::string(kWebUser) + ":wrong")).status, 401) << path;
    EXPECT_EQ(HttpGet(Url(path, std::string("nobody:") + kWebPassword)).status, 401) << path;
  }
  const HttpReply metrics = HttpGet(Authorized("/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.headers, HasSubstr("Strict-Transport-Security: max-age=31536000"));
  EXPECT_THAT(metrics.headers, HasSubstr("X-Content-Type-Options: nosniff"));
  // Without --web.enable-lifecycle, /-/reload refuses even an authorised caller.
  EXPECT_EQ(HttpPost(Authorized("/-/reload")).status, 403);
}

TEST_F(WebSecurityTest, NoSecretAppearsInAnyEndpointOrLog) {
  Start({"--web.enable-lifecycle"});
  // Wait until every probe ran at least once, so results and their errors are on every page.
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string body = HttpGet(Authorized("/api/v1/probes")).body;
        return body.find("\"name\":\"db\"") != std::string::npos &&
               body.find("\"name\":\"cache\"") != std::string::npos &&
               body.find("\"attempts\":0") == std::string::npos;
      },
      30s));
  EXPECT_EQ(HttpPost(Authorized("/-/reload")).status, 200);
  std::string everything = exporter_->Stderr();
  for (const char* path :
       {"/", "/metrics", "/api/v1/probes", "/api/v1/probes/db", "/api/v1/probes/cache",
        "/api/v1/probes/api", "/api/v1/rules", "/api/v1/alerts", "/api/v1/readiness",
        "/api/v1/readiness/decisions", "/config", "/api/v1/query?query=up",
        "/probe?target=127.0.0.1:1&module=nonexistent", "/-/healthy", "/-/ready", "/missing"}) {
    const HttpReply reply = HttpGet(Authorized(path));
    EXPECT_NE(reply.status, 0) << path;
    everything += reply.headers + reply.body;
  }
  everything += exporter_->Stderr();
  for (const char* secret :
       {kWebPassword, kWebHash, kApiKey, kPgPassword, kRedisPassword, kAmToken}) {
    EXPECT_EQ(everything.find(secret), std::string::npos) << "leaked: " << secret;
  }
  EXPECT_THAT(everything, HasSubstr("\"name\":\"db\""));  // the pages were really read
}

TEST_F(WebSecurityTest, ABrokenWebConfigStopsTheStartWithItsPosition) {
  web_config_ = dir_.Write("web.yml",
                           "basic_auth_users:\n  prom: plain-text-password\n"
                           "http_server_config:\n  headers: {Server: smoke}\n");
  Subprocess run({SMOKE_EXPORTER_BINARY, "--config.file=" + config_,
                  "--web.config.file=" + web_config_, "--web.listen-address=127.0.0.1:0"},
                 dir_.path().string());
  EXPECT_EQ(run.Wait(20s), std::optional<int>(1));
  EXPECT_THAT(run.Stderr(),
              HasSubstr("web.yml:2:9: the password of user \\\"prom\\\" must be a bcrypt hash"));
  EXPECT_THAT(run.Stderr(), HasSubstr("web.yml:4:13: header \\\"Server\\\" cannot be set here"));
  EXPECT_EQ(run.Stderr().find("plain-text-password"), std::string::npos);
}

}  // namespace
}  // namespace smoke::testing
