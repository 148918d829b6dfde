// The valid forms of `contract:` and of the burst probe's blocks, as a user writes them, and how
// they merge with modules and render in /config. The invalid forms are in invalid_config_test.cc.

#include <gtest/gtest.h>

#include <string>

#include "exporter/config/contract_parser.h"
#include "exporter/config/loader.h"
#include "tests/unit/config/config_test_util.h"

namespace smoke::config {
namespace {

using test_util::Env;
using test_util::FindProbe;

ConfigPtr MustLoad(const std::string& text) {
  core::Result<ConfigPtr> cfg = LoadConfigText(text, "c.yml", Env({}));
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  return cfg.ok() ? *cfg : std::make_shared<Config>();
}

std::string LoadError(const std::string& text) {
  core::Result<ConfigPtr> cfg = LoadConfigText(text, "c.yml", Env({}));
  EXPECT_FALSE(cfg.ok());
  return cfg.ok() ? "" : cfg.status().message();
}

TEST(ContractConfigTest, ANameAloneGivesTheContractsDefaults) {
  const ConfigPtr cfg = MustLoad(R"(probes:
  - {name: health, kind: http, target: "http://127.0.0.1:1/health", http: {contract: health}}
  - {name: missing, kind: http, target: "http://127.0.0.1:1/x", http: {contract: not_found}}
  - {name: headers, kind: http, target: "http://127.0.0.1:1/", http: {contract: security_headers}}
  - {name: hook, kind: http, target: "http://127.0.0.1:1/hook", http: {contract: webhook_signature}}
  - {name: sqli, kind: http, target: "http://127.0.0.1:1/q", http: {contract: sql_injection}}
)");
  const HttpSpec& health = FindProbe(*cfg, "health").http;
  ASSERT_TRUE(health.contract.has_value());
  EXPECT_EQ(health.contract->kind, ContractKind::kHealth);
  EXPECT_EQ(health.contract->severity, core::Severity::kFail);
  EXPECT_EQ(health.contract->status_field, "$.status");
  EXPECT_EQ(health.contract->dependencies_field, "$.dependencies");
  EXPECT_EQ(health.contract->healthy_values,
            (std::vector<std::string>{"healthy", "ok", "up", "pass", "passing"}));
  // The contract states the status it wants: no default 2xx assertion is added.
  EXPECT_TRUE(health.assertions.empty());

  EXPECT_EQ(FindProbe(*cfg, "missing").http.contract->error_field, "$.detail");
  const ContractSpec& headers = *FindProbe(*cfg, "headers").http.contract;
  ASSERT_EQ(headers.headers.size(), 4u);
  EXPECT_EQ(headers.headers[0].name, "X-Content-Type-Options");
  const ContractSpec& hook = *FindProbe(*cfg, "hook").http.contract;
  EXPECT_EQ(hook.method, "POST");
  EXPECT_EQ(hook.body, "{}");
  EXPECT_EQ(hook.content_type, "application/json");
  EXPECT_EQ(FindProbe(*cfg, "sqli").http.contract->payload, "' OR '1'='1");
}

TEST(ContractConfigTest, OptionsAreReadAndValidated) {
  const ConfigPtr cfg = MustLoad(R"(probes:
  - name: headers
    kind: http
    target: "http://127.0.0.1:1/"
    http:
      contract:
        security_headers:
          severity: warn
          headers:
            - X-Frame-Options
            - {name: Strict-Transport-Security, severity: fail}
            - {name: Referrer-Policy, regex: '^no-referrer$'}
          exclude: [x-frame-options]
  - name: cors
    kind: http
    target: "http://127.0.0.1:1/api"
    http:
      contract:
        cors: {origin: "https://app.example.com:8443", method: delete, request_headers: [X-Request-Id], credentials: true}
  - name: docs
    kind: http
    target: "http://127.0.0.1:1/openapi.json"
    http:
      contract: {openapi: {required_paths: [/health], min_paths: 2, expect_status: [200, 203]}}
)");
  const ContractSpec& headers = *FindProbe(*cfg, "headers").http.contract;
  ASSERT_EQ(headers.headers.size(), 2u);  // X-Frame-Options excluded (case-insensitively)
  EXPECT_EQ(headers.headers[0].name, "Strict-Transport-Security");
  EXPECT_EQ(headers.headers[0].severity, core::Severity::kFail);
  EXPECT_EQ(headers.headers[1].name, "Referrer-Policy");
  EXPECT_EQ(headers.headers[1].severity, core::Severity::kWarn);  // the contract's default
  EXPECT_EQ(headers.headers[1].pattern, "^no-referrer$");

  const ContractSpec& cors = *FindProbe(*cfg, "cors").http.contract;
  EXPECT_EQ(cors.origin, "https://app.example.com:8443");
  EXPECT_EQ(cors.request_method, "DELETE");
  EXPECT_EQ(cors.request_headers, std::vector<std::string>{"X-Request-Id"});
  EXPECT_TRUE(cors.credentials);
  EXPECT_TRUE(cors.preflight);

  const ContractSpec& docs = *FindProbe(*cfg, "docs").http.contract;
  EXPECT_EQ(docs.required_paths, std::vector<std::string>{"/health"});
  EXPECT_EQ(docs.min_paths, 2);
  EXPECT_EQ(docs.expect_status, (std::vector<std::pair<int, int>>{{200, 200}, {203, 203}}));
}

TEST(ContractConfigTest, AProbeOverridesOneOptionOfItsModulesContract) {
  const ConfigPtr cfg = MustLoad(R"(modules:
  cors_app:
    kind: http
    http:
      contract: {cors: {origin: "https://app.example.com", method: POST}}
probes:
  - name: companies_cors
    module: cors_app
    target: "http://127.0.0.1:1/api/v1/companies"
    http:
      contract: {cors: {credentials: true}}
  - name: no_contract
    module: cors_app
    target: "http://127.0.0.1:1/health"
    http:
      contract: null
)");
  const ContractSpec& cors = *FindProbe(*cfg, "companies_cors").http.contract;
  EXPECT_EQ(cors.origin, "https://app.example.com");
  EXPECT_EQ(cors.request_method, "POST");
  EXPECT_TRUE(cors.credentials);
  // `contract: null` drops the module's contract; the ordinary 2xx default comes back.
  const HttpSpec& plain = FindProbe(*cfg, "no_contract").http;
  EXPECT_FALSE(plain.contract.has_value());
  ASSERT_EQ(plain.assertions.size(), 1u);
  EXPECT_EQ(plain.assertions[0].name, "status");
}

TEST(ContractConfigTest, SecurityHeadersAllowAStatusAssertion) {
  const ConfigPtr cfg = MustLoad(R"(probes:
  - name: headers
    kind: http
    target: "http://127.0.0.1:1/health"
    http: {contract: security_headers, assertions: [{status: [200, 503]}]}
)");
  EXPECT_EQ(FindProbe(*cfg, "headers").http.assertions.size(), 1u);
}

TEST(ContractConfigTest, ReportsEveryContractErrorAtItsPosition) {
  EXPECT_EQ(LoadError(R"(probes:
  - name: a
    kind: http
    target: "http://127.0.0.1:1/"
    http:
      contract: {health: {healthy_values: [], degraded_values: [ok]}}
  - name: b
    kind: http
    target: "http://127.0.0.1:1/"
    http:
      contract: {openapi: {required_paths: [health], min_paths: -1}}
  - name: c
    kind: http
    target: "http://127.0.0.1:1/"
    http:
      contract: {cors: {origin: "https://a.example", preflight: false, method: PUT}}
  - name: d
    kind: http
    target: "http://127.0.0.1:1/"
    http:
      contract: [health]
)"),
            "c.yml:6:43: \"healthy_values\" must not be empty\n"
            "c.yml:11:45: required path \"health\" must start with \"/\" (as in the document's "
            "paths)\n"
            "c.yml:11:65: \"min_paths\" must be 0 or more, got -1\n"
            "c.yml:16:72: \"method\" is only sent in a preflight; it cannot be combined with "
            "\"preflight: false\"\n"
            "c.yml:21:17: expected a contract name (e.g. security_headers) or a mapping of one "
            "contract to its options for \"contract\", got a sequence");
}

TEST(ContractConfigTest, RendersTheContractWithItsDefaults) {
  const ConfigPtr cfg = MustLoad(R"(probes:
  - {name: sqli, kind: http, target: "http://127.0.0.1:1/q", http: {contract: {sql_injection: {param: q}}}}
)");
  const std::string yaml = RenderConfigYaml(*cfg);
  EXPECT_NE(yaml.find("contract:\n        sql_injection:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("payload: \"' OR '1'='1\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("param: \"q\""), std::string::npos) << yaml;
}

TEST(ContractConfigTest, CheckNamesAreStableLabelValues) {
  EXPECT_EQ(SecurityHeaderCheckName("X-Frame-Options"), "security_header_x_frame_options");
  EXPECT_EQ(ContractNameFragment("/api/v1/companies/{id}"), "api_v1_companies_id");
  EXPECT_EQ(ContractNameFragment("/"), "root");
  ContractSpec cors = DefaultContractSpec(ContractKind::kCors);
  cors.credentials = true;
  EXPECT_EQ(ContractCheckNames(cors),
            (std::vector<std::string>{"cors_status", "cors_allow_origin", "cors_allow_methods",
                                      "cors_allow_credentials"}));
}

TEST(BurstConfigTest, ReadsTheBurstAndItsRequest) {
  const ConfigPtr cfg = MustLoad(R"(probes:
  - name: api_load
    kind: burst
    component: performance
    target: "http://127.0.0.1:1/api/v1/companies"
    interval: 10m
    timeout: 45s
    http:
      method: POST
      headers: {X-Load-Test: smoke}
    burst:
      concurrency: 10
      duration: 20s
      requests: 500
      request_timeout: 2s
      expect_status: [2xx, 404]
      max_error_rate: 0
      baseline: {p50: 5.31ms, p95: 18.93ms, p99: 32.14ms, mean: 8.42ms, throughput: 27.3, success_rate: 1}
      max_ratio: {p95: 2, p99: 2}
      min_ratio: {throughput: 0.5}
      severity: warn
)");
  const ProbeSpec& p = FindProbe(*cfg, "api_load");
  EXPECT_EQ(p.kind, "burst");
  EXPECT_EQ(p.http.method, "POST");
  EXPECT_TRUE(p.http.assertions.empty());
  const BurstSpec& b = p.burst;
  EXPECT_EQ(b.concurrency, 10);
  EXPECT_EQ(b.duration, std::chrono::seconds(20));
  EXPECT_EQ(b.requests, 500);
  EXPECT_EQ(b.request_timeout, std::chrono::seconds(2));
  EXPECT_EQ(b.expect_status, (std::vector<std::pair<int, int>>{{200, 299}, {404, 404}}));
  EXPECT_EQ(b.max_error_rate, 0);
  ASSERT_EQ(b.baseline.size(), 6u);
  EXPECT_EQ(b.baseline[0].first, BurstStat::kP50);
  EXPECT_DOUBLE_EQ(b.baseline[0].second, 0.00531);
  EXPECT_DOUBLE_EQ(b.baseline[4].second, 27.3);
  ASSERT_EQ(b.max_ratio.size(), 2u);
  EXPECT_EQ(b.max_ratio[1].stat, BurstStat::kP99);
  ASSERT_EQ(b.min_ratio.size(), 1u);
  EXPECT_DOUBLE_EQ(b.min_ratio[0].ratio, 0.5);
  EXPECT_EQ(b.severity, core::Severity::kWarn);

  const std::string yaml = RenderConfigYaml(*cfg);
  EXPECT_NE(yaml.find("burst:"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("p50: 5.31ms"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("throughput: 27.3"), std::string::npos) << yaml;
}

TEST(BurstConfigTest, DefaultsAreBounded) {
  const ConfigPtr cfg = MustLoad(R"(probes:
  - {name: api_load, kind: burst, target: "http://127.0.0.1:1/", interval: 5m, timeout: 20s}
)");
  const BurstSpec& b = FindProbe(*cfg, "api_load").burst;
  EXPECT_EQ(b.concurrency, 10);
  EXPECT_EQ(b.duration, std::chrono::seconds(10));
  EXPECT_EQ(b.requests, 1000);
  EXPECT_EQ(b.request_timeout, std::chrono::seconds(5));
  EXPECT_DOUBLE_EQ(b.max_error_rate, 0.01);
}

// The demo config uses the contracts and a burst; it must keep loading as they evolve.
TEST(ContractConfigTest, TheLocalDemoConfigLoads) {
  core::Result<ConfigPtr> cfg = LoadConfigFile(
      std::string(SMOKE_SOURCE_DIR) + "/examples/local.yml",
      Env({{"DEMO_API_URL", "http://127.0.0.1:8000"}, {"DEMO_API_ADDR", "127.0.0.1:8000"}}));
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(FindProbe(**cfg, "api_health").http.contract->kind, ContractKind::kHealth);
  EXPECT_EQ(FindProbe(**cfg, "api_security_headers").http.contract->severity,
            core::Severity::kWarn);
  EXPECT_EQ(FindProbe(**cfg, "api_load").kind, "burst");
}

}  // namespace
}  // namespace smoke::config
