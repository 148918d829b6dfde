// examples/staging.yml against a local stack shaped like seed 000's: the demo API
// (scripts/demo_api.py), PostgreSQL (pg.sh) with intel_user and corporate_intel_staging, Redis
// with a password (redis.sh), Prometheus (prometheus.sh) and Alertmanager (alertmanager.sh), all
// real and on loopback. Grafana and Jaeger are not packaged here: in-process servers replay their
// documented responses. The demo API has no /metrics page, so Prometheus's "api" job and the
// metrics probe read an in-process stand-in page. check-config must accept the file, and
// `run-once` must report every category of seed 000, with the real services passing and the
// demo API's real gaps (it enforces no authentication) reported as failures.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/monitoring_service_script.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/http_client.h"
#include "tests/support/shell.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kScripts = std::string(SMOKE_SOURCE_DIR) + "/scripts/";
const std::string kStaging = std::string(SMOKE_SOURCE_DIR) + "/examples/staging.yml";
const std::string kPgPassword = "Stg-7f3a-intel-pw";
const std::string kRedisPassword = "Stg-redis-4b2e-pw";

int FreePort() { return std::stoi(Shell(kScripts + "free_port.sh")); }

class MonitoringStagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The API (real Python server from the demo).
    const int api_port = FreePort();
    fault_file_ = dir_.Write("fault", "");
    api_ = std::make_unique<Subprocess>(
        std::vector<std::string>{"/usr/bin/python3", kScripts + "demo_api.py", "--port",
                                 std::to_string(api_port), "--fault-file", fault_file_},
        dir_.path().string());
    api_url_ = "http://127.0.0.1:" + std::to_string(api_port);
    ASSERT_TRUE(WaitFor([&] { return HttpGet(api_url_ + "/health").status == 200; }, seconds(20)));

    // PostgreSQL with the role, database and table seed 000 found missing.
    pg_ = std::make_unique<ScriptService>(kScripts + "pg.sh");
    Psql("postgres", {"CREATE ROLE intel_user LOGIN PASSWORD '" + kPgPassword + "'",
                      "CREATE DATABASE corporate_intel_staging OWNER intel_user"});
    Psql("corporate_intel_staging",
         {"CREATE TABLE companies (id int PRIMARY KEY, ticker text, name text)",
          "INSERT INTO companies VALUES (1, 'ACME', 'Acme Corp')",
          "ALTER TABLE companies OWNER TO intel_user"});

    redis_ = std::make_unique<ScriptService>(kScripts + "redis.sh",
                                             "--requirepass " + ShellQuote(kRedisPassword));

    // The API's /metrics (stand-in) and Prometheus scraping it as job "api".
    metrics_.Respond("/metrics/", 200,
                     "# HELP process_start_time_seconds Start time.\n"
                     "# TYPE process_start_time_seconds gauge\n"
                     "process_start_time_seconds 1.7e+09\n",
                     {{"Content-Type", "text/plain; version=0.0.4"}});
    const std::string prom_config =
        dir_.Write("prometheus.yml",
                   "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                   "scrape_configs:\n"
                   "  - job_name: api\n"
                   "    metrics_path: /metrics/\n"
                   "    static_configs: [{targets: ['127.0.0.1:" +
                       std::to_string(metrics_.port()) + "']}]\n");
    prometheus_ =
        std::make_unique<ScriptService>(kScripts + "prometheus.sh", ShellQuote(prom_config));
    ASSERT_TRUE(WaitFor(
        [&] {
          return HttpGet(prometheus_->url() + "/api/v1/targets?state=active")
                     .body.find("\"health\":\"up\"") != std::string::npos;
        },
        seconds(30)));

    alertmanager_ = std::make_unique<ScriptService>(kScripts + "alertmanager.sh");

    grafana_.Respond("/api/health", 200,
                     R"({"commit":"03f502a94d","database":"ok","version":"10.4.2"})",
                     {{"Content-Type", "application/json"}});
    jaeger_.Respond("/", 200, "<!doctype html><title>Jaeger UI</title>",
                    {{"Content-Type", "text/html"}});
    jaeger_.Respond(
        "/api/services", 200,
        R"({"data":["api","jaeger-query"],"total":2,"limit":0,"offset":0,"errors":null})",
        {{"Content-Type", "application/json"}});

    env_ = {
        "API_URL=" + api_url_,
        "API_ADDR=127.0.0.1:" + std::to_string(api_port),
        "API_HOSTNAME=localhost",
        "API_METRICS_URL=" + metrics_.base_url() + "/metrics/",
        "PG_ADDR=127.0.0.1:" + std::to_string(pg_->port()),
        "PGPASSWORD_STAGING=" + kPgPassword,
        "REDIS_ADDR=127.0.0.1:" + std::to_string(redis_->port()),
        "REDIS_PASSWORD=" + kRedisPassword,
        "PROMETHEUS_URL=" + prometheus_->url(),
        "GRAFANA_URL=" + grafana_.base_url(),
        "ALERTMANAGER_URL=" + alertmanager_->url(),
        "JAEGER_URL=" + jaeger_.base_url(),
        "BURST_DURATION=2s",
    };
  }

  void Psql(const std::string& db, const std::vector<std::string>& sql) {
    std::string command =
        kScripts + "pg.sh psql " + ShellQuote(pg_->dir()) + " -d " + ShellQuote(db);
    for (const std::string& s : sql) command += " " + ShellQuote(s);
    int status = 0;
    const std::string out = Shell(command + " 2>&1", &status);
    ASSERT_EQ(status, 0) << out;
  }

  TempDir dir_;
  std::string fault_file_;
  std::unique_ptr<Subprocess> api_;
  std::string api_url_;
  std::unique_ptr<ScriptService> pg_;
  std::unique_ptr<ScriptService> redis_;
  FakeHttpServer metrics_;
  std::unique_ptr<ScriptService> prometheus_;
  std::unique_ptr<ScriptService> alertmanager_;
  FakeHttpServer grafana_;
  FakeHttpServer jaeger_;
  std::vector<std::string> env_;
};

