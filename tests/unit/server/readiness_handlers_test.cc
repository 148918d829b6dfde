// /api/v1/readiness and /api/v1/readiness/decisions through their handler functions, with a
// ReadinessService fed literal inputs: the JSON a deploy script reads, the status codes Flagger
// and CI react to, scoping, the decision log (durable, memory-only, unwritable) and the
// always-present smoke_release_* gauges.

#include "exporter/server/readiness_handlers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "exporter/readiness/decision_id.h"
#include "tests/support/temp_dir.h"

namespace smoke::server {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr int64_t kNowMs = 1'761'365'280'000;  // 2025-10-25T04:08:00Z

readiness::Inputs Healthy() {
  readiness::Inputs in;
  in.engine.iterations = 10;
  in.engine.last_iteration_ms = kNowMs - 5'000;
  in.engine.alerting_rules = {{"ProbeFailed", {{"severity", "critical"}}}};
  for (const auto& [name, component] :
       std::map<std::string, std::string>{{"api_notifications", "api"}, {"db_core", "database"}}) {
    readiness::ProbeInput p;
    p.name = name;
    p.component = component;
    p.labels = {{"probe", name}, {"component", component}};
    p.outcome = "ok";
    in.probes.push_back(p);
  }
  return in;
}

readiness::AlertInput Firing(const std::string& probe, const std::string& component) {
  readiness::AlertInput a;
  a.labels = {{"alertname", "ProbeFailed"},
              {"probe", probe},
              {"component", component},
              {"severity", "critical"},
              {"reason", "status"}};
  a.annotations = {{"summary", probe + " answers HTTP 500"}};
  a.state = "firing";
  a.active_at_ms = kNowMs - 60'000;
  a.value = 1;
  return a;
}

// A service whose inputs the test sets.
class Harness {
 public:
  explicit Harness(const std::string& log_path = "")
      : clock_(core::TimePoint(std::chrono::milliseconds(kNowMs))) {
    ReadinessServiceOptions o;
    o.clock = &clock_;
    o.inputs = [this] {
      std::lock_guard<std::mutex> lock(mu_);
      return inputs_;
    };
    service_ = std::make_unique<ReadinessService>(std::move(o));
    config::Config cfg;
    cfg.readiness.decision_log.path = log_path;
    EXPECT_TRUE(service_->Configure(cfg).ok());
    Set(Healthy());
  }
  void Set(readiness::Inputs in) {
    std::lock_guard<std::mutex> lock(mu_);
    inputs_ = std::move(in);
  }
  ReadinessService& service() { return *service_; }
  core::ManualClock& clock() { return clock_; }

