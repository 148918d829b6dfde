#include "exporter/config/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "tests/support/temp_dir.h"

#include "tests/unit/config/config_test_util.h"
namespace smoke::config {
namespace {

using ::smoke::config::test_util::Env;
using ::smoke::config::test_util::FindProbe;

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

const std::string kGoodFile = std::string(SMOKE_TESTDATA_DIR) + "/config/good.yml";

std::vector<std::string> AssertionNames(const std::vector<Assertion>& assertions) {
  std::vector<std::string> names;
  for (const Assertion& a : assertions) names.push_back(a.name);
  return names;
}

// good.yml with its secrets in a temp dir and API_KEY in the (injected) environment.
class GoodConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("password", "pa55word\n");
    dir_.Write("token", "tok-123");
    core::Result<ConfigPtr> got = LoadConfigFile(
        kGoodFile, Env({{"API_KEY", "key-from-env"}, {"SECRET_DIR", dir_.path().string()}}));
    ASSERT_TRUE(got.ok()) << got.status().message();
    config_ = *got;
  }

  testing::TempDir dir_;
  ConfigPtr config_;
};

TEST_F(GoodConfigTest, ReadsGlobalSection) {
  const GlobalSpec& g = config_->global;
  EXPECT_EQ(config_->file, kGoodFile);
  EXPECT_EQ(g.interval, seconds(30));
  EXPECT_EQ(g.timeout, seconds(5));
  EXPECT_DOUBLE_EQ(g.jitter, 0.2);
  EXPECT_EQ(g.max_concurrency, 8);
  // Sorted by name; ${ENVIRONMENT:-staging} took its default.
  EXPECT_THAT(g.labels, ElementsAre(Pair("env", "staging"), Pair("region", "eu-west")));
  EXPECT_THAT(g.histogram_buckets, ElementsAre(0.01, 0.05, 0.1, 0.5, 1, 5));
  EXPECT_EQ(g.history.limit, 50);
  EXPECT_EQ(g.history.failure_limit, 20);
  EXPECT_THAT(config_->probe_endpoint.allowed_targets,
              ElementsAre("http://127\\.0\\.0\\.1:\\d+/.*"));
  EXPECT_THAT(config_->warnings, IsEmpty());
}

TEST_F(GoodConfigTest, KeepsModulesWithGlobalDefaultsApplied) {
  ASSERT_EQ(config_->modules.size(), 2u);
  const ProbeSpec& api = config_->modules.at("api_json");
  EXPECT_EQ(api.name, "api_json");
  EXPECT_EQ(api.kind, "http");
  EXPECT_EQ(api.component, "api");
  EXPECT_EQ(api.target, "");
  EXPECT_EQ(api.interval, seconds(10));
  EXPECT_EQ(api.timeout, seconds(3));
  EXPECT_THAT(api.labels, ElementsAre(Pair("env", "staging"), Pair("region", "eu-west"),
                                      Pair("team", "core"), Pair("tier", "backend")));
  EXPECT_EQ(api.http.body_size_limit, 512 * 1024);
  EXPECT_THAT(AssertionNames(api.http.assertions),
              ElementsAre("status", "json_status", "body_not_regex"));

  const ProbeSpec& redis = config_->modules.at("redis_tcp");
  EXPECT_EQ(redis.kind, "tcp");
  EXPECT_EQ(redis.interval, seconds(30));  // global
  EXPECT_EQ(redis.timeout, seconds(5));    // global
  EXPECT_EQ(redis.tcp.send, "PING\r\n");   // escapes decoded in a single-quoted string
  EXPECT_EQ(redis.tcp.expect, "^\\+PONG");
  ASSERT_EQ(redis.tcp.assertions.size(), 1u);
  EXPECT_EQ(redis.tcp.assertions[0].kind, Assertion::Kind::kLatency);
  EXPECT_EQ(redis.tcp.assertions[0].max_latency, milliseconds(250));
}