TEST_F(MonitoringStagingTest, CheckConfigAcceptsTheStagingExample) {
  Subprocess check({SMOKE_EXPORTER_BINARY, "check-config", kStaging}, dir_.path().string(), env_);
  EXPECT_EQ(check.Wait(seconds(30)), std::optional<int>(0)) << check.Stderr();
  EXPECT_THAT(check.Stdout(), HasSubstr("SUCCESS"));
}

TEST_F(MonitoringStagingTest, RunOnceReportsEveryCategoryOfSeed000) {
  Subprocess run(
      {SMOKE_EXPORTER_BINARY, "run-once", "--config.file=" + kStaging, "--format", "json"},
      dir_.path().string(), env_);
  // Some checks fail for real (the demo API enforces no authentication): exit code 1.
  EXPECT_EQ(run.Wait(seconds(120)), std::optional<int>(1)) << run.Stderr();
  const nlohmann::json report = nlohmann::json::parse(run.Stdout(), nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << run.Stdout() << run.Stderr();

  std::set<std::string> components;
  std::map<std::string, nlohmann::json> by_name;
  for (const nlohmann::json& check : report["checks"]) {
    components.insert(check["component"].get<std::string>());
    by_name[check["name"].get<std::string>()] = check;
  }
  // Seed 000's eight categories: infrastructure, database, Redis, API health, API endpoints,
  // performance, security, monitoring.
  EXPECT_EQ(components,
            (std::set<std::string>{"infrastructure", "database", "cache", "api_health",
                                   "api_endpoints", "performance", "security", "monitoring"}));
  EXPECT_EQ(report["totals"]["total"], by_name.size());
  EXPECT_EQ(report["totals"]["skipped"], 0);  // every secret was provided

  auto outcome = [&](const std::string& name) -> std::string {
    auto it = by_name.find(name);
    if (it == by_name.end()) return "absent";
    return it->second["outcome"].get<std::string>() + " " +
           it->second["reason"].get<std::string>() + ": " +
           it->second["message"].get<std::string>();
  };
  // The real services of the stack pass.
  for (const char* name :
       {"api_port", "api_dns", "db_core", "cache", "api_health", "api_ping", "api_companies",
        "api_company_detail", "api_docs", "api_openapi", "api_not_found", "api_invalid_ticker",
        "api_metrics", "prometheus", "grafana", "alertmanager", "alert_pipeline", "jaeger"}) {
    EXPECT_THAT(outcome(name), ::testing::StartsWith("ok none")) << name;
  }
  // The demo API has no admin route and no authentication: reported, never assumed.
  EXPECT_THAT(outcome("api_auth_required"), ::testing::StartsWith("failed "))
      << outcome("api_auth_required");
  // The load burst ran (bounded: 2 s) and reported a result against the seed's baseline.
  EXPECT_THAT(outcome("api_load"), Not(HasSubstr("absent")));
  // Secrets never reach the report.
  EXPECT_THAT(run.Stdout(), Not(HasSubstr(kPgPassword)));
  EXPECT_THAT(run.Stdout(), Not(HasSubstr(kRedisPassword)));

  // The same run as the seed's table, grouped by component.
  Subprocess table({SMOKE_EXPORTER_BINARY, "run-once", "--config.file=" + kStaging, "--probe",
                    "prometheus", "--probe", "alert_pipeline", "--probe", "db_core"},
                   dir_.path().string(), env_);
  EXPECT_EQ(table.Wait(seconds(60)), std::optional<int>(0)) << table.Stdout() << table.Stderr();
  EXPECT_THAT(table.Stdout(), HasSubstr("== monitoring =="));
  EXPECT_THAT(table.Stdout(), HasSubstr("== database =="));
  EXPECT_THAT(table.Stdout(), HasSubstr("Total: 3  Passed: 3 (100.0%)"));
}

TEST_F(MonitoringStagingTest, StoppedAlertmanagerAndFailingDatabaseShowInTheReport) {
  alertmanager_->Halt();
  Psql("postgres", {"ALTER ROLE intel_user PASSWORD 'rotated-elsewhere'"});  // seed 000's failure
  Subprocess run({SMOKE_EXPORTER_BINARY, "run-once", "--config.file=" + kStaging, "--probe",
                  "alertmanager", "--probe", "alert_pipeline", "--probe", "db_core"},
                 dir_.path().string(), env_);
  EXPECT_EQ(run.Wait(seconds(60)), std::optional<int>(1));
  const std::string out = run.Stdout();
  EXPECT_THAT(out, HasSubstr("[connection_refused] POST /api/v2/alerts: "));
  EXPECT_THAT(out, HasSubstr("[connection_refused] GET /-/healthy: "));
  EXPECT_THAT(out, HasSubstr("[auth_failed]"));
  EXPECT_THAT(out, HasSubstr("Total: 3  Passed: 0 (0.0%)  Degraded: 0  Failed: 3  Skipped: 0"));
}

}  // namespace
}  // namespace smoke::testing