 private:
  core::ManualClock clock_;
  std::mutex mu_;
  readiness::Inputs inputs_;
  std::unique_ptr<ReadinessService> service_;
};

HttpRequest Request(const std::string& method, const std::string& query = "",
                    const std::string& body = "") {
  HttpRequest r;
  r.method = method;
  r.path = "/api/v1/readiness";
  r.query = query;
  r.body = body;
  r.headers["user-agent"] = "deploy.sh";
  return r;
}

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

json Body(const HttpResponse& r) { return json::parse(r.body); }

TEST(ReadinessHandlerTest, ReadyIs200WithALoggedDecision) {
  testing::TempDir dir;
  Harness h((dir.path() / "decisions.jsonl").string());
  const HttpResponse r = HandleReadiness(h.service(), Request("GET"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type.substr(0, 16), "application/json");
  const json j = Body(r);
  EXPECT_EQ(j["ready"], true);
  EXPECT_EQ(j["violations"], json::array());
  EXPECT_EQ(j["waived"], json::array());
  EXPECT_EQ(j["evaluated_at"], "2025-10-25T04:08:00Z");
  EXPECT_EQ(j["logged"], true);
  EXPECT_FALSE(j.contains("log_error"));
  const std::string id = j["decision_id"];
  EXPECT_EQ(readiness::DecisionIdTime(id), kNowMs);
  EXPECT_EQ(Header(r, "X-Smoke-Decision-Id"), id);
  EXPECT_EQ(Header(r, "X-Smoke-Decision-Logged"), "true");
}

TEST(ReadinessHandlerTest, BlockedIs503WithViolations) {
  Harness h;
  readiness::Inputs in = Healthy();
  in.alerts = {Firing("api_notifications", "api")};
  h.Set(in);
  const HttpResponse r = HandleReadiness(h.service(), Request("GET"));
  EXPECT_EQ(r.status, 503);
  const json j = Body(r);
  EXPECT_EQ(j["ready"], false);
  ASSERT_EQ(j["violations"].size(), 1u);
  const json& v = j["violations"][0];
  EXPECT_EQ(v["alert"], "ProbeFailed");
  EXPECT_EQ(v["reason"], "status");
  EXPECT_EQ(v["component"], "api");
  EXPECT_EQ(v["probe"], "api_notifications");
  EXPECT_EQ(v["severity"], "critical");
  EXPECT_EQ(v["since"], "2025-10-25T04:07:00Z");
  EXPECT_EQ(v["value"], 1.0);
  EXPECT_EQ(v["summary"], "api_notifications answers HTTP 500");
  for (const char* key : {"evidence", "runbook"}) EXPECT_TRUE(v.contains(key)) << key;
}

TEST(ReadinessHandlerTest, QueryParametersScopeTheVerdict) {
  Harness h;
  readiness::Inputs in = Healthy();
  in.alerts = {Firing("api_notifications", "api")};
  h.Set(in);
  const struct {
    const char* query;
    int status;
  } cases[] = {
      {"component=database", 200},
      {"component=api", 503},
      {"probe=db_core", 200},
      {"probe=api_notifications&component=api", 503},
      {"component=databse", 503},  // a typo is scope_unknown, never "all clear"
      {"component=database&blocked_status=503", 200},
  };
  for (const auto& c : cases) {
    const HttpResponse r = HandleReadiness(h.service(), Request("GET", c.query));
    EXPECT_EQ(r.status, c.status) << c.query << ": " << r.body;
  }
  const json typo = Body(HandleReadiness(h.service(), Request("GET", "component=databse")));
  EXPECT_EQ(typo["violations"][0]["reason"], "scope_unknown");
  EXPECT_EQ(typo["scope"], json({{"component", "databse"}}));
}

TEST(ReadinessHandlerTest, BlockedStatus200ForClientsThatOnlyReadBodiesOf2xx) {
  Harness h;
  readiness::Inputs in = Healthy();
  in.alerts = {Firing("db_core", "database")};
  h.Set(in);
  const HttpResponse r = HandleReadiness(h.service(), Request("GET", "blocked_status=200"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Body(r)["ready"], false);
  EXPECT_EQ(Body(r)["scope"], json::object()) << "blocked_status is not a label selector";
}

TEST(ReadinessHandlerTest, FlaggerWebhookMetadataScopesAPost) {
  Harness h;
  readiness::Inputs in = Healthy();
  in.alerts = {Firing("db_core", "database")};
  h.Set(in);
  const std::string flagger = R"({"name":"podinfo","namespace":"test","phase":"Progressing",
      "checksum":"abc","metadata":{"component":"api"}})";
  HttpResponse r = HandleReadiness(h.service(), Request("POST", "", flagger));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["scope"], json({{"component", "api"}}));
  r = HandleReadiness(h.service(), Request("POST", "", R"({"name":"podinfo"})"));
  EXPECT_EQ(r.status, 503) << "no metadata: the whole exporter";
}

