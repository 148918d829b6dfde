// Starts the smoke_exporter binary against in-process targets and checks what a user sees:
// /metrics, /api/v1/probes, /probe, /config, reload (good and broken), run-once and check-config.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/fake_http_server.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr char kSecret[] = "s3cr3t-value-never-shown";

std::string Config(const std::string& base_url, const std::string& extra_probe = "") {
  return "global:\n"
         "  interval: 1s\n"
         "  timeout: 1s\n"
         "  jitter: 0\n"
         "  labels: {env: e2e}\n"
         "modules:\n"
         "  json_ok:\n"
         "    kind: http\n"
         "    http:\n"
         "      headers:\n"
         "        X-Api-Key: {value_env: E2E_API_KEY}\n"
         "      assertions:\n"
         "        - status: 200\n"
         "        - json: '$.status == \"healthy\"'\n"
         "probes:\n"
         "  - name: healthy_api\n"
         "    module: json_ok\n"
         "    component: api\n"
         "    target: " +
         base_url +
         "/health\n"
         "  - name: broken_route\n"
         "    kind: http\n"
         "    component: api\n"
         "    target: " +
         base_url + "/companies\n" + extra_probe;
}

class ExporterE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.Respond("/health", 200, R"({"status":"healthy"})", {{"Content-Type", "application/json"}});
    api_.Respond("/companies", 500, R"({"detail":"Internal Server Error"})");
    config_path_ = dir_.Write("smoke.yml", Config(api_.base_url()));
  }

  void Start() {
    exporter_ = std::make_unique<Subprocess>(
        std::vector<std::string>{SMOKE_EXPORTER_BINARY, "--config.file=" + config_path_,
                                 "--web.listen-address=127.0.0.1:0", "--log.level=debug",
                                 "--web.enable-lifecycle"},
        dir_.path().string(), std::vector<std::string>{std::string("E2E_API_KEY=") + kSecret});
    std::smatch m;
    const std::regex listening("msg=listening .*port=(\\d+)");
    ASSERT_TRUE(WaitFor(
        [&] {
          std::string err = exporter_->Stderr();
          return std::regex_search(err, m, listening);
        },
        20s))
        << exporter_->Stderr();
    std::string err = exporter_->Stderr();
    std::regex_search(err, m, listening);
    base_ = "http://127.0.0.1:" + m[1].str();
  }

  nlohmann::json Probes() {
    HttpReply r = HttpGet(base_ + "/api/v1/probes");
    if (r.status != 200) return nlohmann::json::array();
    return nlohmann::json::parse(r.body)["data"];
  }

  int Attempts(const std::string& probe) {
    for (const auto& p : Probes()) {
      if (p["name"] == probe) return p["attempts"].get<int>();
    }
    return -1;
  }

  TempDir dir_;
  FakeHttpServer api_;
  std::string config_path_;
  std::unique_ptr<Subprocess> exporter_;
  std::string base_;
};

