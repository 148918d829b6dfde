// The status page (GET /) as a person reads it: the pending and firing alerts, the rule groups
// with their rules' health and errors, and the Alertmanagers, rendered from literal engine
// snapshots (status_rules.h) and, once, from a whole Runtime whose engine evaluated real rules
// over a recorded probe failure. Every label, annotation and error is HTML-escaped, and no
// secret of the config reaches the page.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <memory>
#include <string>

#include "exporter/server/handlers.h"
#include "exporter/server/runtime.h"
#include "exporter/server/status_rules.h"
#include "tests/support/temp_dir.h"

namespace smoke::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr int64_t kNowMs = 1'761'365'280'000;  // 2025-10-25T04:08:00Z
const core::TimePoint kNow{std::chrono::milliseconds(kNowMs)};

ruler::Alert MakeAlert(ruler::AlertState state, promql::Labels labels, promql::Labels annotations,
                       int64_t active_at_ms, double value) {
  ruler::Alert a;
  a.state = state;
  a.labels = std::move(labels);
  a.annotations = std::move(annotations);
  a.active_at_ms = active_at_ms;
  a.value = value;
  return a;
}

ruler::RuleStatus AlertingRule(const std::string& name, std::vector<ruler::Alert> alerts) {
  ruler::RuleStatus r;
  r.name = name;
  r.alerting = true;
  r.query = "probe_success == 0";
  r.for_duration = 1min;
  r.health = ruler::RuleHealth::kOk;
  r.last_eval_ms = kNowMs - 5'000;
  r.alerts = std::move(alerts);
  return r;
}

ruler::GroupStatus Group(const std::string& name, std::vector<ruler::RuleStatus> rules) {
  ruler::GroupStatus g;
  g.name = name;
  g.file = "/etc/smoke/rules/" + name + ".rules.yml";
  g.interval = 15s;
  g.last_eval_ms = kNowMs - 5'000;
  g.last_duration_seconds = 0.0015;
  g.rules = std::move(rules);
  return g;
}

