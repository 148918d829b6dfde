// Seed 002's release guard, end to end with real components: the smoke_exporter binary probes
// the demo API (scripts/demo_api.py), evaluates a rule file that turns failures into blocking
// alerts, and reads waivers from a real Alertmanager (scripts/alertmanager.sh).
//   1. A route answers 100% errors: GET /api/v1/readiness is 503 with every blocker's alert,
//      reason, component, probe and evidence (the HTTP 500 the probe saw); the gauges say so.
//   2. An operator silences one blocker through Alertmanager's API: it moves to "waived" with
//      the silence's id, creator and comment, and the other blockers still block.
//      `smoke_exporter gate` and scripts/release-gate.sh exit 1 and print the table.
//   3. The route is fixed: still blocked while the alerts' hysteresis (keep_firing_for, the
//      error-rate window) runs, then ready; `gate --wait` exits 0.
//   4. The exporter restarts: 503 with reason no_data until it has data again, then 200; the
//      decisions served before the restart are still in the durable decision log.
// And a restart while the route still fails never reads ready before the alerts fire again.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/ruler/rules_json.h"
#include "tests/integration/monitoring_service_script.h"
#include "tests/support/http_client.h"
#include "tests/support/shell.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kScripts = std::string(SMOKE_SOURCE_DIR) + "/scripts/";

// Two probes of the route the fault breaks (seed 002 had two failing routes) and one of a
// route that keeps working. Each failing probe raises two blockers: one through
// gate="release", one through severity="critical".
std::string ExporterConfig(const std::string& api, const std::string& alertmanager,
                           const std::string& decisions) {
  std::string config = R"(global:
  interval: 500ms
  timeout: 500ms
  jitter: 0
  labels: {env: staging}
probes:
  - {name: companies, kind: http, component: api, target: '$API/api/v1/companies'}
  - {name: companies_page2, kind: http, component: api, target: '$API/api/v1/companies?page=2'}
  - {name: health, kind: http, component: api_health, target: '$API/health'}
rules:
  files: [seed002.rules.yml]
  evaluation_interval: 1s
alerting:
  alertmanagers: [{url: '$ALERTMANAGER'}]
readiness:
  min_evaluations: 3
  stale_after: 10s   # a loaded CI machine must not turn the blockers into stale_data
  waivers: {enabled: true, cache: 1s}
  decision_log: {path: '$DECISIONS'}
)";
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"$API", api}, {"$ALERTMANAGER", alertmanager}, {"$DECISIONS", decisions}}) {
    for (size_t at = config.find(name); at != std::string::npos; at = config.find(name, at)) {
      config.replace(at, name.size(), value);
    }
  }
  return config;
}

// Short `for`s so the test takes seconds; keep_firing_for and the error-rate window are the
// hysteresis that keeps a just-fixed route from reading ready at its first good answer.
constexpr char kRules[] = R"(groups:
  - name: seed002
    rules:
      - alert: ApiRouteFailing
        expr: probe_success{component="api"} == 0
        for: 2s
        keep_firing_for: 3s
        labels: {gate: release, severity: warning, reason: route_failing}
        annotations:
          summary: '{{ $labels.probe }} fails'
          runbook_url: https://runbooks.example/route-failing
      - alert: ApiErrorRateCritical
        expr: 100 * (1 - avg_over_time(probe_success{component="api"}[5s])) >= 20
        for: 1s
        labels: {severity: critical, reason: error_rate_critical}
        annotations:
          summary: '{{ $labels.probe }} fails {{ $value }}% of requests'
          runbook_url: https://runbooks.example/error-rate
)";

struct Verdict {
  long status = 0;
  json body;
};

// (alert, probe) of each entry of a verdict's "violations" or "waived".
std::set<std::pair<std::string, std::string>> Blockers(const json& list) {
  std::set<std::pair<std::string, std::string>> out;
  for (const json& v : list) out.emplace(v.value("alert", ""), v.value("probe", ""));
  return out;
}

std::set<std::string> Reasons(const json& list) {
  std::set<std::string> out;
  for (const json& v : list) out.insert(v.value("reason", ""));
  return out;
}

const json* Find(const json& list, const std::string& alert, const std::string& probe) {
  for (const json& v : list) {
    if (v.value("alert", "") == alert && v.value("probe", "") == probe) return &v;
  }
  return nullptr;
}