TEST_F(GoodConfigTest, MergesModuleIntoProbeWithProbeWinning) {
  ASSERT_EQ(config_->probes.size(), 5u);
  const ProbeSpec& p = FindProbe(*config_, "api_health");
  EXPECT_EQ(p.module, "api_json");
  EXPECT_EQ(p.kind, "http");  // from the module
  EXPECT_EQ(p.component, "api");
  EXPECT_EQ(p.target, "http://127.0.0.1:8004/health");
  EXPECT_EQ(p.interval, seconds(10));
  EXPECT_EQ(p.timeout, seconds(3));
  // global ∪ module ∪ probe, the probe's tier winning over the module's, sorted.
  EXPECT_THAT(p.labels, ElementsAre(Pair("env", "staging"), Pair("region", "eu-west"),
                                    Pair("team", "core"), Pair("tier", "web")));
  // Headers merge key by key.
  ASSERT_EQ(p.http.headers.size(), 3u);
  EXPECT_EQ(p.http.headers[0].name, "Accept");
  EXPECT_EQ(p.http.headers[0].value, "application/json");
  EXPECT_EQ(p.http.headers[1].name, "X-Api-Key");
  ASSERT_TRUE(p.http.headers[1].secret.has_value());
  EXPECT_EQ(p.http.headers[1].secret->value(), "key-from-env");
  EXPECT_EQ(p.http.headers[1].secret->source(), "env:API_KEY");
  EXPECT_EQ(p.http.headers[2].name, "X-Request-Id");
  EXPECT_EQ(p.http.headers[2].value, "smoke");
  // Nested maps keep the module's keys the probe does not override.
  EXPECT_EQ(p.http.tls.min_version, "TLS12");
  EXPECT_EQ(p.http.body_size_limit, 512 * 1024);
  // The assertion list replaces the module's; no status assertion, so the default one is added.
  EXPECT_THAT(AssertionNames(p.http.assertions),
              ElementsAre("json_dependencies_database", "api_version",
                          "header_strict_transport_security", "latency", "status"));
  const Assertion& status = p.http.assertions.back();
  EXPECT_EQ(status.kind, Assertion::Kind::kStatus);
  EXPECT_EQ(status.severity, core::Severity::kFail);
  EXPECT_THAT(status.status_ranges, ElementsAre(Pair(200, 299)));
  const Assertion& version = p.http.assertions[1];
  EXPECT_EQ(version.json_op, JsonOp::kMatches);
  EXPECT_EQ(version.pattern, "^1\\.");
  EXPECT_EQ(p.http.assertions[3].severity, core::Severity::kWarn);
  EXPECT_EQ(p.http.assertions[3].max_latency, milliseconds(500));
  // The position of the probe's list item.
  EXPECT_EQ(p.pos.file, kGoodFile);
  EXPECT_EQ(p.pos.line, 46);
  EXPECT_EQ(p.pos.column, 5);
}

TEST_F(GoodConfigTest, InheritsModuleAssertionsAndTimeoutWhenProbeSetsNone) {
  const ProbeSpec& p = FindProbe(*config_, "api_login");
  EXPECT_EQ(p.interval, seconds(20));  // probe
  EXPECT_EQ(p.timeout, seconds(3));    // module
  EXPECT_EQ(p.http.method, "POST");
  EXPECT_EQ(p.http.body, "{\"user\":\"smoke\"}");
  EXPECT_THAT(AssertionNames(p.http.assertions),
              ElementsAre("status", "json_status", "body_not_regex"));
  EXPECT_THAT(p.http.assertions[0].status_ranges, ElementsAre(Pair(200, 200), Pair(200, 299)));
  const Assertion& json = p.http.assertions[1];
  EXPECT_EQ(json.json_path, "$.status");
  EXPECT_EQ(json.json_op, JsonOp::kEq);
  ASSERT_EQ(json.json_values.size(), 1u);
  EXPECT_EQ(json.json_values[0].type, JsonScalar::Type::kString);
  EXPECT_EQ(json.json_values[0].string_value, "healthy");
  EXPECT_TRUE(p.http.assertions[2].negate);
  ASSERT_TRUE(p.http.basic_auth.has_value());
  EXPECT_EQ(p.http.basic_auth->username, "smoke");
  EXPECT_TRUE(p.http.basic_auth->password.present());
  EXPECT_EQ(p.http.basic_auth->password.value(), "pa55word");  // one trailing newline stripped
}

TEST_F(GoodConfigTest, AppliesDefaultsToProbeWithoutModule) {
  const ProbeSpec& p = FindProbe(*config_, "homepage");
  EXPECT_EQ(p.module, "");
  EXPECT_EQ(p.component, "default");
  EXPECT_EQ(p.interval, seconds(30));
  EXPECT_EQ(p.timeout, seconds(5));
  EXPECT_THAT(p.labels, ElementsAre(Pair("env", "staging"), Pair("region", "eu-west")));
  EXPECT_EQ(p.http.method, "GET");
  EXPECT_FALSE(p.http.follow_redirects);
  EXPECT_EQ(p.http.max_redirects, 10);
  EXPECT_EQ(p.http.ip_protocol, IpProtocol::kIp4);
  EXPECT_TRUE(p.http.ip_protocol_fallback);
  EXPECT_EQ(p.http.body_size_limit, 4 * 1024 * 1024);
  ASSERT_TRUE(p.http.bearer_token.has_value());
  EXPECT_EQ(p.http.bearer_token->value(), "tok-123");
  // A status check nested in any_of does not count: the default one is still added.
  EXPECT_THAT(AssertionNames(p.http.assertions), ElementsAre("any_of", "cert_expiry", "status"));
  const Assertion& any = p.http.assertions[0];
  ASSERT_EQ(any.children.size(), 2u);
  EXPECT_THAT(any.children[0].status_ranges, ElementsAre(Pair(200, 204)));
  ASSERT_EQ(any.children[1].children.size(), 2u);
  EXPECT_EQ(any.children[1].children[0].name, "header_x_frame_options");
  EXPECT_EQ(any.children[1].children[1].name, "header_server_absent");
  EXPECT_TRUE(any.children[1].children[1].header_absent);
  EXPECT_EQ(p.http.assertions[1].min_validity, std::chrono::hours(168));
}

