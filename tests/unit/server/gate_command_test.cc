// `smoke_exporter gate` against an in-process HttpServer (port 0) answering as the readiness
// endpoint would: ready, blocked (the table a person reads), blocked then ready (--wait),
// malformed and contradictory answers, other statuses and a closed port. Waiting uses a clock
// that jumps to each deadline, so no test sleeps.

#include "exporter/server/gate_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <sstream>

#include "exporter/server/http_server.h"

namespace smoke::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// clang-format off
const char kReady[] = R"({"ready":true,"decision_id":"01K8DQ9Z1K7N3WQ0000000000A",
  "evaluated_at":"2025-10-25T04:08:00Z","violations":[],"waived":[],"waivers_unavailable":false})";

const char kBlocked[] = R"json({"ready":false,"decision_id":"01K8DQ9Z1K7N3WQ0000000000B",
  "evaluated_at":"2025-10-25T04:08:00Z",
  "violations":[
    {"alert":"ErrorRateCritical","reason":"error_rate_critical","component":"api",
     "probe":"notifications","severity":"critical","since":"2025-10-25T04:02:00Z","value":100,
     "summary":"GET /notifications/recent fails 100% (8 samples in 1m)","evidence":{},
     "runbook":""},
    {"alert":"","reason":"stale_data","component":"","probe":"","severity":"","since":null,
     "value":120,"summary":"","evidence":{"age_seconds":120},"runbook":""}],
  "waived":[
    {"alert":"ProbeFailed","reason":"ProbeFailed","component":"api","probe":"me_permissions",
     "silence_id":"7f3c","created_by":"alice","comment":"known, fix in PR 123",
     "ends_at":"2025-10-25T06:00:00Z"}],
  "waivers":{"enabled":true,"available":true},"waivers_unavailable":false})json";
// clang-format on

// Jumps to whatever time the gate sleeps until.
class SkippingClock : public core::Clock {
 public:
  core::TimePoint Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void SleepUntil(core::TimePoint deadline) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (deadline > now_) now_ = deadline;
    ++sleeps_;
  }
  void Wake() override {}
  int sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  core::TimePoint now_{std::chrono::seconds(1'761'365'280)};
  int sleeps_ = 0;
};

struct GateRun {
  int code;
  std::string out;
  std::string err;
};

class GateCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new HttpServer({.listen_address = "127.0.0.1:0", .threads = 2});
    server_->Route("/ready/api/v1/readiness",
                   [](const HttpRequest&) { return HttpResponse::Json(200, kReady); });
    server_->Route("/blocked/api/v1/readiness",
                   [](const HttpRequest&) { return HttpResponse::Json(503, kBlocked); });
    server_->Route("/malformed/api/v1/readiness", [](const HttpRequest&) {
      return HttpResponse::Text(200, "<html>maintenance</html>");
    });
    server_->Route("/wrongshape/api/v1/readiness",
                   [](const HttpRequest&) { return HttpResponse::Json(503, R"({"ready":"no"})"); });
    server_->Route("/contradictory/api/v1/readiness", [](const HttpRequest&) {
      return HttpResponse::Json(503, R"({"ready":true,"violations":[]})");
    });
    server_->Route("/error/api/v1/readiness",
                   [](const HttpRequest&) { return HttpResponse::Text(500, "internal error"); });
    // Blocked for the first two questions, then ready.
    server_->Route("/flip/api/v1/readiness", [](const HttpRequest&) {
      return ++flips_ <= 2 ? HttpResponse::Json(503, kBlocked) : HttpResponse::Json(200, kReady);
    });
    server_->Route("/echo/api/v1/readiness", [](const HttpRequest& req) {
      std::lock_guard<std::mutex> lock(mu_);
      last_query_ = req.query;
      return HttpResponse::Json(200, kReady);
    });
    ASSERT_TRUE(server_->Start().ok());
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  static void TearDownTestSuite() { delete server_; }

  static GateRun Gate(const std::string& path, const std::string& wait = "0s",
                      std::vector<std::string> selectors = {}, SkippingClock* clock = nullptr) {
    SkippingClock local;
    GateCommandOptions o;
    o.url = base_ + path;
    o.wait = wait;
    o.interval = "10s";
    o.selectors = std::move(selectors);
    o.clock = clock ? clock : &local;
    o.request_timeout = std::chrono::seconds(5);
    std::ostringstream out, err;
    const int code = RunGateCommand(o, out, err);
    return {code, out.str(), err.str()};
  }

  static HttpServer* server_;
  static std::string base_;
  static std::atomic<int> flips_;
  static std::mutex mu_;
  static std::string last_query_;
};

HttpServer* GateCommandTest::server_ = nullptr;
std::string GateCommandTest::base_;
std::atomic<int> GateCommandTest::flips_{0};
std::mutex GateCommandTest::mu_;
std::string GateCommandTest::last_query_;

TEST_F(GateCommandTest, ReadyExitsZero) {
  const GateRun r = Gate("/ready");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "READY: decision 01K8DQ9Z1K7N3WQ0000000000A evaluated 2025-10-25T04:08:00Z\n");
}

