// PostgreSQL and Redis killed with SIGKILL in the middle of a run and started again on the same
// ports (scripts/pg.sh, scripts/redis.sh): the running exporter reports each as failing with a
// connection reason, then as passing again, without being restarted itself.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/integration/monitoring_service_script.h"
#include "tests/support/http_client.h"
#include "tests/support/shell.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace smoke::testing {
namespace {

using namespace std::chrono_literals;

const std::string kScripts = std::string(SMOKE_SOURCE_DIR) + "/scripts/";
constexpr char kPassword[] = "Restart-5a1c-pw";

// The pid in the first line of `file` (postmaster.pid, redis.pid).
pid_t PidFrom(const std::string& file) {
  std::ifstream in(file);
  pid_t pid = -1;
  in >> pid;
  return pid;
}

class FaultRestartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = std::make_unique<ScriptService>(kScripts + "pg.sh");
    int status = 0;
    const std::string out = Shell(
        kScripts + "pg.sh psql " + ShellQuote(pg_->dir()) + " " +
            ShellQuote(std::string("CREATE ROLE app LOGIN PASSWORD '") + kPassword + "'") + " 2>&1",
        &status);
    ASSERT_EQ(status, 0) << out;
    redis_ = std::make_unique<ScriptService>(kScripts + "redis.sh");
    const std::string config = dir_.Write("smoke.yml",
                                          "global: {interval: 1s, timeout: 1s, jitter: 0}\n"
                                          "probes:\n"
                                          "  - name: db\n"
                                          "    kind: postgres\n"
                                          "    target: postgresql://app@127.0.0.1:" +
                                              std::to_string(pg_->port()) +
                                              "/postgres?sslmode=disable\n"
                                              "    postgres: {password_env: RESTART_PG_PASSWORD}\n"
                                              "  - name: cache\n"
                                              "    kind: redis\n"
                                              "    target: 127.0.0.1:" +
                                              std::to_string(redis_->port()) + "\n");
    exporter_ = std::make_unique<Subprocess>(
        std::vector<std::string>{SMOKE_EXPORTER_BINARY, "--config.file=" + config,
                                 "--web.listen-address=127.0.0.1:0"},
        dir_.path().string(),
        std::vector<std::string>{std::string("RESTART_PG_PASSWORD=") + kPassword});
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

  // probe name -> "outcome reason" of its latest run.
  std::map<std::string, std::string> States() {
    std::map<std::string, std::string> out;
    const HttpReply r = HttpGet(base_ + "/api/v1/probes");
    const nlohmann::json doc = nlohmann::json::parse(r.body, nullptr, false);
    if (r.status != 200 || doc.is_discarded()) return out;
    for (const nlohmann::json& p : doc["data"]) {
      if (!p.contains("last")) continue;
      out[p["name"].get<std::string>()] =
          p["last"]["outcome"].get<std::string>() + " " + p["last"]["reason"].get<std::string>();
    }
    return out;
  }

  bool WaitForStates(const std::map<std::string, std::string>& want) {
    return WaitFor([&] { return States() == want; }, 30s);
  }

  TempDir dir_;
  std::unique_ptr<ScriptService> pg_;
  std::unique_ptr<ScriptService> redis_;
  std::unique_ptr<Subprocess> exporter_;
  std::string base_;
};

TEST_F(FaultRestartTest, KilledDatabaseAndCacheFailThenRecoverWithoutRestartingTheExporter) {
  const std::map<std::string, std::string> healthy = {{"db", "ok none"}, {"cache", "ok none"}};
  ASSERT_TRUE(WaitForStates(healthy)) << ::testing::PrintToString(States()) << exporter_->Stderr();

  ASSERT_EQ(::kill(PidFrom(pg_->dir() + "/data/postmaster.pid"), SIGKILL), 0);
  ASSERT_EQ(::kill(PidFrom(redis_->dir() + "/redis.pid"), SIGKILL), 0);
  EXPECT_TRUE(
      WaitForStates({{"db", "failed connection_refused"}, {"cache", "failed connection_refused"}}))
      << ::testing::PrintToString(States());

  // Started again in place: PostgreSQL on its initialised directory (same port, crash recovery),
  // Redis on the same port.
  int status = 0;
  std::string out = Shell(kScripts + "pg.sh start " + ShellQuote(pg_->dir()) + " 2>&1", &status);
  ASSERT_EQ(status, 0) << out;
  out = Shell("REDIS_PORT=" + std::to_string(redis_->port()) + " " + kScripts + "redis.sh start " +
                  ShellQuote(redis_->dir()) + " 2>&1",
              &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_TRUE(WaitForStates(healthy)) << ::testing::PrintToString(States());
  EXPECT_EQ(exporter_->Wait(0ms), std::nullopt) << "the exporter itself was not restarted";
}

}  // namespace
}  // namespace smoke::testing