TEST_F(GoodConfigTest, ReadsTcpProbes) {
  const ProbeSpec& redis = FindProbe(*config_, "redis");
  EXPECT_EQ(redis.kind, "tcp");
  EXPECT_EQ(redis.component, "cache");
  EXPECT_EQ(redis.timeout, seconds(1));
  EXPECT_EQ(redis.tcp.send, "PING\r\n");

  const ProbeSpec& pg = FindProbe(*config_, "postgres_port");
  EXPECT_EQ(pg.target, "[::1]:5432");
  EXPECT_EQ(pg.component, "database");
  EXPECT_EQ(pg.tcp.send, "");
  EXPECT_THAT(pg.tcp.assertions, IsEmpty());
}

TEST(ConfigLoaderTest, LoadsEmptyFileAsZeroProbes) {
  for (const char* text :
       {"", "# nothing yet\n", "probes:\nmodules:\n", "global: {interval: 1m}\n"}) {
    core::Result<ConfigPtr> got = LoadConfigText(text, "empty.yml", Env({}));
    ASSERT_TRUE(got.ok()) << text << ": " << got.status().message();
    EXPECT_THAT((*got)->probes, IsEmpty());
    EXPECT_THAT((*got)->modules, IsEmpty());
  }
}

TEST(ConfigLoaderTest, ReportsMissingFile) {
  core::Result<ConfigPtr> got = LoadConfigFile("/nonexistent/smoke.yml");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "/nonexistent/smoke.yml: cannot read config file: No such file or directory");
}

TEST(ConfigLoaderTest, ExpandsEnvironmentVariablesInValuesOnly) {
  const std::string text = R"(
global:
  interval: ${INTERVAL}
  labels: {env: "${ENV:-dev}", cost: "$$5", plain: a$b}
probes:
  - name: api
    kind: http
    target: http://${HOST}:${PORT:-8080}/health
)";
  core::Result<ConfigPtr> got =
      LoadConfigText(text, "env.yml", Env({{"INTERVAL", "1m"}, {"HOST", "10.0.0.1"}, {"ENV", ""}}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ((*got)->global.interval, seconds(60));
  // ":-" also replaces an empty value (shell semantics); "$$" is a literal "$".
  EXPECT_THAT((*got)->global.labels,
              ElementsAre(Pair("cost", "$5"), Pair("env", "dev"), Pair("plain", "a$b")));
  EXPECT_EQ((*got)->probes[0].target, "http://10.0.0.1:8080/health");

  // Keys are never expanded: a key naming a variable stays as written (and is invalid here).
  got = LoadConfigText("global:\n  labels: {\"${TEAM}\": x}\n", "env.yml", Env({{"TEAM", "t"}}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "env.yml:2:12: invalid label name \"${TEAM}\" (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)");
}

TEST(ConfigLoaderTest, ReadsRelativeSecretFilesFromTheConfigDirectory) {
  testing::TempDir dir;
  dir.Write("secrets/token", "from-config-dir\n\n");
  const std::string path = dir.Write("smoke.yml", R"(
probes:
  - name: api
    kind: http
    target: http://127.0.0.1:1/
    http:
      bearer_token_file: secrets/token
      tls: {ca_file: ca.pem}
)");
  core::Result<ConfigPtr> got = LoadConfigFile(path, Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  const HttpSpec& http = (*got)->probes[0].http;
  // Only one trailing newline is stripped.
  EXPECT_EQ(http.bearer_token->value(), "from-config-dir\n");
  EXPECT_EQ(http.bearer_token->source(), "file:" + (dir.path() / "secrets/token").string());
  EXPECT_EQ(http.tls.ca_file, (dir.path() / "ca.pem").string());
}

TEST(ConfigLoaderTest, ShrinksInheritedTimeoutToShorterInterval) {
  const std::string text = R"(
global: {interval: 2s}
probes:
  - {name: fast, kind: tcp, target: "127.0.0.1:1", interval: 1s}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "t.yml", Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ((*got)->global.timeout, seconds(2));
  EXPECT_EQ((*got)->probes[0].timeout, seconds(1));
}

TEST(ConfigLoaderTest, ProbeCanSwitchModuleSecretSource) {
  const std::string text = R"(
modules:
  m:
    kind: http
    http: {bearer_token_env: TOKEN}
probes:
  - name: api
    module: m
    target: http://127.0.0.1:1/
    http: {bearer_token_file: /nonexistent/token}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "t.yml", Env({{"TOKEN", "t"}}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ((*got)->modules.at("m").http.bearer_token->source(), "env:TOKEN");
  EXPECT_EQ((*got)->probes[0].http.bearer_token->source(), "file:/nonexistent/token");
}

}  // namespace
}  // namespace smoke::config
