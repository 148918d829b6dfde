#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "exporter/config/loader.h"
#include "tests/support/temp_dir.h"

namespace smoke::config {
namespace {

using ::testing::HasSubstr;

LoadOptions NoEnv() {
  LoadOptions options;
  options.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "API_KEY") return "not-shown";
    return std::nullopt;
  };
  return options;
}

TEST(RenderConfigTest, ReparsesAsYamlWithTheEffectiveMergedValues) {
  testing::TempDir dir;
  LoadOptions options;
  options.getenv = [&](const std::string& name) -> std::optional<std::string> {
    if (name == "SECRET_DIR") return dir.path().string();
    if (name == "API_KEY") return "key-from-env";
    return std::nullopt;
  };
  core::Result<ConfigPtr> got =
      LoadConfigFile(std::string(SMOKE_TESTDATA_DIR) + "/config/good.yml", options);
  ASSERT_TRUE(got.ok()) << got.status().message();
  const std::string rendered = RenderConfigYaml(**got);

  YAML::Node doc = YAML::Load(rendered);
  EXPECT_EQ(doc["global"]["interval"].as<std::string>(), "30s");
  EXPECT_EQ(doc["global"]["jitter"].as<double>(), 0.2);
  EXPECT_EQ(doc["modules"]["api_json"]["kind"].as<std::string>(), "http");
  EXPECT_EQ(doc["modules"]["redis_tcp"]["timeout"].as<std::string>(), "5s");  // global default
  YAML::Node probe = doc["probes"][0];
  EXPECT_EQ(probe["name"].as<std::string>(), "api_health");
  EXPECT_EQ(probe["module"].as<std::string>(), "api_json");
  EXPECT_EQ(probe["kind"].as<std::string>(), "http");  // from the module
  EXPECT_EQ(probe["interval"].as<std::string>(), "10s");
  EXPECT_EQ(probe["labels"]["team"].as<std::string>(), "core");
  EXPECT_EQ(probe["labels"]["tier"].as<std::string>(), "web");
  EXPECT_EQ(probe["labels"]["env"].as<std::string>(), "staging");
  EXPECT_EQ(probe["http"]["headers"]["Accept"].as<std::string>(), "application/json");
  EXPECT_EQ(probe["http"]["headers"]["X-Api-Key"].as<std::string>(), "<secret from env:API_KEY>");
  EXPECT_EQ(probe["http"]["body_size_limit"].as<std::string>(), "512KiB");
  YAML::Node assertions = probe["http"]["assertions"];
  ASSERT_EQ(assertions.size(), 5u);
  EXPECT_EQ(assertions[0]["json"].as<std::string>(), "$.dependencies.database exists");
  EXPECT_EQ(assertions[1]["json"].as<std::string>(), "$.version =~ \"^1\\.\"");
  EXPECT_EQ(assertions[4]["name"].as<std::string>(), "status");
  EXPECT_EQ(assertions[4]["status"][0].as<std::string>(), "2xx");
  YAML::Node redis = doc["probes"][3];
  EXPECT_EQ(redis["tcp"]["send"].as<std::string>(), "PING\\r\\n");
  EXPECT_THAT(rendered, ::testing::Not(HasSubstr("key-from-env")));
}

// Without secrets, /config output is itself a valid config that loads to the same thing.
TEST(RenderConfigTest, OutputLoadsBackToTheSameConfig) {
  const std::string text = R"(
global: {interval: 20s, labels: {env: prod}}
modules:
  api:
    kind: http
    timeout: 2s
    http:
      headers: {Accept: application/json}
      assertions:
        - status: [200, 2xx, 301-302]
        - json: '$.items[0]["a b"] in ["x\"y", 1.5, true, null]'
        - any_of:
            - body_regex: 'ok$'
            - header: {name: X-Ok, regex: '^\d+$'}
          severity: warn
probes:
  - name: api
    module: api
    target: http://127.0.0.1:8004/health
    http: {body: 'true', method: post}
  - name: echo
    kind: tcp
    target: 127.0.0.1:7
    tcp: {send: 'a\tb\x01\\', expect: '^a', assertions: [{cert_expiry: 1d}]}
)";
  core::Result<ConfigPtr> first = LoadConfigText(text, "r.yml", NoEnv());
  ASSERT_TRUE(first.ok()) << first.status().message();
  const std::string rendered = RenderConfigYaml(**first);
  core::Result<ConfigPtr> second = LoadConfigText(rendered, "rendered.yml", NoEnv());
  ASSERT_TRUE(second.ok()) << second.status().message() << "\n" << rendered;
  EXPECT_EQ(RenderConfigYaml(**second), rendered);
  EXPECT_EQ((*second)->probes[1].tcp.send, "a\tb\x01\\");
  EXPECT_EQ((*second)->probes[0].http.body, "true");
}

}  // namespace
}  // namespace smoke::config