class ReleaseGateSeed002Test : public ::testing::Test {
 protected:
  void SetUp() override {
    fault_file_ = dir_.Write("fault", "error_route");
    const std::string port = Shell(kScripts + "free_port.sh");
    api_ = std::make_unique<Subprocess>(
        std::vector<std::string>{"/usr/bin/python3", kScripts + "demo_api.py", "--port", port,
                                 "--fault-file", fault_file_},
        dir_.path().string());
    api_url_ = "http://127.0.0.1:" + port;
    ASSERT_TRUE(WaitFor([&] { return HttpGet(api_url_ + "/health").status == 200; }, seconds(20)))
        << api_->Stderr();
    ASSERT_EQ(HttpGet(api_url_ + "/api/v1/companies").status, 500) << "the fault is on";
    alertmanager_ = std::make_unique<ScriptService>(kScripts + "alertmanager.sh");
    decisions_ = (dir_.path() / "decisions.jsonl").string();
    dir_.Write("seed002.rules.yml", kRules);
    config_ = dir_.Write("smoke.yml", ExporterConfig(api_url_, alertmanager_->url(), decisions_));
  }

  void StartExporter() {
    exporter_ = std::make_unique<Subprocess>(
        std::vector<std::string>{SMOKE_EXPORTER_BINARY, "--config.file=" + config_,
                                 "--web.listen-address=127.0.0.1:0"},
        dir_.path().string());
    const std::regex listening("msg=listening .*port=(\\d+)");
    std::smatch m;
    std::string err;
    ASSERT_TRUE(WaitFor(
        [&] {
          err = exporter_->Stderr();
          return std::regex_search(err, m, listening);
        },
        seconds(20)))
        << err;
    base_ = "http://127.0.0.1:" + m[1].str();
  }

