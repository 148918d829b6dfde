// The rule engine's sections: rules:, alerting:, storage:.

#include <gtest/gtest.h>

#include "exporter/config/loader.h"
#include "tests/unit/config/config_test_util.h"

namespace smoke::config {
namespace {

using namespace std::chrono_literals;

core::Result<ConfigPtr> Load(const std::string& text,
                             std::map<std::string, std::string> env = {}) {
  return LoadConfigText(text, "/etc/smoke/smoke.yml", test_util::Env(std::move(env)));
}

TEST(EngineConfigTest, DefaultsWithoutTheSections) {
  auto cfg = Load("probes: []\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_TRUE((*cfg)->rules.files.empty());
  EXPECT_EQ((*cfg)->rules.evaluation_interval, 15s);
  EXPECT_EQ((*cfg)->rules.resend_delay, 1min);
  EXPECT_TRUE((*cfg)->alerting.alertmanagers.empty());
  EXPECT_EQ((*cfg)->alerting.queue_capacity, 10000);
  EXPECT_EQ((*cfg)->storage.retention, 6h);
  EXPECT_TRUE((*cfg)->storage.snapshot_file.empty());
}

TEST(EngineConfigTest, ParsesEverySettingAndResolvesPathsAgainstTheConfigDirectory) {
  auto cfg = Load(R"(
rules:
  files: [rules/*.rules.yml, /abs/x.yml]
  evaluation_interval: 30s
  query_offset: 10s
  resend_delay: 2m
  external_url: https://smoke.example/
  external_labels: {cluster: staging}
  state_file: data/alerts.json
alerting:
  alertmanagers:
    - url: http://127.0.0.1:9093
      timeout: 3s
      basic_auth: {username: smoke, password_env: AM_PASSWORD}
  queue_capacity: 500
  required: true
storage:
  retention: 2h
  snapshot_file: data/tsdb.snap
  snapshot_interval: 1m
)",
                  {{"AM_PASSWORD", "s3cret"}});
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  const Config& c = **cfg;
  EXPECT_EQ(c.rules.files, (std::vector<std::string>{"/etc/smoke/rules/*.rules.yml", "/abs/x.yml"}));
  EXPECT_EQ(c.rules.evaluation_interval, 30s);
  EXPECT_EQ(c.rules.query_offset, 10s);
  EXPECT_EQ(c.rules.resend_delay, 2min);
  EXPECT_EQ(c.rules.external_url, "https://smoke.example");
  EXPECT_EQ(c.rules.external_labels.at("cluster"), "staging");
  EXPECT_EQ(c.rules.state_file, "/etc/smoke/data/alerts.json");
  ASSERT_EQ(c.alerting.alertmanagers.size(), 1u);
  EXPECT_EQ(c.alerting.alertmanagers[0].url, "http://127.0.0.1:9093");
  EXPECT_EQ(c.alerting.alertmanagers[0].timeout, 3s);
  EXPECT_EQ(c.alerting.alertmanagers[0].basic_auth_username.value_or(""), "smoke");
  ASSERT_TRUE(c.alerting.alertmanagers[0].basic_auth_password.has_value());
  EXPECT_EQ(c.alerting.alertmanagers[0].basic_auth_password->value(), "s3cret");
  EXPECT_EQ(c.alerting.queue_capacity, 500);
  EXPECT_TRUE(c.alerting.required);
  EXPECT_EQ(c.storage.retention, 2h);
  EXPECT_EQ(c.storage.snapshot_file, "/etc/smoke/data/tsdb.snap");
  EXPECT_EQ(c.storage.snapshot_interval, 1min);
  const std::string rendered = RenderConfigYaml(c);
  EXPECT_EQ(rendered.find("s3cret"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("alertmanagers"), std::string::npos) << rendered;
}

TEST(EngineConfigTest, RejectsBadEngineSettingsWithPositions) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"rules:\n  evaluation_interval: 0s\n",
       "/etc/smoke/smoke.yml:2:24: \"evaluation_interval\" must be greater than 0"},
      {"rules:\n  filez: []\n", "/etc/smoke/smoke.yml:2:3: unknown key \"filez\" in rules"},
      {"alerting:\n  alertmanagers:\n    - timeout: 1s\n",
       "/etc/smoke/smoke.yml:3:7: missing required key \"url\" in alertmanagers"},
      {"alerting:\n  alertmanagers:\n    - url: ftp://am:9093\n",
       "/etc/smoke/smoke.yml:3:12: \"url\" must be an http:// or https:// URL, got "
       "\"ftp://am:9093\""},
      {"alerting:\n  alertmanagers:\n    - url: http://user:pw@am:9093\n",
       "/etc/smoke/smoke.yml:3:12: \"url\" must not contain credentials"},
      {"alerting:\n  required: true\n",
       "/etc/smoke/smoke.yml:2:13: \"required\" is true but no alertmanagers are configured"},
      {"alerting:\n  queue_capacity: 0\n",
       "/etc/smoke/smoke.yml:2:19: \"queue_capacity\" must be between 1 and 1000000, got 0"},
      {"storage:\n  retention: -1h\n", "/etc/smoke/smoke.yml:2:14:"},
  };
  for (const Case& c : cases) {
    auto cfg = Load(c.text);
    ASSERT_FALSE(cfg.ok()) << c.text;
    EXPECT_EQ(cfg.status().message().rfind(c.error, 0), 0u)
        << "config:\n" << c.text << "got: " << cfg.status().message();
  }
}

}  // namespace
}  // namespace smoke::config
