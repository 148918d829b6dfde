// What the real exporter keeps across a shutdown, and what it does when the disk is full: the
// alert state (rules.state_file) and the sample store snapshot (storage.snapshot_file) are
// written on SIGTERM, even while a probe hangs against a blackhole, and a restart picks both up
// (the alert keeps its activeAt, old samples stay queryable). When writes fail with ENOSPC
// (the decision log is /dev/full, and so is each temporary file until its failed write removes
// it), the exporter logs why, keeps serving readiness verdicts (saying they were not logged),
// exits cleanly, and never leaves a corrupt file or a temporary file behind.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/fake_http_server.h"
#include "tests/support/fake_tcp_server.h"
#include "tests/support/http_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr char kRules[] = R"(groups:
  - name: persistence
    rules:
      - alert: ApiDown
        expr: probe_success{probe="api"} == 0
)";

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class FaultPersistenceTest : public ::testing::Test {
 protected:
  FaultPersistenceTest() : blackhole_([](FakeTcpServer::Connection& c) { c.WaitForStop(); }) {}

  void SetUp() override {
    api_.Respond("/health", 503, "down");
    dir_.Write("persistence.rules.yml", kRules);
  }

  void TearDown() override {
    if (exporter_) exporter_->Signal(SIGKILL);
  }

  // Probes every 500 ms (one of them hangs against the blackhole until its timeout), evaluates
  // every 500 ms; snapshots only at shutdown. `decision_log` is the decision log's path.
  void Start(const std::string& decision_log) {
    const std::string config =
        dir_.Write("smoke.yml",
                   "global: {interval: 500ms, timeout: 400ms, jitter: 0}\n"
                   "probes:\n"
                   "  - {name: api, kind: http, target: '" +
                       api_.base_url() + "/health'}\n" +
                       "  - {name: hanging, kind: http, target: 'http://127.0.0.1:" +
                       std::to_string(blackhole_.port()) +
                       "/'}\n"
                       "rules:\n"
                       "  files: [persistence.rules.yml]\n"
                       "  evaluation_interval: 500ms\n"
                       "  state_file: state.json\n"
                       "storage:\n"
                       "  snapshot_file: samples.snapshot\n"
                       "  snapshot_interval: 1h\n"
                       "readiness:\n"
                       "  decision_log: {path: '" +
                       decision_log + "'}\n");
    exporter_ = std::make_unique<Subprocess>(
        std::vector<std::string>{SMOKE_EXPORTER_BINARY, "--config.file=" + config,
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
        20s))
        << exporter_->Stderr();
    base_ = "http://127.0.0.1:" + m[1].str();
  }

  // SIGTERM while the blackhole probe hangs: the exporter must exit 0 well within its
  // shutdown deadline. Returns its log.
  std::string Stop() {
    exporter_->Signal(SIGTERM);
    EXPECT_EQ(exporter_->Wait(10s), std::optional<int>(0)) << exporter_->Stderr();
    const std::string log = exporter_->Stderr();
    exporter_.reset();
    return log;
  }

  // The firing ApiDown alert as GET /api/v1/alerts shows it.
  std::optional<json> FiringAlert() const {
    const json body = json::parse(HttpGet(base_ + "/api/v1/alerts").body, nullptr, false);
    if (body.is_discarded()) return std::nullopt;
    for (const json& a : body["data"]["alerts"]) {
      if (a["labels"].value("alertname", "") == "ApiDown" && a["state"] == "firing") return a;
    }
    return std::nullopt;
  }

  std::optional<json> WaitForFiringAlert() const {
    std::optional<json> alert;
    EXPECT_TRUE(WaitFor([&] { return (alert = FiringAlert()).has_value(); }, 20s))
        << exporter_->Stderr();
    return alert;
  }

  std::vector<std::string> TemporaryFiles() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
      if (e.path().extension() == ".tmp") out.push_back(e.path().filename().string());
    }
    return out;
  }

  TempDir dir_;
  FakeHttpServer api_;
  FakeTcpServer blackhole_;
  std::unique_ptr<Subprocess> exporter_;
  std::string base_;
};

