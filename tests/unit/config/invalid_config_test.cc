// One bad file per kind of mistake, each with the exact message a user sees (the shape of
// blackbox_exporter's TestLoadBadConfigs).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "exporter/config/loader.h"

namespace smoke::config {
namespace {

const std::string kDir = std::string(SMOKE_TESTDATA_DIR) + "/config/";

// No variable is set, whatever the machine's environment holds.
LoadOptions EmptyEnv() {
  LoadOptions options;
  options.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return options;
}

struct BadConfig {
  const char* file;
  const char* error;  // after "<path>:"
};

// clang-format off
const BadConfig kBadConfigs[] = {
    {"invalid-unknown-key.yml",
     "5:5: unknown key \"intervall\" in probe (expected one of: component, http, interval, kind, "
     "labels, module, name, postgres, redis, target, tcp, timeout) \xE2\x80\x94 did you mean "
     "\"interval\"?"},
    {"invalid-unknown-top-level-key.yml",
     "3:1: unknown key \"prob\" in the config file (expected one of: global, modules, "
     "probe_endpoint, probes) \xE2\x80\x94 did you mean \"probes\"?"},
    {"invalid-wrong-type-mapping.yml",
     "6:7: expected a mapping for \"http\", got a sequence"},
    {"invalid-wrong-type-integer.yml",
     "2:20: expected an integer for \"max_concurrency\", got \"many\""},
    {"invalid-boolean.yml",
     "6:25: expected true or false for \"follow_redirects\", got \"yes\""},
    {"invalid-bad-duration.yml",
     "5:15: expected a duration (e.g. 15s, 1m30s) for \"interval\", got \"fast\""},
    {"invalid-zero-duration.yml",
     "2:12: \"timeout\" must be greater than 0, got \"0s\""},
    {"invalid-timeout-exceeds-interval.yml",
     "6:14: timeout 10s must not be greater than interval 5s"},
    {"invalid-module-timeout-exceeds-probe-interval.yml",
     "10:15: timeout 20s (from module \"slow\") must not be greater than interval 10s"},
    {"invalid-global-timeout.yml",
     "3:12: timeout 20s must not be greater than interval 10s"},
    {"invalid-jitter.yml",
     "2:11: \"jitter\" must be between 0 and 1, got 1.5"},
    {"invalid-histogram-buckets.yml",
     "2:33: \"histogram_buckets\" must be strictly increasing, got 0.5 after 0.5"},
    {"invalid-duplicate-probe-name.yml",
     "6:11: duplicate probe name \"api\" (first defined on line 2)"},
    {"invalid-probe-name.yml",
     "2:11: invalid probe name \"1st-api\" (must match ^[a-zA-Z_][a-zA-Z0-9_.:-]*$)"},
    {"invalid-unknown-module.yml",
     "6:13: unknown module \"api_jsn\" \xE2\x80\x94 did you mean \"api_json\"?"},
    {"invalid-unknown-kind.yml",
     "3:11: unknown kind \"grpc\" (expected one of: http, postgres, redis, tcp)"},
    {"invalid-kind-block-mismatch.yml",
     "5:5: \"tcp\" block is not allowed for kind \"http\""},
    {"invalid-kind-module-mismatch.yml",
     "7:11: kind \"tcp\" does not match kind \"http\" of module \"api_json\""},
    {"invalid-missing-kind.yml",
     "2:5: missing required key \"kind\" in probe \"api\" (set it here or in its module)"},
    {"invalid-missing-target.yml",
     "2:5: missing required key \"target\" in probe \"api\""},
    {"invalid-target-url.yml",
     "4:13: target \"ftp://127.0.0.1/health\" must be an http:// or https:// URL"},
    {"invalid-target-credentials.yml",
     "4:13: target URL must not contain credentials; use basic_auth with password_file or "
     "password_env"},
    {"invalid-tcp-target.yml",
     "4:13: tcp target \"127.0.0.1:70000\" has an invalid port \"70000\" (expected 1-65535)"},
    {"invalid-tcp-target-no-port.yml",
     "4:13: tcp target \"redis.internal\" must be host:port or [ipv6]:port"},
    {"invalid-reserved-label.yml",
     "3:5: label name \"job\" is reserved (the exporter or Prometheus sets it)"},
    {"invalid-label-name.yml",
     "6:7: invalid label name \"team-name\" (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)"},
    {"invalid-label-double-underscore.yml",
     "3:5: label name \"__address__\" is reserved (names starting with \"__\" are internal to "
     "Prometheus)"},
    {"invalid-inline-authorization.yml",
     "7:24: header \"Authorization\" carries a credential: use value_file or value_env"},
    {"invalid-inline-api-key-header.yml",
     "7:20: header \"X-Api-Key\" carries a credential: use value_file or value_env"},
    {"invalid-inline-password.yml",
     "8:9: unknown key \"password\" in basic_auth (expected one of: password_env, password_file, "
     "username) \xE2\x80\x94 secrets are read from password_file or password_env, never inline"},
    {"invalid-bearer-and-basic-auth.yml",
     "7:7: \"bearer_token_env\" cannot be combined with \"basic_auth\"; use one authentication "
     "method"},
    {"invalid-secret-file-and-env.yml",
     "7:7: \"bearer_token_file\" and \"bearer_token_env\" are mutually exclusive; set one"},
    {"invalid-bad-regex.yml",
     "7:23: invalid regular expression for \"body_regex\": missing ): (healthy"},
    {"invalid-allowed-targets.yml",
     "2:21: invalid regular expression for an item of \"allowed_targets\": missing ]: [a-z+/.*"},
    {"invalid-json-path.yml",
     "7:17: invalid json assertion \"$..status exists\": invalid JSON path \"$..status\" at column "
     "3: expected a key name after '.'"},
    {"invalid-json-expression.yml",
     "7:17: invalid json assertion \"$.status = \"healthy\"\": expected an operator (==, !=, <, "
     "<=, >, >=, =~, in, exists, absent) at column 10"},
    {"invalid-json-value.yml",
     "7:17: invalid json assertion \"$.status == 'healthy'\": expected a JSON value (a "
     "\"string\", a number, true, false or null) at column 13"},
    {"invalid-status.yml",
     "7:25: invalid status \"2x9\" (expected a code like 200, a class like 2xx or a range like "
     "200-299)"},
    {"invalid-duplicate-assertion-name.yml",
     "8:11: duplicate assertion name \"json_status\" (first defined on line 7); add name: to tell "
     "them apart"},
    {"invalid-assertion-two-kinds.yml",
     "8:11: assertion has more than one kind (\"status\" and \"latency\"); write one kind per "
     "list item"},
    {"invalid-tcp-assertion-kind.yml",
     "7:11: assertion kind \"status\" is not supported for tcp probes (supported: cert_expiry, "
     "latency)"},
    {"invalid-tcp-send-escape.yml",
     "6:13: in \"send\": invalid escape \"\\q\" (supported: \\r \\n \\t \\0 \\\\ \\xHH)"},
    {"invalid-method.yml",
     "6:15: invalid value \"FETCH\" for \"method\" (expected one of: DELETE, GET, HEAD, OPTIONS, "
     "PATCH, POST, PUT)"},
    {"invalid-body-size-limit.yml",
     "6:24: expected a size (e.g. 4MiB, 512KiB, 1048576) for \"body_size_limit\", got \"4 "
     "megabytes\""},
    {"invalid-unset-env.yml",
     "4:13: environment variable \"API_HOST\" is not set (use ${API_HOST:-default} to give a "
     "default)"},
    {"invalid-duplicate-key.yml",
     "5:5: duplicate key \"kind\" (first defined on line 3)"},
    {"invalid-top-level.yml",
     "1:1: expected a mapping at the top level (global:, modules:, probes:, probe_endpoint:), "
     "got a sequence"},
    {"invalid-module-missing-kind.yml",
     "3:5: missing required key \"kind\" in module \"api_json\""},
    {"invalid-multiple-documents.yml",
     "3:1: a config file holds one YAML document; found another one here"},
    // yaml-cpp's own LoadAll never returns on this file.
    {"invalid-stray-comma.yml",
     "1:1: YAML syntax error: unexpected \",\""},
    {"invalid-yaml-syntax.yml",
     "4:4: YAML syntax error: end of sequence not found"},
};
// clang-format on

TEST(ConfigLoaderTest, RejectsEachBadConfigWithItsExactMessage) {
  for (const BadConfig& c : kBadConfigs) {
    const std::string path = kDir + c.file;
    core::Result<ConfigPtr> got = LoadConfigFile(path, EmptyEnv());
    ASSERT_FALSE(got.ok()) << c.file << " loaded";
    EXPECT_EQ(got.status().message(), path + ":" + c.error) << c.file;
  }
}

// A bad file nobody checks would rot silently.
TEST(ConfigLoaderTest, EveryInvalidTestdataFileHasAnExpectedMessage) {
  std::set<std::string> listed;
  for (const BadConfig& c : kBadConfigs) listed.insert(c.file);
  listed.insert("invalid-multiple-errors.yml");  // ReportsAllErrorsSortedByPosition
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("invalid-", 0) != 0) continue;
    EXPECT_TRUE(listed.count(name)) << name << " is not in kBadConfigs";
  }
}

