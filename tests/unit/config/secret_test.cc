// Secrets come from *_file / *_env only; an unreadable one skips its probes instead of failing the
// load; and a secret's value never reaches an error, a warning or /config.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "exporter/config/loader.h"
#include "tests/support/temp_dir.h"

#include "tests/unit/config/config_test_util.h"
namespace smoke::config {
namespace {

using ::smoke::config::test_util::Env;
using ::smoke::config::test_util::FindProbe;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ConfigSecretTest, UnsetEnvSecretIsAWarningAndAnUnresolvedSecret) {
  const std::string text = R"(probes:
  - name: api
    kind: http
    target: http://127.0.0.1:8004/
    http:
      headers:
        X-Api-Key: {value_env: API_KEY}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "s.yml", Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_THAT((*got)->warnings,
              ElementsAre("s.yml:7:32: secret env:API_KEY is not set; probe \"api\" will be "
                          "skipped"));
  const std::optional<core::Secret>& secret = (*got)->probes[0].http.headers[0].secret;
  ASSERT_TRUE(secret.has_value());
  EXPECT_TRUE(secret->configured());
  EXPECT_FALSE(secret->present());
  EXPECT_EQ(secret->source(), "env:API_KEY");
  EXPECT_EQ(secret->error(), "is not set");
}

TEST(ConfigSecretTest, UnreadableSecretFileIsAWarningForEveryProbeUsingIt) {
  const std::string text = R"(modules:
  admin:
    kind: http
    http:
      basic_auth: {username: admin, password_file: /nonexistent/pw}
probes:
  - {name: a, module: admin, target: "http://127.0.0.1:1/"}
  - {name: b, module: admin, target: "http://127.0.0.1:2/"}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "s.yml", Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  const std::string why =
      "s.yml:5:52: secret file:/nonexistent/pw cannot be read (No such file or directory); ";
  EXPECT_THAT((*got)->warnings, ElementsAre(why + "module \"admin\" will be skipped",
                                            why + "probe \"a\" will be skipped",
                                            why + "probe \"b\" will be skipped"));
  for (const ProbeSpec& p : (*got)->probes) {
    EXPECT_FALSE(p.http.basic_auth->password.present()) << p.name;
    EXPECT_TRUE(p.http.basic_auth->password.configured()) << p.name;
  }
}

TEST(ConfigSecretTest, SecretValuesNeverAppearInRenderedConfigOrWarnings) {
  testing::TempDir dir;
  const std::string pw_file = dir.Write("pw", "FILE-SECRET-1\n");
  const std::string cookie_file = dir.Write("cookie", "FILE-SECRET-2");
  const std::string text = R"(probes:
  - name: api
    kind: http
    target: http://127.0.0.1:8004/
    http:
      headers:
        X-Api-Key: {value_env: API_KEY}
        Cookie: {value_file: )" +
                           cookie_file + R"(}
      basic_auth: {username: admin, password_file: )" +
                           pw_file + R"(}
  - name: web
    kind: http
    target: http://127.0.0.1:8005/
    http:
      bearer_token_env: TOKEN
      headers:
        X-Missing: {value_env: MISSING}
)";
  core::Result<ConfigPtr> got =
      LoadConfigText(text, "s.yml", Env({{"API_KEY", "ENV-SECRET-1"}, {"TOKEN", "ENV-SECRET-2"}}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  const Config& config = **got;
  // They were loaded...
  EXPECT_EQ(config.probes[0].http.headers[0].secret->value(), "ENV-SECRET-1");
  EXPECT_EQ(config.probes[0].http.headers[1].secret->value(), "FILE-SECRET-2");
  EXPECT_EQ(config.probes[0].http.basic_auth->password.value(), "FILE-SECRET-1");
  EXPECT_EQ(config.probes[1].http.bearer_token->value(), "ENV-SECRET-2");
  // ...and are shown only by origin.
  const std::string rendered = RenderConfigYaml(config);
  EXPECT_THAT(rendered, HasSubstr("X-Api-Key: <secret from env:API_KEY>"));
  EXPECT_THAT(rendered, HasSubstr("Cookie: <secret from file:" + cookie_file + ">"));
  EXPECT_THAT(rendered, HasSubstr("password: <secret from file:" + pw_file + ">"));
  EXPECT_THAT(rendered, HasSubstr("bearer_token: <secret from env:TOKEN>"));
  EXPECT_THAT(rendered, HasSubstr("X-Missing: <secret from env:MISSING>"));
  ASSERT_EQ(config.warnings.size(), 1u);
  for (const char* value : {"ENV-SECRET-1", "ENV-SECRET-2", "FILE-SECRET-1", "FILE-SECRET-2"}) {
    EXPECT_THAT(rendered, Not(HasSubstr(value)));
    EXPECT_THAT(config.warnings[0], Not(HasSubstr(value)));
  }
}

TEST(ConfigSecretTest, SecretValuesNeverAppearInErrors) {
  testing::TempDir dir;
  const std::string pw_file = dir.Write("pw", "FILE-SECRET-1");
  // Every secret resolves, but the file has errors right next to them.
  const std::string text = R"(probes:
  - name: api
    kind: http
    target: http://127.0.0.1:8004/
    http:
      headers:
        X-Api-Key: {value_env: API_KEY, value: oops}
      basic_auth: {username: admin, password_file: )" +
                           pw_file + R"(, password_env: PW}
      bearer_token_env: TOKEN
)";
  core::Result<ConfigPtr> got = LoadConfigText(
      text, "s.yml",
      Env({{"API_KEY", "ENV-SECRET-1"}, {"PW", "ENV-SECRET-2"}, {"TOKEN", "ENV-SECRET-3"}}));
  ASSERT_FALSE(got.ok());
  for (const char* value : {"ENV-SECRET-1", "ENV-SECRET-2", "ENV-SECRET-3", "FILE-SECRET-1"}) {
    EXPECT_THAT(got.status().message(), Not(HasSubstr(value)));
  }
}

TEST(ConfigSecretTest, InlineCredentialsAreNotRepeatedInTheError) {
  const std::string text = R"(probes:
  - name: api
    kind: http
    target: https://admin:hunter2@example.test/
    http:
      headers:
        Authorization: Basic aHVudGVyMg==
        X-Auth-Token: tok-hunter3
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "s.yml", Env({}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "s.yml:4:13: target URL must not contain credentials; use basic_auth with "
            "password_file or password_env\n"
            "s.yml:7:24: header \"Authorization\" carries a credential: use value_file or "
            "value_env\n"
            "s.yml:8:23: header \"X-Auth-Token\" carries a credential: use value_file or "
            "value_env");
}

}  // namespace
}  // namespace smoke::config