  void StopExporter() {
    exporter_->Signal(SIGTERM);
    ASSERT_EQ(exporter_->Wait(std::chrono::milliseconds(15'000)), std::optional<int>(0))
        << exporter_->Stderr();
  }

  Verdict Readiness(const std::string& query = "") const {
    const HttpReply r = HttpGet(base_ + "/api/v1/readiness" + query);
    Verdict v{r.status, json::parse(r.body, nullptr, false)};
    if (v.body.is_discarded()) v.body = json::object();
    return v;
  }

  // Runs `smoke_exporter gate` (or scripts/release-gate.sh with the same flags).
  std::tuple<std::optional<int>, std::string, std::string> Gate(std::vector<std::string> flags,
                                                                bool script = false) const {
    std::vector<std::string> argv =
        script ? std::vector<std::string>{"/bin/bash", kScripts + "release-gate.sh"}
               : std::vector<std::string>{SMOKE_EXPORTER_BINARY, "gate"};
    argv.push_back("--url");
    argv.push_back(base_);
    argv.insert(argv.end(), flags.begin(), flags.end());
    Subprocess gate(argv, dir_.path().string());
    const std::optional<int> code = gate.Wait(std::chrono::milliseconds(40'000));
    return {code, gate.Stdout(), gate.Stderr()};
  }

  // Creates a silence through Alertmanager's API v2, as its UI or amtool would; returns its id.
  std::string Silence(const json& matchers, const std::string& created_by,
                      const std::string& comment) const {
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    clients::HttpRequest request;
    request.url = alertmanager_->url() + "/api/v2/silences";
    request.method = "POST";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = json{
        {"matchers", matchers},
        {"startsAt", ruler::FormatRfc3339Ms(now_ms - 1'000)},
        {"endsAt", ruler::FormatRfc3339Ms(now_ms + 3'600'000)},
        {"createdBy", created_by},
        {"comment",
         comment}}.dump();
    const clients::HttpResponse r =
        clients::CurlHttpClient().Execute(request, std::chrono::steady_clock::now() + seconds(10));
    EXPECT_EQ(r.status_code, 200) << r.body;
    const json body = json::parse(r.body, nullptr, false);
    return body.is_object() ? body.value("silenceID", "") : "";
  }

  // The smoke_release_* samples of /metrics, one per line.
  std::string ReleaseMetrics() const {
    std::string out;
    std::istringstream in(HttpGet(base_ + "/metrics").body);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("smoke_release_", 0) == 0) out += line + "\n";
    }
    return out;
  }

  TempDir dir_;
  std::string fault_file_;
  std::unique_ptr<Subprocess> api_;
  std::string api_url_;
  std::unique_ptr<ScriptService> alertmanager_;
  std::string decisions_;
  std::string config_;
  std::unique_ptr<Subprocess> exporter_;
  std::string base_;
};

TEST_F(ReleaseGateSeed002Test, BlockedWaivedHealedAndRestarted) {
  ASSERT_NO_FATAL_FAILURE(StartExporter());

  // --- 1. The error route blocks the release, every blocker with its reason and evidence.
  const std::set<std::pair<std::string, std::string>> all_four = {
      {"ApiErrorRateCritical", "companies"},
      {"ApiErrorRateCritical", "companies_page2"},
      {"ApiRouteFailing", "companies"},
      {"ApiRouteFailing", "companies_page2"}};
  Verdict blocked;
  ASSERT_TRUE(WaitFor(
      [&] {
        blocked = Readiness();
        // Until each alert has fired, it is pending (no_data while its `for` runs since start).
        return blocked.status == 503 && blocked.body.contains("violations") &&
               Blockers(blocked.body["violations"]) == all_four &&
               Reasons(blocked.body["violations"]) ==
                   std::set<std::string>{"error_rate_critical", "route_failing"};
      },
      seconds(30)))
      << blocked.status << " " << blocked.body.dump();
  const json& b = blocked.body;
  EXPECT_EQ(b["ready"], false);
  EXPECT_THAT(b["waived"], IsEmpty());
  EXPECT_TRUE(b["evaluated_at"].is_string());
  const std::string blocked_decision = b["decision_id"];
  EXPECT_EQ(blocked_decision.size(), 26u) << "a ULID";
  EXPECT_EQ(b["logged"], true) << "fsync'd to " << decisions_;

  const json* failing = Find(b["violations"], "ApiRouteFailing", "companies");
  ASSERT_NE(failing, nullptr);
  EXPECT_EQ((*failing)["reason"], "route_failing");
  EXPECT_EQ((*failing)["component"], "api");
  EXPECT_EQ((*failing)["severity"], "warning") << "blocks through gate=\"release\"";
  EXPECT_TRUE((*failing)["since"].is_string());
  EXPECT_EQ((*failing)["summary"], "companies fails");
  EXPECT_EQ((*failing)["runbook"], "https://runbooks.example/route-failing");
  const json& evidence = (*failing)["evidence"];
  EXPECT_EQ(evidence["labels"]["target"], api_url_ + "/api/v1/companies");
  EXPECT_EQ(evidence["probe"]["outcome"], "failed");
  EXPECT_EQ(evidence["probe"]["reason"], "status");
  EXPECT_EQ(evidence["probe"]["last_failure"]["evidence"]["status_code"], 500) << evidence.dump();
  EXPECT_THAT(evidence["probe"]["last_failure"]["evidence"].value("body_snippet", ""),
              HasSubstr("Internal Server Error"));

  const json* rate = Find(b["violations"], "ApiErrorRateCritical", "companies_page2");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ((*rate)["reason"], "error_rate_critical");
  EXPECT_EQ((*rate)["severity"], "critical") << "blocks through severity=\"critical\"";
  EXPECT_EQ((*rate)["value"], 100.0) << "100% errors, as in seed 002";
  EXPECT_EQ((*rate)["evidence"]["probe"]["last_failure"]["evidence"]["status_code"], 500);

  // Scoping: the route that works is ready on its own; one probe sees only its blockers.
  EXPECT_EQ(Readiness("?component=api_health").status, 200);
  const Verdict one = Readiness("?probe=companies");
  EXPECT_EQ(one.status, 503);
  EXPECT_EQ(Blockers(one.body["violations"]),
            (std::set<std::pair<std::string, std::string>>{{"ApiErrorRateCritical", "companies"},
                                                           {"ApiRouteFailing", "companies"}}));

  std::string metrics = ReleaseMetrics();
  EXPECT_THAT(metrics, HasSubstr("smoke_release_ready 0\n"));
  EXPECT_THAT(metrics, HasSubstr("smoke_release_violations{reason=\"route_failing\"} 2\n"));
  EXPECT_THAT(metrics, HasSubstr("smoke_release_violations{reason=\"no_data\"} 0\n"));

  // --- 2. A silence on one blocker waives it; the others still block.
  const std::string silence = Silence(
      json::array(
          {{{"name", "alertname"},
            {"value", "ApiErrorRateCritical"},
            {"isRegex", false},
            {"isEqual", true}},
           {{"name", "probe"}, {"value", "companies"}, {"isRegex", false}, {"isEqual", true}}}),
      "alice", "known: companies route, fix in PR 123");
  ASSERT_FALSE(silence.empty());
  Verdict waived;
  ASSERT_TRUE(WaitFor(
      [&] {
        waived = Readiness();
        return waived.body.contains("waived") && waived.body["waived"].size() == 1;
      },
      seconds(15)))
      << waived.body.dump();
  EXPECT_EQ(waived.status, 503) << "the other blockers still block";
  EXPECT_EQ(Blockers(waived.body["violations"]), (std::set<std::pair<std::string, std::string>>{
                                                     {"ApiErrorRateCritical", "companies_page2"},
                                                     {"ApiRouteFailing", "companies"},
                                                     {"ApiRouteFailing", "companies_page2"}}));
  const json& w = waived.body["waived"][0];
  EXPECT_EQ(w["alert"], "ApiErrorRateCritical");
  EXPECT_EQ(w["probe"], "companies");
  EXPECT_EQ(w["reason"], "error_rate_critical");
  EXPECT_EQ(w["silence_id"], silence);
  EXPECT_EQ(w["created_by"], "alice");
  EXPECT_EQ(w["comment"], "known: companies route, fix in PR 123");
  EXPECT_TRUE(w["ends_at"].is_string());
  EXPECT_EQ(waived.body["waivers"]["available"], true);
  EXPECT_THAT(ReleaseMetrics(), HasSubstr("smoke_release_waived_violations 1\n"));

  // The deploy script's side: exit 1 and the table, from the binary and from curl + jq.
  for (const bool script : {false, true}) {
    const auto [code, out, err] = Gate({}, script);
    EXPECT_EQ(code, std::optional<int>(1)) << (script ? "release-gate.sh" : "gate") << out << err;
    EXPECT_THAT(out, HasSubstr("BLOCKED: 3 violations")) << out;
    EXPECT_THAT(out, ::testing::ContainsRegex("ALERT +REASON +COMPONENT +PROBE +SEVERITY"));
    EXPECT_THAT(out, ::testing::ContainsRegex(
                         "ApiRouteFailing +route_failing +api +companies_page2 +warning"));
    EXPECT_THAT(out, HasSubstr("Waived by Alertmanager silences:"));
    EXPECT_THAT(out, HasSubstr(silence));
  }

  // --- 3. Fix the route: blocked while the hysteresis runs, then ready.
  { std::ofstream(fault_file_, std::ios::trunc) << ""; }
  ASSERT_TRUE(WaitFor(
      [&] {
        const json probes = json::parse(HttpGet(base_ + "/api/v1/probes").body, nullptr, false);
        if (!probes.is_object()) return false;
        int ok = 0;
        for (const json& p : probes["data"]) {
          if ((p["name"] == "companies" || p["name"] == "companies_page2") && p["state"] == "ok") {
            ++ok;
          }
        }
        return ok == 2;
      },
      seconds(15)));
  // Both probes pass now, but ApiRouteFailing keeps firing for 3 s and the error rate over the
  // last 5 s is still above 20%: one good answer does not make a release safe.
  const Verdict just_fixed = Readiness();
  EXPECT_EQ(just_fixed.status, 503) << just_fixed.body.dump();
  EXPECT_THAT(Reasons(just_fixed.body["violations"]), ::testing::Contains("route_failing"));

  const auto [code, out, err] = Gate({"--wait", "30s", "--interval", "500ms"});
  EXPECT_EQ(code, std::optional<int>(0)) << out << err;
  EXPECT_THAT(out, HasSubstr("READY: decision "));
  {
    const auto [script_code, script_out, script_err] = Gate({}, /*script=*/true);
    EXPECT_EQ(script_code, std::optional<int>(0)) << script_out << script_err;
    EXPECT_THAT(script_out, HasSubstr("READY: decision "));
  }
  const Verdict ready = Readiness();
  EXPECT_EQ(ready.status, 200) << ready.body.dump();
  EXPECT_EQ(ready.body["ready"], true);
  EXPECT_THAT(ready.body["violations"], IsEmpty());
  metrics = ReleaseMetrics();
  EXPECT_THAT(metrics, HasSubstr("smoke_release_ready 1\n"));
  EXPECT_THAT(metrics, HasSubstr("smoke_release_violations{reason=\"route_failing\"} 0\n"));

  // --- 4. Restart: no data, not ready, until the engine and the probes have run again.
  StopExporter();
  ASSERT_FALSE(HasFailure());
  ASSERT_NO_FATAL_FAILURE(StartExporter());
  const Verdict restarted = Readiness();
  EXPECT_EQ(restarted.status, 503) << restarted.body.dump();
  EXPECT_THAT(Reasons(restarted.body["violations"]), ElementsAre("no_data"))
      << restarted.body.dump();
  EXPECT_THAT(ReleaseMetrics(),
              ::testing::ContainsRegex("smoke_release_violations\\{reason=\"no_data\"\\} [1-9]"));
  Verdict back;
  ASSERT_TRUE(WaitFor(
      [&] {
        back = Readiness();
        return back.status == 200;
      },
      seconds(20)))
      << back.body.dump();
  EXPECT_EQ(back.body["ready"], true);
  EXPECT_THAT(ReleaseMetrics(), HasSubstr("smoke_release_ready 1\n"));

  // The audit trail survived the restart: what the blocked deploy was told is still there.
  const json decisions =
      json::parse(HttpGet(base_ + "/api/v1/readiness/decisions?limit=10000").body, nullptr, false);
  ASSERT_TRUE(decisions.is_object());
  EXPECT_EQ(decisions["data"]["durable"], true);
  bool found_blocked = false;
  bool found_gate = false;
  for (const json& d : decisions["data"]["decisions"]) {
    if (d["decision_id"] == blocked_decision) {
      found_blocked = true;
      EXPECT_EQ(d["ready"], false);
      EXPECT_EQ(Blockers(d["violations"]), all_four);
    }
    if (d.value("client", "") == "smoke_exporter-gate" && d["ready"] == true) found_gate = true;
  }
  EXPECT_TRUE(found_blocked) << blocked_decision;
  EXPECT_TRUE(found_gate) << "the gate's ready decision is logged with its client";
  EXPECT_EQ(decisions["data"]["decisions"][0]["decision_id"], back.body["decision_id"])
      << "newest first";
}

// Without a state file a restarted exporter forgets its firing alerts; they come back pending
// and fire again only after their `for`. Readiness must not read "ready" in between.
TEST_F(ReleaseGateSeed002Test, RestartWhileBrokenNeverReadsReadyBeforeTheAlertsFireAgain) {
  const std::string scope = "?alertname=ApiRouteFailing";
  ASSERT_NO_FATAL_FAILURE(StartExporter());
  Verdict v;
  ASSERT_TRUE(WaitFor(
      [&] {
        v = Readiness(scope);
        return v.body.contains("violations") &&
               Reasons(v.body["violations"]) == std::set<std::string>{"route_failing"};
      },
      seconds(30)))
      << v.body.dump();

  ASSERT_NO_FATAL_FAILURE(StopExporter());
  ASSERT_NO_FATAL_FAILURE(StartExporter());
  std::vector<Verdict> seen;
  ASSERT_TRUE(WaitFor(
      [&] {
        seen.push_back(Readiness(scope));
        const json& body = seen.back().body;
        return body.contains("violations") &&
               Reasons(body["violations"]) == std::set<std::string>{"route_failing"};
      },
      seconds(30)))
      << seen.back().body.dump();
  bool pending_seen = false;
  for (const Verdict& x : seen) {
    ASSERT_EQ(x.status, 503) << "ready while the route was still failing: " << x.body.dump();
    for (const json& violation : x.body["violations"]) {
      if (violation["reason"] == "no_data" && violation["alert"] == "ApiRouteFailing") {
        pending_seen = true;
        EXPECT_THAT(violation["summary"].get<std::string>(),
                    HasSubstr("may have been firing before a restart"));
      }
    }
  }
  EXPECT_THAT(Reasons(seen.front().body["violations"]), ::testing::Contains("no_data"));
  EXPECT_TRUE(pending_seen) << "the pending alerts were reported while their `for` ran";
}

}  // namespace
}  // namespace smoke::testing