TEST(ReadinessHandlerTest, BadRequestsAreRejectedWithoutADecision) {
  testing::TempDir dir;
  Harness h((dir.path() / "d.jsonl").string());
  const struct {
    HttpRequest req;
    int status;
    const char* error;
  } cases[] = {
      {Request("GET", "1bad=x"), 400, "invalid label name \"1bad\" in the scope"},
      {Request("GET", "component="), 400, "empty value for \"component\" in the scope"},
      {Request("GET", "component=a&component=b"), 400,
       "conflicting values for \"component\" in the scope: \"a\" and \"b\""},
      {Request("GET", "blocked_status=404"), 400, "blocked_status must be 200 or 503"},
      {Request("POST", "", "component=api"), 400, "must be a JSON object"},
      {Request("POST", "", R"({"metadata":{"replicas":3}})"), 400,
       "metadata \"replicas\" must be a string"},
      {Request("DELETE"), 405, "use GET or POST"},
  };
  for (const auto& c : cases) {
    const HttpResponse r = HandleReadiness(h.service(), c.req);
    EXPECT_EQ(r.status, c.status) << c.req.query << c.req.body;
    EXPECT_THAT(Body(r)["error"].get<std::string>(), HasSubstr(c.error)) << r.body;
  }
  EXPECT_EQ(h.service().Decisions(10)->size(), 0u);
}

// The notifier has had nothing to send yet, so it has not found out; asking for silences has.
TEST(ReadinessHandlerTest, RequiredAlertmanagerThatDoesNotAnswerBlocksBeforeAnyAlertIsSent) {
  Harness h;
  config::Config cfg;
  cfg.alerting.required = true;
  cfg.alerting.alertmanagers.emplace_back();
  cfg.alerting.alertmanagers[0].url = "http://127.0.0.1:1";  // nothing listens on port 1
  ASSERT_TRUE(h.service().Configure(cfg).ok());
  readiness::Inputs in = Healthy();
  in.engine.alertmanager_required = true;
  in.alertmanagers = {{"http://127.0.0.1:1/api/v2/alerts", true, "", 0, 0}};
  h.Set(in);
  const HttpResponse r = HandleReadiness(h.service(), Request("GET"));
  EXPECT_EQ(r.status, 503);
  const json j = Body(r);
  ASSERT_EQ(j["violations"].size(), 1u) << j.dump();
  EXPECT_EQ(j["violations"][0]["reason"], "alertmanager_unreachable");
  EXPECT_THAT(j["violations"][0]["summary"].get<std::string>(),
              HasSubstr("http://127.0.0.1:1/api/v2/silences: connection_refused"));
  EXPECT_EQ(j["waivers"]["enabled"], false) << "waivers stay off; only reachability is checked";
}

TEST(ReadinessHandlerTest, UnwritableDecisionLogStillAnswersAndSaysSo) {
  testing::TempDir dir;
  const std::string file = dir.Write("file", "x");
  Harness h(file + "/decisions.jsonl");  // below a regular file: cannot be created
  readiness::Inputs in = Healthy();
  in.alerts = {Firing("db_core", "database")};
  h.Set(in);
  const HttpResponse r = HandleReadiness(h.service(), Request("GET"));
  EXPECT_EQ(r.status, 503) << "the verdict is served although it could not be logged";
  EXPECT_EQ(Header(r, "X-Smoke-Decision-Logged"), "false");
  const json j = Body(r);
  EXPECT_EQ(j["logged"], false);
  EXPECT_THAT(j["log_error"].get<std::string>(), HasSubstr("cannot open decision log"));
  bool counted = false;
  for (const prometheus::MetricFamily& f : h.service().Collect()) {
    if (f.name != "smoke_readiness_decision_log_errors_total") continue;
    ASSERT_EQ(f.metric.size(), 1u);
    EXPECT_EQ(f.metric[0].counter.value, 1);
    counted = true;
  }
  EXPECT_TRUE(counted);
}