TEST_F(ExporterE2ETest, ServesProbeResultsAsMetricsAndJson) {
  Start();
  ASSERT_TRUE(
      WaitFor([&] { return Attempts("healthy_api") >= 1 && Attempts("broken_route") >= 1; }, 30s));
  HttpReply metrics = HttpGet(base_ + "/metrics");
  ASSERT_EQ(metrics.status, 200);
  const std::string api_labels = "component=\"api\",env=\"e2e\",probe=\"healthy_api\",target=\"" +
                                 api_.base_url() + "/health\"";
  EXPECT_THAT(metrics.body, HasSubstr("probe_success{" + api_labels + "} 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("probe_http_status_code{" + api_labels + "} 200\n"));
  EXPECT_THAT(metrics.body, HasSubstr("smoke_probe_assertion_success{assertion=\"json_status\","
                                      "component=\"api\",env=\"e2e\",probe=\"healthy_api\","
                                      "severity=\"fail\",target=\"" +
                                      api_.base_url() + "/health\"} 1\n"));
  EXPECT_THAT(metrics.body,
              HasSubstr("probe_success{component=\"api\",env=\"e2e\",probe=\"broken_route\""));
  EXPECT_THAT(metrics.body, HasSubstr("reason=\"status\""));
  EXPECT_THAT(metrics.body, HasSubstr("smoke_config_last_reload_successful 1\n"));
  EXPECT_THAT(metrics.body, HasSubstr("smoke_build_info{"));
  EXPECT_THAT(metrics.body, HasSubstr("process_resident_memory_bytes "));
  EXPECT_THAT(metrics.body, Not(HasSubstr(kSecret)));

  nlohmann::json broken;
  for (const auto& p : Probes()) {
    if (p["name"] == "broken_route") broken = p;
  }
  EXPECT_EQ(broken["state"], "failed");
  EXPECT_EQ(broken["last"]["reason"], "status");
  EXPECT_EQ(broken["last"]["evidence"]["status_code"], 500);
  EXPECT_THAT(broken["last"]["evidence"]["body_snippet"].get<std::string>(),
              HasSubstr("Internal Server Error"));

  HttpReply detail = HttpGet(base_ + "/api/v1/probes/broken_route");
  ASSERT_EQ(detail.status, 200);
  nlohmann::json d = nlohmann::json::parse(detail.body)["data"];
  EXPECT_GE(d["failures"].size(), 1u);
  EXPECT_EQ(HttpGet(base_ + "/api/v1/probes/nope").status, 404);

  // The secret header reached the target but is shown nowhere.
  bool sent = false;
  for (const FakeRequest& req : api_.requests()) {
    auto it = req.headers.find("x-api-key");
    sent = sent || (it != req.headers.end() && it->second == kSecret);
  }
  EXPECT_TRUE(sent);
  HttpReply config = HttpGet(base_ + "/config");
  EXPECT_EQ(config.status, 200);
  EXPECT_THAT(config.body, HasSubstr("env:E2E_API_KEY"));
  EXPECT_THAT(config.body, Not(HasSubstr(kSecret)));
  HttpReply page = HttpGet(base_ + "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("broken_route"));
  EXPECT_THAT(page.headers, HasSubstr("X-Content-Type-Options: nosniff"));
  EXPECT_THAT(exporter_->Stderr(), Not(HasSubstr(kSecret)));

  exporter_->Signal(SIGTERM);
  EXPECT_EQ(exporter_->Wait(10s), std::optional<int>(0));
}

TEST_F(ExporterE2ETest, BrokenReloadKeepsTheOldProbesRunning) {
  Start();
  ASSERT_TRUE(WaitFor([&] { return Attempts("healthy_api") >= 1; }, 30s));
  dir_.Write("smoke.yml",
             Config(api_.base_url()) +
                 "  - name: bad\n    kind: http\n    target: ftp://x\n    intervall: 5s\n");
  HttpReply reload = HttpPost(base_ + "/-/reload");
  EXPECT_EQ(reload.status, 500);
  EXPECT_THAT(reload.body, HasSubstr("smoke.yml:"));
  EXPECT_THAT(reload.body, HasSubstr("intervall"));
  EXPECT_EQ(HttpGet(base_ + "/-/reload").status, 405);
  EXPECT_THAT(HttpGet(base_ + "/metrics").body,
              HasSubstr("smoke_config_last_reload_successful 0\n"));
  const int before = Attempts("healthy_api");
  EXPECT_TRUE(WaitFor([&] { return Attempts("healthy_api") > before; }, 30s))
      << "old probes stopped after a broken reload";

  // A good config via SIGHUP adds a probe.
  dir_.Write("smoke.yml",
             Config(api_.base_url(), "  - name: added\n    kind: tcp\n    target: 127.0.0.1:" +
                                         std::to_string(api_.port()) + "\n"));
  exporter_->Signal(SIGHUP);
  EXPECT_TRUE(WaitFor([&] { return Attempts("added") >= 1; }, 30s)) << exporter_->Stderr();
  EXPECT_THAT(HttpGet(base_ + "/metrics").body,
              HasSubstr("smoke_config_last_reload_successful 1\n"));

  // A broken config via SIGHUP: logged with its position, flagged, and the running set stays.
  dir_.Write("smoke.yml",
             Config(api_.base_url()) +
                 "  - name: bad\n    kind: http\n    target: ftp://x\n    intervall: 5s\n");
  exporter_->Signal(SIGHUP);
  EXPECT_TRUE(WaitFor(
      [&] {
        return HttpGet(base_ + "/metrics").body.find("smoke_config_last_reload_successful 0\n") !=
               std::string::npos;
      },
      30s));
  // Logged with its position, once for the POST above and once for this SIGHUP.
  const std::string log = exporter_->Stderr();
  const std::string error = "smoke.yml:27:5: unknown key \\\"intervall\\\"";
  size_t logged = 0;
  for (size_t at = log.find(error); at != std::string::npos; at = log.find(error, at + 1)) ++logged;
  EXPECT_EQ(logged, 2u) << log;
  const int added_before = Attempts("added");
  EXPECT_TRUE(WaitFor([&] { return Attempts("added") > added_before; }, 30s))
      << "probes stopped after a broken SIGHUP reload";
}

TEST_F(ExporterE2ETest, ProbeEndpointRunsAModuleAgainstAnyAllowedTarget) {
  Start();
  HttpReply r = HttpGet(base_ + "/probe?module=json_ok&target=" + api_.base_url() + "/health");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr("probe_success 1\n"));
  EXPECT_THAT(r.body, HasSubstr("probe_http_status_code 200\n"));
  HttpReply fail =
      HttpGet(base_ + "/probe?module=json_ok&target=" + api_.base_url() + "/companies");
  EXPECT_THAT(fail.body, HasSubstr("probe_success 0\n"));
  HttpReply debug =
      HttpGet(base_ + "/probe?module=json_ok&debug=true&target=" + api_.base_url() + "/companies");
  EXPECT_THAT(debug.body, HasSubstr("\"reason\": \"status\""));
  EXPECT_THAT(debug.body, Not(HasSubstr(kSecret)));
  EXPECT_EQ(HttpGet(base_ + "/probe?module=nope&target=x").status, 400);
  EXPECT_EQ(HttpGet(base_ + "/probe?module=json_ok").status, 400);
}

TEST(ExporterCliTest, CheckConfigPrintsErrorsWithPositionsAndExitsOne) {
  TempDir dir;
  std::string bad =
      dir.Write("bad.yml",
                "probes:\n  - name: x\n    kind: http\n    target: http://h/\n    intervall: 5s\n");
  Subprocess check({SMOKE_EXPORTER_BINARY, "check-config", bad}, dir.path().string());
  EXPECT_EQ(check.Wait(30s), std::optional<int>(1));
  EXPECT_THAT(check.Stderr(), HasSubstr(bad + ":5:5: unknown key \"intervall\""));

  std::string good =
      dir.Write("good.yml", "probes:\n  - name: x\n    kind: http\n    target: http://h/\n");
  Subprocess ok({SMOKE_EXPORTER_BINARY, "check-config", good}, dir.path().string());
  EXPECT_EQ(ok.Wait(30s), std::optional<int>(0));
  EXPECT_THAT(ok.Stdout(), HasSubstr("SUCCESS"));
}

// A deploy script reads `gate`'s exit code: a typo in its flags must read as undecidable (2),
// not as one of the argument parser's own codes; --help still succeeds.
TEST(ExporterCliTest, UsageErrorsExitTwoAndHelpExitsZero) {
  TempDir dir;
  const std::vector<std::vector<std::string>> usage_errors = {
      {"gate", "--url", "http://127.0.0.1:1", "--no-such-flag"},
      {"gate", "--url"},
      {"no-such-command"},
  };
  for (const std::vector<std::string>& args : usage_errors) {
    std::vector<std::string> argv = {SMOKE_EXPORTER_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    Subprocess run(argv, dir.path().string());
    EXPECT_EQ(run.Wait(30s), std::optional<int>(2)) << args.back() << ": " << run.Stderr();
    EXPECT_FALSE(run.Stderr().empty()) << args.back();
  }
  Subprocess help({SMOKE_EXPORTER_BINARY, "gate", "--help"}, dir.path().string());
  EXPECT_EQ(help.Wait(30s), std::optional<int>(0));
  EXPECT_THAT(help.Stdout(), HasSubstr("--url"));
}

TEST(ExporterCliTest, RunOnceReportsEveryOutcomeAndFailsOnFailureOrSkip) {
  TempDir dir;
  FakeHttpServer api;
  api.Respond("/health", 200, "{}");
  api.Respond("/down", 503, "{}");
  std::string cfg = dir.Write(
      "smoke.yml",
      "probes:\n"
      "  - {name: up, kind: http, component: api, target: '" +
          api.base_url() +
          "/health'}\n"
          "  - {name: down, kind: http, component: api, target: '" +
          api.base_url() +
          "/down'}\n"
          "  - name: login\n    kind: http\n    component: auth\n    target: '" +
          api.base_url() +
          "/health'\n"
          "    http: {basic_auth: {username: admin, password_env: SMOKE_E2E_UNSET_PASSWORD}}\n");
  Subprocess run({SMOKE_EXPORTER_BINARY, "run-once", "--config.file=" + cfg}, dir.path().string());
  EXPECT_EQ(run.Wait(60s), std::optional<int>(1));
  const std::string out = run.Stdout();
  EXPECT_THAT(out, HasSubstr("== api =="));
  EXPECT_THAT(out, HasSubstr("SKIPPED"));
  EXPECT_THAT(out, HasSubstr("[credentials_missing]"));
  EXPECT_THAT(out, HasSubstr("[status]"));
  EXPECT_THAT(out, HasSubstr("Total: 3  Passed: 1 (33.3%)  Degraded: 0  Failed: 1  Skipped: 1"));

  Subprocess only({SMOKE_EXPORTER_BINARY, "run-once", "--config.file=" + cfg, "--probe", "up",
                   "--format", "json"},
                  dir.path().string());
  EXPECT_EQ(only.Wait(60s), std::optional<int>(0));
  nlohmann::json j = nlohmann::json::parse(only.Stdout());
  EXPECT_EQ(j["totals"]["passed"], 1);
  EXPECT_EQ(j["checks"][0]["name"], "up");
}

}  // namespace
}  // namespace smoke::testing
