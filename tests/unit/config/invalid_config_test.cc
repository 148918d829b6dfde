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
     "5:5: unknown key \"intervall\" in probe (expected one of: alert_pipeline, alertmanager, "
     "burst, component, dns, grafana, http, interval, jaeger, kind, labels, metrics, module, name, "
     "postgres, prometheus, redis, target, tcp, timeout) \xE2\x80\x94 did you mean "
     "\"interval\"?"},
    {"invalid-unknown-top-level-key.yml",
     "3:1: unknown key \"prob\" in the config file (expected one of: alerting, global, modules, "
     "probe_endpoint, probes, readiness, rules, slos, storage) \xE2\x80\x94 did you mean "
     "\"probes\"?"},
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
     "3:11: unknown kind \"grpc\" (expected one of: alert_pipeline, alertmanager, burst, dns, "
     "grafana, http, jaeger, metrics, postgres, prometheus, redis, tcp)"},
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
    // Found by fuzz/config_loader: yaml-cpp turns this into a cycle that overflowed the stack.
    {"invalid-yaml-self-alias.yml",
     "2:9: a YAML alias refers to a node that contains it"},
    // The monitoring-stack kinds (monitoring_config_test.cc has the valid forms).
    {"invalid-monitoring-http-method.yml",
     "6:7: \"method\" is not allowed in the http block of kind \"prometheus\", which makes its "
     "own requests (allowed: basic_auth, bearer_token_env, bearer_token_file, body_size_limit, "
     "follow_redirects, headers, ip_protocol, ip_protocol_fallback, max_redirects, tls)"},
    {"invalid-monitoring-http-contract.yml",
     "6:7: \"contract\" is not allowed in the http block of kind \"prometheus\", which makes its "
     "own requests (allowed: basic_auth, bearer_token_env, bearer_token_file, body_size_limit, "
     "follow_redirects, headers, ip_protocol, ip_protocol_fallback, max_redirects, tls)"},
    {"invalid-prometheus-job-both.yml",
     "7:20: job \"node\" is both required and ignored; list it in one of \"required_jobs\" and "
     "\"ignore_jobs\""},
    {"invalid-prometheus-target-query.yml",
     "4:13: prometheus target \"http://127.0.0.1:9090/?x=1\" must be a base URL without query or "
     "fragment (API paths such as /-/healthy are appended to it)"},
    {"invalid-alertmanager-min-peers.yml",
     "7:7: \"min_peers\" has no effect with \"check_cluster: false\""},
    {"invalid-jaeger-duplicate-service.yml",
     "8:11: duplicate service \"api\" in \"required_services\" (first listed on line 7)"},
    {"invalid-alert-pipeline-ends-after.yml",
     "7:19: \"ends_after\" 5s must be longer than the probe's timeout 10s (the alert must still "
     "be active when it is read back)"},
    {"invalid-alert-pipeline-label.yml",
     "7:9: label name \"nonce\" in \"labels\" is set by the probe itself"},
    {"invalid-metrics-name.yml",
     "7:11: invalid metric name \"http-requests-total\" in \"required\" (must match "
     "^[a-zA-Z_:][a-zA-Z0-9_:]*$)"},
    {"invalid-metrics-required-key.yml",
     "7:24: unknown key \"label\" in an item of \"required\" (expected one of: labels, metric) "
     "\xE2\x80\x94 did you mean \"labels\"?"},
    {"invalid-dns-target.yml",
     "4:13: dns target \"api.example.com:443\" must be a host name (letters, digits, '-', '_' and "
     "dots), without a port or a path"},
    {"invalid-dns-address.yml",
     "6:28: invalid address \"10.0.0.256\" in \"expected_addresses\" (expected an IPv4 or IPv6 "
     "address such as 10.0.0.5 or 2001:db8::5)"},
    {"invalid-dns-block-http.yml",
     "5:5: \"http\" block is not allowed for kind \"dns\""},
    // API contracts and the burst probe (contract_config_test.cc has the valid forms).
    {"invalid-contract-unknown.yml",
     "6:17: unknown contract \"securty_headers\" (expected one of: auth_required, cors, health, "
     "invalid_input, not_found, openapi, security_headers, sql_injection, webhook_signature) "
     "\xE2\x80\x94 did you mean \"security_headers\"?"},
    {"invalid-contract-two-kinds.yml",
     "6:17: a contract is one kind with its options (e.g. {security_headers: {severity: warn}}), "
     "got 2 keys; one probe checks one contract"},
    {"invalid-contract-unknown-option.yml",
     "8:11: unknown key \"severty\" in contract \"security_headers\" (expected one of: exclude, "
     "headers, severity) \xE2\x80\x94 did you mean \"severity\"?"},
    {"invalid-contract-cors-origin.yml",
     "7:24: invalid origin \"https://app.example.com/dashboard\" (expected scheme://host[:port] "
     "with no path, e.g. https://app.example.com)"},
    {"invalid-contract-cors-missing-origin.yml",
     "6:17: contract \"cors\" needs \"origin\" (the Origin a browser would send, e.g. "
     "https://app.example.com)"},
    {"invalid-contract-status-assertion.yml",
     "8:11: a \"status\" assertion cannot be combined with contract \"not_found\", which checks "
     "the status itself (set the contract's expect_status instead)"},
    {"invalid-contract-exclude.yml",
     "7:38: cannot exclude \"X-Frame-Option\": it is not a checked header (checked: "
     "X-Content-Type-Options, X-Frame-Options, Strict-Transport-Security, "
     "Content-Security-Policy) \xE2\x80\x94 did you mean \"X-Frame-Options\"?"},
    {"invalid-contract-error-field.yml",
     "7:34: \"error_field\": invalid JSON path \"$..detail\" at column 3: expected a key name "
     "after '.'"},
    {"invalid-contract-sql-signature.yml",
     "7:59: invalid regular expression for an item of \"extra_signatures\": missing ): (unclosed"},
    {"invalid-contract-assertion-name.yml",
     "8:11: assertion name \"cors_allow_origin\" is used by contract \"cors\"; give this "
     "assertion another name"},
    {"invalid-contract-expect-status.yml",
     "7:46: invalid status \"4x3\" (expected a code like 200, a class like 2xx or a range like "
     "200-299)"},
    {"invalid-burst-concurrency.yml",
     "8:20: \"concurrency\" must be between 1 and 64, got 500 (a burst has hard caps so that no "
     "config can turn it into a load test)"},
    {"invalid-burst-requests.yml",
     "8:17: \"requests\" must be between 1 and 10000, got 100000 (a burst has hard caps so that "
     "no config can turn it into a load test)"},
    {"invalid-burst-duration.yml",
     "8:17: \"duration\" must be at most 1m, got 5m (a burst has hard caps so that no config can "
     "turn it into a load test)"},
    {"invalid-burst-timeout.yml",
     "8:7: the burst needs up to 15s (duration 10s + request_timeout 5s) but the probe's timeout "
     "is 10s; raise timeout or shorten the burst"},
    {"invalid-burst-interval.yml",
     "8:7: a burst probe runs at most once a minute: interval 30s is too short (set interval: 1m "
     "or more)"},
    {"invalid-burst-ratio-without-baseline.yml",
     "9:19: \"max_ratio\" for \"p95\" needs a baseline \"p95\" (the ratio is measured / "
     "baseline)"},
    {"invalid-burst-ratio-stat.yml",
     "9:19: unknown key \"p95\" in \"min_ratio\" (expected one of: success_rate, throughput)"},
    {"invalid-burst-success-rate.yml",
     "8:32: baseline \"success_rate\" must be a share in (0, 1] (1 = 100%), got 100"},
    {"invalid-burst-module.yml",
     "3:11: kind \"burst\" cannot be a module (/probe would let anyone start a load burst); "
     "configure burst probes under probes:"},
    {"invalid-burst-assertions.yml",
     "8:7: \"assertions\" is not used by a burst probe (it judges requests by the burst block's "
     "expect_status, max_error_rate, max_ratio and min_ratio)"},
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
            "history, interval, jitter, labels, max_concurrency, slow_max_concurrency, timeout) "
            "\xE2\x80\x94 did you mean \"timeout\"?");
}

TEST(ConfigLoaderTest, RejectsUnknownKeyWithoutSuggestionWhenNothingIsClose) {
  core::Result<ConfigPtr> got = LoadConfigText("global:\n  retries: 3\n", "c.yml", EmptyEnv());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:2:3: unknown key \"retries\" in global (expected one of: histogram_buckets, "
            "history, interval, jitter, labels, max_concurrency, slow_max_concurrency, timeout)");
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
                "18:5: unknown key \"timout\" in probe (expected one of: alert_pipeline, "
                "alertmanager, burst, component, dns, grafana, http, interval, jaeger, kind, labels, "
                "metrics, module, name, postgres, prometheus, redis, target, tcp, timeout) "
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