TEST(ReadinessHandlerTest, MemoryOnlyDecisionsAreNotCalledLogged) {
  Harness h;  // no decision_log.path
  const HttpResponse r = HandleReadiness(h.service(), Request("GET"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Body(r)["logged"], false);
  EXPECT_THAT(Body(r)["log_error"].get<std::string>(), HasSubstr("decision_log.path is not set"));
  HttpRequest list = Request("GET");
  list.path = "/api/v1/readiness/decisions";
  const json decisions = Body(HandleReadinessDecisions(h.service(), list));
  EXPECT_EQ(decisions["data"]["durable"], false);
  EXPECT_EQ(decisions["data"]["decisions"].size(), 1u);
}

TEST(ReadinessHandlerTest, DecisionsAreListedNewestFirstWithTheirVerdicts) {
  testing::TempDir dir;
  Harness h((dir.path() / "d.jsonl").string());
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    readiness::Inputs in = Healthy();
    if (i == 1) in.alerts = {Firing("db_core", "database")};
    h.Set(in);
    ids.push_back(Body(HandleReadiness(h.service(), Request("GET")))["decision_id"]);
    h.clock().Advance(std::chrono::seconds(10));
  }
  HttpRequest list;
  list.method = "GET";
  list.path = "/api/v1/readiness/decisions";
  list.query = "limit=2";
  const HttpResponse r = HandleReadinessDecisions(h.service(), list);
  ASSERT_EQ(r.status, 200);
  const json j = Body(r);
  EXPECT_EQ(j["status"], "success");
  EXPECT_EQ(j["data"]["durable"], true);
  const json& d = j["data"]["decisions"];
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0]["decision_id"], ids[2]);
  EXPECT_EQ(d[0]["ready"], true);
  EXPECT_EQ(d[1]["decision_id"], ids[1]);
  EXPECT_EQ(d[1]["ready"], false);
  EXPECT_EQ(d[1]["violations"][0]["probe"], "db_core");
  EXPECT_EQ(d[1]["client"], "deploy.sh");
  for (const char* bad : {"limit=0", "limit=abc", "limit=10001", "limit="}) {
    list.query = bad;
    EXPECT_EQ(HandleReadinessDecisions(h.service(), list).status, 400) << bad;
  }
}

std::map<std::string, double> Gauges(ReadinessService& s, const std::string& name) {
  std::map<std::string, double> out;
  for (const prometheus::MetricFamily& f : s.Collect()) {
    if (f.name != name) continue;
    for (const prometheus::ClientMetric& m : f.metric) {
      std::string key;
      for (const auto& l : m.label) key += l.name + "=" + l.value;
      out[key] = m.gauge.value;
    }
  }
  return out;
}

TEST(ReadinessMetricsTest, GaugesAreAlwaysPresentAndNeverNaN) {
  Harness h;
  EXPECT_THAT(Gauges(h.service(), "smoke_release_ready"), Contains(Pair("", 1.0)));
  const std::map<std::string, double> idle = Gauges(h.service(), "smoke_release_violations");
  for (const char* reason : {"no_data", "stale_data", "rule_evaluation_failed", "probe_skipped",
                             "alertmanager_unreachable", "scope_unknown", "ProbeFailed"}) {
    EXPECT_THAT(idle, Contains(Pair(std::string("reason=") + reason, 0.0))) << reason;
  }
  readiness::Inputs in = Healthy();
  in.engine.iterations = 0;
  in.alerts = {Firing("db_core", "database"), Firing("api_notifications", "api")};
  h.Set(in);
  EXPECT_THAT(Gauges(h.service(), "smoke_release_ready"), Contains(Pair("", 0.0)));
  const std::map<std::string, double> blocked = Gauges(h.service(), "smoke_release_violations");
  EXPECT_THAT(blocked, Contains(Pair("reason=no_data", 1.0)));
  EXPECT_THAT(blocked, Contains(Pair("reason=status", 2.0)));
  EXPECT_THAT(blocked, Contains(Pair("reason=stale_data", 0.0)));
  // "status" was known only from the firing alerts; once they resolve it stays, at 0, so a
  // query on it does not turn into an empty result.
  h.Set(Healthy());
  const std::map<std::string, double> healed = Gauges(h.service(), "smoke_release_violations");
  EXPECT_THAT(healed, Contains(Pair("reason=status", 0.0)));
  EXPECT_THAT(Gauges(h.service(), "smoke_release_ready"), Contains(Pair("", 1.0)));
}

}  // namespace
}  // namespace smoke::server