TEST_F(GateCommandTest, BlockedExitsOneAndPrintsTheViolationsAsATable) {
  const GateRun r = Gate("/blocked");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out,
            "BLOCKED: 2 violations (decision 01K8DQ9Z1K7N3WQ0000000000B, evaluated "
            "2025-10-25T04:08:00Z)\n"
            "ALERT              REASON               COMPONENT  PROBE          SEVERITY  SINCE  "
            "               EVIDENCE\n"
            "ErrorRateCritical  error_rate_critical  api        notifications  critical  "
            "2025-10-25T04:02:00Z  GET /notifications/recent fails 100% (8 samples in 1m)\n"
            "-                  stale_data           -          -              -         -      "
            "               {\"age_seconds\":120}\n"
            "\n"
            "Waived by Alertmanager silences:\n"
            "ALERT        REASON       SILENCE  CREATED_BY  ENDS_AT               COMMENT\n"
            "ProbeFailed  ProbeFailed  7f3c     alice       2025-10-25T06:00:00Z  known, fix in "
            "PR 123\n");
}

TEST_F(GateCommandTest, WaitsUntilReady) {
  flips_ = 0;
  SkippingClock clock;
  const GateRun r = Gate("/flip", "10m", {}, &clock);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("READY"));
  EXPECT_EQ(clock.sleeps(), 2);
  EXPECT_THAT(r.err, HasSubstr("blocked: 2 violation(s): error_rate_critical, stale_data; "
                               "asking again in 10s (10m left)"));
}

TEST_F(GateCommandTest, GivesUpBlockedWhenTheWaitRunsOut) {
  SkippingClock clock;
  const GateRun r = Gate("/blocked", "35s", {}, &clock);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("BLOCKED: 2 violations"));
  // Asked at 0s, 10s, 20s, 30s and once more at the deadline (35s).
  EXPECT_EQ(clock.sleeps(), 4);
}

TEST_F(GateCommandTest, UndecidableAnswersExitTwo) {
  const struct {
    const char* path;
    const char* error;
  } cases[] = {
      {"/malformed",
       "did not answer with a readiness verdict (HTTP 200): <html>maintenance</html>"},
      {"/wrongshape", "did not answer with a readiness verdict (HTTP 503)"},
      {"/contradictory", "answered a contradictory verdict (HTTP 503, ready with 0 violations)"},
      {"/error", "answered HTTP 500: internal error"},
      {"/nothing-here", "answered HTTP 404"},
  };
  for (const auto& c : cases) {
    const GateRun r = Gate(c.path);
    EXPECT_EQ(r.code, 2) << c.path;
    EXPECT_EQ(r.out, "") << c.path;
    EXPECT_THAT(r.err, HasSubstr(c.error)) << c.path;
  }
}

TEST_F(GateCommandTest, ClosedPortIsUndecidable) {
  // Port 1 (tcpmux) is not served on loopback: connecting is refused.
  GateCommandOptions o;
  o.url = "http://127.0.0.1:1";
  SkippingClock clock;
  o.clock = &clock;
  std::ostringstream out, err;
  EXPECT_EQ(RunGateCommand(o, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("cannot reach http://127.0.0.1:1/api/v1/readiness"));
}

TEST_F(GateCommandTest, UndecidableWhileWaitingIsRetriedAndTheLastAnswerDecides) {
  SkippingClock clock;
  const GateRun r = Gate("/malformed", "20s", {}, &clock);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(clock.sleeps(), 2);
  EXPECT_THAT(r.err, HasSubstr("undecidable: "));
  EXPECT_THAT(r.err, HasSubstr("gave up after 20s"));
}

TEST_F(GateCommandTest, SelectorsBecomeQueryParameters) {
  const GateRun r = Gate("/echo/", "0s", {"component=api", "env=stag ing&x"});
  EXPECT_EQ(r.code, 0) << r.err;
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_EQ(last_query_, "component=api&env=stag%20ing%26x");
}

TEST_F(GateCommandTest, AFullReadinessUrlIsUsedAsIs) {
  GateCommandOptions o;
  o.url = base_ + "/ready/api/v1/readiness";
  SkippingClock clock;
  o.clock = &clock;
  std::ostringstream out, err;
  EXPECT_EQ(RunGateCommand(o, out, err), 0) << err.str();
}

TEST_F(GateCommandTest, BadFlagsExitTwo) {
  const struct {
    std::string wait, interval;
    std::vector<std::string> selectors;
    const char* error;
  } cases[] = {
      {"soon", "10s", {}, "invalid --wait \"soon\""},
      {"1m", "0s", {}, "invalid --interval \"0s\""},
      {"1m", "10s", {"component"}, "invalid --selector \"component\""},
      {"1m", "10s", {"1x=y"}, "invalid --selector \"1x=y\""},
      {"1m", "10s", {"x="}, "invalid --selector \"x=\""},
  };
  for (const auto& c : cases) {
    GateCommandOptions o;
    o.url = base_ + "/ready";
    o.wait = c.wait;
    o.interval = c.interval;
    o.selectors = c.selectors;
    std::ostringstream out, err;
    EXPECT_EQ(RunGateCommand(o, out, err), 2) << c.error;
    EXPECT_THAT(err.str(), HasSubstr(c.error));
  }
}

}  // namespace
}  // namespace smoke::server