TEST(ConfigLoaderTest, RejectsUnknownKeyWithSuggestion) {
  core::Result<ConfigPtr> got = LoadConfigText("global:\n  timout: 5s\n", "c.yml", EmptyEnv());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:2:3: unknown key \"timout\" in global (expected one of: histogram_buckets, "
            "history, interval, jitter, labels, max_concurrency, timeout) \xE2\x80\x94 did you "
            "mean \"timeout\"?");
}

TEST(ConfigLoaderTest, RejectsUnknownKeyWithoutSuggestionWhenNothingIsClose) {
  core::Result<ConfigPtr> got = LoadConfigText("global:\n  retries: 3\n", "c.yml", EmptyEnv());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:2:3: unknown key \"retries\" in global (expected one of: histogram_buckets, "
            "history, interval, jitter, labels, max_concurrency, timeout)");
}

TEST(ConfigLoaderTest, ReportsAllErrorsSortedByPosition) {
  const std::string path = kDir + "invalid-multiple-errors.yml";
  core::Result<ConfigPtr> got = LoadConfigFile(path, EmptyEnv());
  ASSERT_FALSE(got.ok());
  const std::string p = path + ":";
  EXPECT_EQ(got.status().message(),
            p + "2:13: expected a duration (e.g. 15s, 1m30s) for \"interval\", got \"often\"\n" +
                p +
                "4:5: label name \"instance\" is reserved (the exporter or Prometheus sets it)\n" +
                p + "11:23: invalid regular expression for \"body_regex\": missing ]: [unclosed\n" +
                p + "12:11: duplicate probe name \"api\" (first defined on line 6)\n" + p +
                "14:13: tcp target \"localhost\" must be host:port or [ipv6]:port\n" + p +
                "18:5: unknown key \"timout\" in probe (expected one of: component, http, "
                "interval, kind, labels, module, name, postgres, redis, target, tcp, timeout) "
                "\xE2\x80\x94 did "
                "you mean \"timeout\"?");
}

