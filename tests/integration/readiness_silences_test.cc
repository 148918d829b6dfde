// Waivers against a real Alertmanager 0.25 (Debian's prometheus-alertmanager, started on loopback
// by scripts/alertmanager.sh; silences created and expired with amtool, as an operator would):
// the silences client reads active silences with their matchers, and the served verdict lists a
// silenced blocker under "waived" (id, creator, comment, ends at) while other blockers still
// block, until the silence is expired.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>

#include "exporter/readiness/silences_client.h"
#include "exporter/server/readiness_service.h"
#include "tests/support/shell.h"

namespace smoke::readiness {
namespace {

using ::smoke::testing::Shell;
using ::smoke::testing::ShellQuote;
using ::testing::ElementsAre;
using ::testing::SizeIs;

const std::string kScript = std::string(SMOKE_SOURCE_DIR) + "/scripts/alertmanager.sh";

// One Alertmanager in a fresh directory, stopped (directory removed) on destruction.
class Alertmanager {
 public:
  Alertmanager() {
    char dir[] = "/tmp/smoke-am-readiness-XXXXXX";
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    int status = 0;
    const std::string out = Shell(kScript + " start " + ShellQuote(dir_) + " 2>&1", &status);
    const size_t at = out.find("URL=");
    if (status != 0 || at == std::string::npos) {
      throw std::runtime_error("alertmanager.sh start: " + out);
    }
    url_ = out.substr(at + 4, out.find('\n', at) - at - 4);
  }
  ~Alertmanager() { Shell(kScript + " stop " + ShellQuote(dir_)); }
  Alertmanager(const Alertmanager&) = delete;
  Alertmanager& operator=(const Alertmanager&) = delete;

  const std::string& url() const { return url_; }

  // `amtool silence add`; returns the silence id.
  std::string Silence(const std::string& matchers, const std::string& author,
                      const std::string& comment) const {
    int status = 0;
    const std::string id =
        Shell("amtool --alertmanager.url=" + ShellQuote(url_) + " silence add --duration=2h" +
                  " --author=" + ShellQuote(author) + " --comment=" + ShellQuote(comment) + " " +
                  matchers + " 2>&1",
              &status);
    if (status != 0) throw std::runtime_error("amtool silence add: " + id);
    return id;
  }
  void Expire(const std::string& id) const {
    int status = 0;
    const std::string out = Shell("amtool --alertmanager.url=" + ShellQuote(url_) +
                                      " silence expire " + ShellQuote(id) + " 2>&1",
                                  &status);
    if (status != 0) throw std::runtime_error("amtool silence expire: " + out);
  }