TEST_F(FaultPersistenceTest, SigtermDuringHangingProbesKeepsAlertsAndSamplesForTheRestart) {
  Start((dir_.path() / "decisions.jsonl").string());
  const std::optional<json> before = WaitForFiringAlert();
  ASSERT_TRUE(before.has_value());
  const std::string first_log = Stop();
  EXPECT_THAT(first_log, Not(HasSubstr("cannot write")));
  EXPECT_THAT(first_log, Not(HasSubstr("cannot save")));
  EXPECT_THAT(ReadBytes(dir_.path() / "state.json"), HasSubstr("ApiDown"));
  EXPECT_GT(std::filesystem::file_size(dir_.path() / "samples.snapshot"), 0u);

  Start((dir_.path() / "decisions.jsonl").string());
  EXPECT_THAT(exporter_->Stderr(), HasSubstr("restored the sample store snapshot"));
  // The alert is the same one, not a new one that started firing after the restart.
  const std::optional<json> after = WaitForFiringAlert();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ((*after)["activeAt"], (*before)["activeAt"]) << after->dump();
  // Samples scraped before the restart are still there: at the time the alert started firing
  // (before this process existed) the store has the failing probe's 0.
  const json q =
      json::parse(HttpGet(base_ + "/api/v1/query?query=probe_success%7Bprobe%3D%22api%22%7D&time=" +
                          (*before)["activeAt"].get<std::string>())
                      .body,
                  nullptr, false);
  ASSERT_FALSE(q.is_discarded());
  ASSERT_EQ(q["data"]["result"].size(), 1u) << q.dump();
  EXPECT_EQ(q["data"]["result"][0]["value"][1], "0") << q.dump();
  Stop();
}

TEST_F(FaultPersistenceTest, FullDiskIsLoggedAndLeavesNoCorruptOrTemporaryFile) {
  // A first run leaves a good snapshot and state file.
  Start((dir_.path() / "decisions.jsonl").string());
  ASSERT_TRUE(WaitForFiringAlert().has_value());
  Stop();
  const std::string snapshot = ReadBytes(dir_.path() / "samples.snapshot");
  const std::string state = ReadBytes(dir_.path() / "state.json");
  ASSERT_FALSE(snapshot.empty());
  ASSERT_THAT(state, HasSubstr("ApiDown"));

  // Now the disk is full: writes to the decision log fail with ENOSPC, as writes to /dev/full
  // do, and so does the first write of each temporary file. The failed write removes its
  // temporary file (the symlink), so later writes of the alert state (after every evaluation)
  // find space again; the snapshot is written once, at shutdown.
  std::filesystem::create_symlink("/dev/full", dir_.path() / "samples.snapshot.tmp");
  std::filesystem::create_symlink("/dev/full", dir_.path() / "state.json.tmp");
  Start("/dev/full");
  ASSERT_TRUE(WaitForFiringAlert().has_value());

  // Readiness verdicts are still served, and say they were not logged and why.
  const HttpReply verdict = HttpGet(base_ + "/api/v1/readiness");
  EXPECT_TRUE(verdict.status == 200 || verdict.status == 503) << verdict.status << verdict.body;
  const json body = json::parse(verdict.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << verdict.body;
  EXPECT_EQ(body["logged"], false) << verdict.body;
  EXPECT_THAT(body.value("log_error", ""), HasSubstr("No space left on device")) << verdict.body;
  EXPECT_THAT(verdict.headers, HasSubstr("X-Smoke-Decision-Logged: false"));
  EXPECT_THAT(HttpGet(base_ + "/metrics").body,
              HasSubstr("smoke_readiness_decision_log_errors_total 1\n"));

  const std::string log = Stop();
  EXPECT_THAT(log, HasSubstr("cannot log release decision"));
  EXPECT_THAT(log, HasSubstr("cannot write the sample store snapshot"));
  EXPECT_THAT(log, HasSubstr("cannot save alert state"));
  EXPECT_THAT(log, HasSubstr("No space left on device"));
  // The snapshot from before the disk filled up, untouched. The state file is the old one or a
  // complete newer one, never a partial write. No temporary file is left behind.
  EXPECT_EQ(ReadBytes(dir_.path() / "samples.snapshot"), snapshot);
  const json saved = json::parse(ReadBytes(dir_.path() / "state.json"), nullptr, false);
  ASSERT_FALSE(saved.is_discarded()) << ReadBytes(dir_.path() / "state.json");
  EXPECT_THAT(saved.dump(), HasSubstr("ApiDown"));
  EXPECT_GE(saved.value("saved_at_ms", int64_t{0}),
            json::parse(state).value("saved_at_ms", int64_t{0}));
  EXPECT_THAT(TemporaryFiles(), ::testing::IsEmpty());
}

}  // namespace
}  // namespace smoke::testing