// The text between `from` and the next `to` (to check one table row at a time).
std::string Between(const std::string& html, const std::string& from, const std::string& to) {
  const size_t start = html.find(from);
  if (start == std::string::npos) return "";
  const size_t end = html.find(to, start);
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TEST(StatusRulesTest, AlertsListFiringBeforePendingWithLabelsStateSinceAndValue) {
  const ruler::Alert pending = MakeAlert(
      ruler::AlertState::kPending, {{"alertname", "SmokeProbeDegraded"}, {"probe", "api_docs"}}, {},
      kNowMs - 30'000, 1);
  const ruler::Alert firing =
      MakeAlert(ruler::AlertState::kFiring,
                {{"alertname", "SmokeProbeFailed"}, {"probe", "db_core"}, {"severity", "critical"}},
                {{"summary", "db_core fails"}}, kNowMs - 390'000, 0.25);
  const ruler::Alert resolved =
      MakeAlert(ruler::AlertState::kInactive, {{"alertname", "SmokeProbeFailed"}, {"probe", "old"}},
                {}, kNowMs - 900'000, 0);
  const std::string html =
      RenderAlertsSection({Group("probes", {AlertingRule("SmokeProbeDegraded", {pending}),
                                            AlertingRule("SmokeProbeFailed", {resolved, firing})})},
                          kNow);

  EXPECT_THAT(html, HasSubstr("1 firing, 1 pending."));
  const size_t firing_at = html.find("db_core");
  const size_t pending_at = html.find("api_docs");
  ASSERT_NE(firing_at, std::string::npos) << html;
  ASSERT_NE(pending_at, std::string::npos) << html;
  EXPECT_LT(firing_at, pending_at) << "firing alerts come first";
  // A resolved alert is no longer on the page.
  EXPECT_THAT(html, Not(HasSubstr("&quot;old&quot;")));

  const std::string row = Between(html, "<b>SmokeProbeFailed</b>", "</tr>");
  EXPECT_THAT(row, HasSubstr("<b>summary:</b> db_core fails"));
  EXPECT_THAT(row, HasSubstr("probe=&quot;db_core&quot;"));
  EXPECT_THAT(row, HasSubstr("severity=&quot;critical&quot;"));
  EXPECT_THAT(row, Not(HasSubstr("alertname=")));  // already the row's title
  EXPECT_THAT(row, HasSubstr(">firing<"));
  EXPECT_THAT(row, HasSubstr("2025-10-25T04:01:30Z"));
  EXPECT_THAT(row, HasSubstr("6m30s ago"));
  EXPECT_THAT(row, HasSubstr("<td>0.25</td>"));
  EXPECT_THAT(Between(html, "<b>SmokeProbeDegraded</b>", "</tr>"), HasSubstr(">pending<"));
}

TEST(StatusRulesTest, NoActiveAlertsSaysSoWithoutATable) {
  const std::string html = RenderAlertsSection({Group("probes", {AlertingRule("A", {})})}, kNow);
  EXPECT_THAT(html, HasSubstr("0 firing, 0 pending."));
  EXPECT_THAT(html, Not(HasSubstr("<table")));
}

TEST(StatusRulesTest, EveryLabelAnnotationQueryAndErrorIsHtmlEscaped) {
  const std::string evil = "<script>alert(\"x\")</script>&'";
  const std::string escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;";
  ruler::RuleStatus rule = AlertingRule(
      evil, {MakeAlert(ruler::AlertState::kFiring, {{"alertname", evil}, {"team", evil}},
                       {{"description", evil}}, kNowMs, 1)});
  rule.query = "up{job=\"" + evil + "\"}";
  rule.health = ruler::RuleHealth::kErr;
  rule.last_error = evil;
  ruler::GroupStatus group = Group("g", {rule});
  group.name = evil;
  group.file = evil;
  const std::vector<ruler::GroupStatus> groups = {group};

  for (const std::string& html :
       {RenderAlertsSection(groups, kNow), RenderRuleGroupsSection(groups, kNow)}) {
    EXPECT_THAT(html, Not(HasSubstr("<script>"))) << html;
    EXPECT_THAT(html, Not(HasSubstr("(\"x\")"))) << html;
    EXPECT_THAT(html, HasSubstr(escaped)) << html;
  }
  notifier::AlertmanagerStatus am;
  am.alertmanager = evil;
  am.consecutive_failures = 1;
  am.last_error_message = evil;
  const std::string ams = RenderAlertmanagersSection({am}, kNow);
  EXPECT_THAT(ams, Not(HasSubstr("<script>")));
  EXPECT_THAT(ams, HasSubstr(escaped));
}

TEST(StatusRulesTest, RuleGroupShowsFileIntervalLastEvaluationDurationAndRules) {
  ruler::RuleStatus recording;
  recording.name = "job:probe_success:avg";
  recording.query = "avg by (job) (probe_success)";
  recording.health = ruler::RuleHealth::kOk;
  recording.last_eval_ms = kNowMs - 5'000;
  ruler::RuleStatus broken = AlertingRule("SmokeBroken", {});
  broken.health = ruler::RuleHealth::kErr;
  broken.last_error = "many-to-many matching not allowed";
  const std::string html = RenderRuleGroupsSection(
      {Group("probes", {recording, AlertingRule("SmokeProbeFailed", {}), broken})}, kNow);

  EXPECT_THAT(html, HasSubstr("<h3>probes</h3>"));
  EXPECT_THAT(html, HasSubstr("/etc/smoke/rules/probes.rules.yml"));
  EXPECT_THAT(html, HasSubstr("Interval 15s"));
  EXPECT_THAT(html, HasSubstr("last evaluation 5s ago"));
  EXPECT_THAT(html, HasSubstr("took 1.5 ms"));
  EXPECT_THAT(html, HasSubstr(">err</span>"));  // the group: one rule fails

  const std::string rec = Between(html, "<b>job:probe_success:avg</b>", "</tr>");
  EXPECT_THAT(rec, HasSubstr("avg by (job) (probe_success)"));
  EXPECT_THAT(rec, HasSubstr("<td>recording</td>"));
  EXPECT_THAT(rec, HasSubstr(">ok</span>"));
  const std::string alerting = Between(html, "<b>SmokeProbeFailed</b>", "</tr>");
  EXPECT_THAT(alerting, HasSubstr("alerting<br><small>for 1m</small>"));
  const std::string err = Between(html, "<b>SmokeBroken</b>", "</tr>");
  EXPECT_THAT(err, HasSubstr(">err</span>"));
  EXPECT_THAT(err, HasSubstr("many-to-many matching not allowed"));
}

TEST(StatusRulesTest, GroupHealthIsTheWorstOfItsRules) {
  auto rule = [](ruler::RuleHealth h) {
    ruler::RuleStatus r;
    r.name = "r";
    r.health = h;
    return r;
  };
  using H = ruler::RuleHealth;
  struct Case {
    std::string name;
    std::vector<ruler::RuleStatus> rules;
    int64_t last_eval_ms;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"never evaluated", {rule(H::kUnknown), rule(H::kUnknown)}, 0, "unknown"},
      {"all ok", {rule(H::kOk), rule(H::kOk)}, kNowMs, "ok"},
      {"one failing", {rule(H::kOk), rule(H::kErr), rule(H::kOk)}, kNowMs, "err"},
      {"failing before the others ran", {rule(H::kErr), rule(H::kUnknown)}, kNowMs, "err"},
      {"evaluated, no rules", {}, kNowMs, "ok"},
  };
  for (const Case& c : cases) {
    ruler::GroupStatus g = Group("g", c.rules);
    g.last_eval_ms = c.last_eval_ms;
    EXPECT_EQ(GroupHealth(g), c.want) << c.name;
  }
}

TEST(StatusRulesTest, NeverEvaluatedGroupAndNoGroupsAreNamedAsSuch) {
  ruler::GroupStatus g = Group("fresh", {});
  g.last_eval_ms = 0;
  EXPECT_THAT(RenderRuleGroupsSection({g}, kNow), HasSubstr("last evaluation never"));
  EXPECT_THAT(RenderRuleGroupsSection({}, kNow), HasSubstr("No rule groups loaded"));
}

TEST(StatusRulesTest, AlertmanagersShowDeliveryAndTheLastErrorOnlyWhileFailing) {
  EXPECT_EQ(RenderAlertmanagersSection({}, kNow), "");
  notifier::AlertmanagerStatus ok;
  ok.alertmanager = "http://127.0.0.1:9093/api/v2/alerts";
  ok.last_success = kNow - 12s;
  ok.last_error_message = "an old error";
  notifier::AlertmanagerStatus down;
  down.alertmanager = "http://10.0.0.2:9093/api/v2/alerts";
  down.consecutive_failures = 3;
  down.queue_length = 7;
  down.last_error_message = "connection_refused: connect to 10.0.0.2:9093";
  const std::string html = RenderAlertmanagersSection({ok, down}, kNow);
  const std::string ok_row = Between(html, "127.0.0.1:9093", "</tr>");
  EXPECT_THAT(ok_row, HasSubstr("12s ago"));
  EXPECT_THAT(ok_row, Not(HasSubstr("an old error")));
  const std::string down_row = Between(html, "10.0.0.2:9093/api", "</tr>");
  EXPECT_THAT(down_row, HasSubstr("never"));
  EXPECT_THAT(down_row, HasSubstr("<td>7</td>"));
  EXPECT_THAT(down_row, HasSubstr("3 failed attempts"));
  EXPECT_THAT(down_row, HasSubstr("connection_refused: connect to 10.0.0.2:9093"));
}

// The whole page from a Runtime: a recorded failure of one probe is self-scraped, the engine
// evaluates the rule file, and GET / shows the firing alert, the pending one, the failing rule,
// the group and the probes, without the API key the config reads from the environment.
TEST(StatusPageTest, ShowsTheEnginesGroupsRulesAndAlertsNextToTheProbes) {
  constexpr char kSecret[] = "status-page-secret-7f3a";
  ASSERT_EQ(::setenv("SMOKE_STATUS_PAGE_TEST_KEY", kSecret, 1), 0);
  testing::TempDir dir;
  dir.Write("smoke.rules.yml", R"(groups:
  - name: smoke_probes
    rules:
      - alert: ProbeDown
        expr: probe_success == 0
        labels: {severity: critical}
        annotations: {summary: "{{ $labels.probe }} is down"}
      - alert: ProbeDownForLong
        expr: probe_success == 0
        for: 10m
      - alert: Ambiguous
        expr: probe_success * on() vector(1)
)");
  const std::string config = dir.Write("smoke.yml", R"(global: {interval: 1m, timeout: 5s}
probes:
  - name: api_health
    kind: http
    component: api
    target: http://127.0.0.1:1/health
    http:
      headers: {X-Api-Key: {value_env: SMOKE_STATUS_PAGE_TEST_KEY}}
  - name: db_core
    kind: tcp
    component: database
    target: 127.0.0.1:1
rules:
  files: [smoke.rules.yml]
  evaluation_interval: 15s
)");
  core::ManualClock clock(kNow);
  RuntimeOptions options;
  options.config_file = config;
  options.clock = &clock;
  auto created = Runtime::Create(options);
  ASSERT_TRUE(created.ok()) << created.status().message();
  Runtime& rt = **created;

  core::ProbeResult failed;
  failed.outcome = core::Outcome::kFailed;
  failed.reason = core::Reason::kStatus;
  failed.message = "HTTP 503 <Service Unavailable>";
  failed.started = kNow - 2s;
  rt.results().Record("api_health", failed);
  core::ProbeResult ok;
  ok.outcome = core::Outcome::kOk;
  ok.reason = core::Reason::kNone;
  ok.started = kNow - 2s;
  rt.results().Record("db_core", ok);
  // Run the engine's loop body until the group has been evaluated once.
  for (int i = 0; i < 10; ++i) {
    rt.engine().RunOnce();
    const std::vector<ruler::GroupStatus> groups = rt.engine().Groups();
    if (!groups.empty() && groups[0].last_eval_ms != 0) break;
    clock.Set(std::max(clock.Now(), rt.engine().NextWakeup()));
  }

  HttpRequest req;
  req.method = "GET";
  req.path = "/";
  const HttpResponse page = HandleStatusPage(rt, req);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  const std::string& html = page.body;
  EXPECT_THAT(html, HasSubstr("1 firing, 1 pending."));
  const std::string firing = Between(html, "<b>ProbeDown</b>", "</tr>");
  EXPECT_THAT(firing, HasSubstr("<b>summary:</b> api_health is down"));
  EXPECT_THAT(firing, HasSubstr("probe=&quot;api_health&quot;"));
  EXPECT_THAT(firing, HasSubstr(">firing<"));
  EXPECT_THAT(Between(html, "<b>ProbeDownForLong</b>", "</tr>"), HasSubstr(">pending<"));
  // The group and its rules, with the failing rule's error.
  EXPECT_THAT(html, HasSubstr("<h3>smoke_probes</h3>"));
  EXPECT_THAT(html, HasSubstr((dir.path() / "smoke.rules.yml").string()));
  EXPECT_THAT(html, HasSubstr("Interval 15s"));
  const std::string ambiguous = Between(html, "<b>Ambiguous</b>", "</tr>");
  EXPECT_THAT(ambiguous, HasSubstr(">err</span>"));
  EXPECT_THAT(ambiguous, HasSubstr("many-to-one matching must be explicit"));
  // The probes, as before.
  EXPECT_THAT(html, HasSubstr("HTTP 503 &lt;Service Unavailable&gt;"));
  EXPECT_THAT(html, HasSubstr(">db_core</a>"));
  EXPECT_THAT(html, Not(HasSubstr(kSecret)));
  ::unsetenv("SMOKE_STATUS_PAGE_TEST_KEY");
}

}  // namespace
}  // namespace smoke::server