 private:
  std::string dir_;
  std::string url_;
};

const LabelMap kNotifications = {{"alertname", "ErrorRateCritical"},
                                 {"reason", "error_rate_critical"},
                                 {"probe", "notifications"},
                                 {"component", "api"},
                                 {"severity", "critical"}};
const LabelMap kPermissions = {{"alertname", "ErrorRateCritical"},
                               {"reason", "error_rate_critical"},
                               {"probe", "me_permissions"},
                               {"component", "api"},
                               {"severity", "critical"}};

TEST(ReadinessSilencesTest, ClientReadsActiveSilencesWithAlertmanagersMatcherEncoding) {
  Alertmanager am;
  const std::string id =
      am.Silence(R"('probe=~"notif.*"' 'severity!=info' alertname=ErrorRateCritical)", "alice",
                 "known: notifications route, fix in PR 123");
  const std::string expired = am.Silence("probe=db_core", "bob", "old");
  am.Expire(expired);

  core::ManualClock clock(std::chrono::system_clock::now());
  SilencesClientOptions o;
  o.alertmanagers = {{.url = am.url()}};
  o.clock = &clock;
  SilencesClient client(o);
  const SilencesAnswer a = client.Get();
  ASSERT_TRUE(a.ok) << a.error;
  ASSERT_THAT(a.silences, SizeIs(1)) << "the expired silence is left out";
  const Silence& s = a.silences[0];
  EXPECT_EQ(s.id, id);
  EXPECT_EQ(s.created_by, "alice");
  EXPECT_EQ(s.comment, "known: notifications route, fix in PR 123");
  EXPECT_EQ(s.state, "active");
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
  EXPECT_TRUE(IsActive(s, now_ms));
  EXPECT_NEAR(s.ends_at_ms - now_ms, 2 * 3600 * 1000, 60'000);
  EXPECT_TRUE(SilenceMatches(s, kNotifications));
  EXPECT_FALSE(SilenceMatches(s, kPermissions));
  LabelMap info = kNotifications;
  info["severity"] = "info";
  EXPECT_FALSE(SilenceMatches(s, info)) << "severity!=info, as Alertmanager encodes it";
}

TEST(ReadinessSilencesTest, SilenceWaivesOneBlockerOthersStillBlockUntilExpired) {
  Alertmanager am;
  core::ManualClock clock(std::chrono::system_clock::now());
  std::mutex mu;
  Inputs inputs;
  inputs.engine.iterations = 5;
  for (const LabelMap& labels : {kNotifications, kPermissions}) {
    AlertInput a;
    a.labels = labels;
    a.state = "firing";
    a.active_at_ms = 1;
    inputs.alerts.push_back(a);
  }
  server::ReadinessServiceOptions o;
  o.clock = &clock;
  o.inputs = [&] {
    std::lock_guard<std::mutex> lock(mu);
    Inputs in = inputs;
    in.engine.last_iteration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
            .count();
    return in;
  };
  server::ReadinessService service(o);
  config::Config cfg;
  cfg.alerting.alertmanagers.emplace_back();
  cfg.alerting.alertmanagers[0].url = am.url();
  cfg.readiness.waivers.enabled = true;
  ASSERT_TRUE(service.Configure(cfg).ok());

  auto reasons = [](const Verdict& v) {
    std::vector<std::string> probes;
    for (const Violation& x : v.violations) probes.push_back(x.probe);
    return probes;
  };
  Verdict v = service.Serve({}).verdict;
  EXPECT_FALSE(v.ready);
  EXPECT_FALSE(v.waivers_unavailable) << v.waivers_error;
  EXPECT_THAT(reasons(v), ElementsAre("me_permissions", "notifications"));

  const std::string id = am.Silence("probe=notifications", "alice", "fix in PR 123");
  clock.Advance(std::chrono::seconds(5));  // past the silences cache
  v = service.Serve({}).verdict;
  EXPECT_FALSE(v.ready) << "the other route still fails";
  EXPECT_THAT(reasons(v), ElementsAre("me_permissions"));
  ASSERT_THAT(v.waived, SizeIs(1));
  EXPECT_EQ(v.waived[0].violation.probe, "notifications");
  EXPECT_EQ(v.waived[0].silence_id, id);
  EXPECT_EQ(v.waived[0].created_by, "alice");
  EXPECT_EQ(v.waived[0].comment, "fix in PR 123");
  EXPECT_GT(v.waived[0].ends_at_ms, v.evaluated_at_ms);

  // Scoped to the waived probe, the release may go.
  EXPECT_TRUE(service.Serve({{"probe", "notifications"}}).verdict.ready);

  am.Expire(id);
  clock.Advance(std::chrono::seconds(5));
  v = service.Serve({}).verdict;
  EXPECT_THAT(reasons(v), ElementsAre("me_permissions", "notifications"));
  EXPECT_THAT(v.waived, SizeIs(0));
}

TEST(ReadinessSilencesTest, UnreachableAlertmanagerMakesWaiversUnavailable) {
  core::ManualClock clock(std::chrono::system_clock::now());
  server::ReadinessServiceOptions o;
  o.clock = &clock;
  o.inputs = [&] {
    Inputs in;
    in.engine.iterations = 5;
    in.engine.last_iteration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
            .count();
    AlertInput a;
    a.labels = kNotifications;
    a.state = "firing";
    in.alerts = {a};
    return in;
  };
  server::ReadinessService service(o);
  config::Config cfg;
  std::string url;
  {
    Alertmanager am;  // started and stopped: its port is now closed
    url = am.url();
  }
  cfg.alerting.alertmanagers.emplace_back();
  cfg.alerting.alertmanagers[0].url = url;
  cfg.readiness.waivers.enabled = true;
  ASSERT_TRUE(service.Configure(cfg).ok());
  const Verdict v = service.Serve({}).verdict;
  EXPECT_FALSE(v.ready);
  EXPECT_TRUE(v.waivers_unavailable);
  EXPECT_THAT(v.waivers_error, ::testing::HasSubstr(url + "/api/v2/silences: connection_refused"));
  EXPECT_THAT(v.violations, SizeIs(1));
}

}  // namespace
}  // namespace smoke::readiness