TEST(ConfigLoaderTest, ReportsModuleErrorOnceThoughSeveralProbesUseIt) {
  const std::string text = R"(modules:
  m:
    kind: http
    http: {assertions: [{body_regex: '(' }]}
probes:
  - {name: a, module: m, target: "http://127.0.0.1:1/"}
  - {name: b, module: m, target: "http://127.0.0.1:2/"}
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "c.yml", EmptyEnv());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:4:38: invalid regular expression for \"body_regex\": missing ): (");
}

TEST(ConfigLoaderTest, DoesNotCascadeFromABrokenAssertion) {
  const std::string text = R"(probes:
  - name: api
    kind: http
    target: http://127.0.0.1:1/
    http:
      assertions:
        - json: '$.a < "x"'
        - json: '$.a exists'
        - latency: 5
        - latency: 1s
)";
  core::Result<ConfigPtr> got = LoadConfigText(text, "c.yml", EmptyEnv());
  ASSERT_FALSE(got.ok());
  // No "duplicate assertion name" for the items whose own value was wrong.
  EXPECT_EQ(got.status().message(),
            "c.yml:7:17: invalid json assertion \"$.a < \"x\"\": expected a number after \"<\" at "
            "column 7\n"
            "c.yml:9:20: expected a duration (e.g. 15s, 1m30s) for \"latency\", got \"5\"");
}

}  // namespace
}  // namespace smoke::config
