// The redis probe against real redis-server 7 processes on loopback (scripts/redis.sh), each
// failure created for real: requirepass without a password (NOAUTH), a wrong password, an ACL
// user without +set, maxmemory with noeviction (OOM), a read-only replica, a stopped server, a
// paused server. One plain server serves the suite; a test that needs a different server starts
// its own, and every server is stopped when its test (or the suite) ends.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/probe.h"
#include "tests/support/probe_result_inspect.h"
#include "tests/support/shell.h"
#include "tests/support/subprocess.h"

namespace smoke::probes {
namespace {

using ::smoke::testing::Describe;
using ::smoke::testing::Detail;
using ::smoke::testing::FindAssertion;
using ::smoke::testing::EverythingShown;
using ::smoke::testing::Measured;
using ::smoke::testing::Shell;
using ::smoke::testing::ShellQuote;

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::AllOf;
using ::testing::Ge;
using ::testing::Gt;
using ::testing::HasSubstr;
using ::testing::Lt;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kScript = std::string(SMOKE_SOURCE_DIR) + "/scripts/redis.sh";

// One redis-server started by scripts/redis.sh in a fresh directory, stopped (and the directory
// removed) on destruction.
class RedisServer {
 public:
  explicit RedisServer(const std::vector<std::string>& args = {}) {
    char dir[] = "/tmp/smoke-redis-XXXXXX";  // short: unix socket paths are limited to 107 bytes
    if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir;
    std::string command = kScript + " start " + ShellQuote(dir_);
    for (const std::string& a : args) command += " " + ShellQuote(a);
    int status = 0;
    const std::string out = Shell(command, &status);
    for (size_t pos = 0; pos < out.size();) {
      const size_t nl = out.find('\n', pos);
      const std::string line = out.substr(pos, nl - pos);
      if (line.rfind("PORT=", 0) == 0) port_ = std::stoi(line.substr(5));
      if (line.rfind("SOCKET=", 0) == 0) socket_ = line.substr(7);
      pos = nl == std::string::npos ? out.size() : nl + 1;
    }
    if (status != 0 || port_ == 0) {
      Stop();
      throw std::runtime_error("redis.sh start failed: " + out);
    }
  }
  ~RedisServer() { Stop(); }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  void Stop() {
    if (stopped_) return;
    stopped_ = true;
    Shell(kScript + " stop " + ShellQuote(dir_));
  }
  // redis-cli against this server; `args` are passed as separate words.
  std::string Cli(const std::vector<std::string>& args) const {
    std::string command = kScript + " cli " + ShellQuote(dir_);
    for (const std::string& a : args) command += " " + ShellQuote(a);
    return Shell(command + " 2>&1");
  }
  // An INFO field via redis-cli ("" if absent).
  std::string InfoField(const std::string& field, const std::vector<std::string>& auth = {}) const {
    std::vector<std::string> args = auth;
    args.push_back("INFO");
    const std::string info = Cli(args);
    const std::string prefix = field + ":";
    size_t pos = info.find("\n" + prefix);
    if (pos == std::string::npos) return "";
    pos += 1 + prefix.size();
    std::string value = info.substr(pos, info.find('\n', pos) - pos);
    while (!value.empty() && value.back() == '\r') value.pop_back();
    return value;
  }

  int port() const { return port_; }
  std::string tcp_target() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string unix_target() const { return "unix://" + socket_; }

 private:
  std::string dir_;
  int port_ = 0;
  std::string socket_;
  bool stopped_ = false;
};

config::ProbeSpec Spec(const std::string& target) {
  config::ProbeSpec spec;
  spec.name = "cache";
  spec.kind = "redis";
  spec.component = "cache";
  spec.target = target;
  spec.timeout = seconds(5);
  return spec;
}

core::Secret Password(const std::string& value) {
  return core::Secret::Resolved(value, "env:REDIS_PASSWORD");
}

core::ProbeResult RunProbe(const config::ProbeSpec& spec, milliseconds timeout = seconds(5)) {
  core::Result<ProbePtr> probe = MakeProbe(spec);
  EXPECT_TRUE(probe.ok()) << probe.status().message();
  if (!probe.ok()) return {};
  RunContext ctx;
  ctx.deadline = ctx.clock->Now() + timeout;
  return (*probe)->Run(ctx);
}

class RedisProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RedisServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static RedisServer* server_;
};

RedisServer* RedisProbeTest::server_ = nullptr;

TEST_F(RedisProbeTest, PassesEveryCheckAndDeletesItsKey) {
  ASSERT_EQ(server_->Cli({"SET", "feature_flags", "{}"}), "OK");
  config::ProbeSpec spec = Spec(server_->tcp_target());
  spec.redis.max_ping_latency = seconds(1);
  spec.redis.min_hit_ratio = 0.0;
  spec.redis.expect_role = "master";
  spec.redis.keys_exist = {"feature_flags"};
  spec.redis.min_keys = 1;

  const core::ProbeResult r = RunProbe(spec);
  ASSERT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kNone);
  EXPECT_THAT(r.message,
              AllOf(HasSubstr("PONG in"), HasSubstr("role master"), HasSubstr("round trip ok")));
  for (const char* name : {"ping", "ping_latency", "info", "hit_ratio", "role",
                           "key_exists_feature_flags", "min_keys", "round_trip"}) {
    const core::AssertionResult* a = FindAssertion(r, name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_TRUE(a->passed) << name << ": " << a->actual;
  }
  EXPECT_EQ(r.assertions.size(), 8u);

  EXPECT_EQ(r.evidence.resolved_address, server_->tcp_target());
  EXPECT_THAT(Detail(r, "redis_version"), StartsWith("7."));
  EXPECT_EQ(Detail(r, "role"), "master");
  EXPECT_THAT(Detail(r, "used_memory"), Not(""));

  EXPECT_EQ(Measured(r, "redis_up"), 1);
  EXPECT_THAT(Measured(r, "redis_memory_used_bytes").value_or(0), Gt(0));
  EXPECT_EQ(Measured(r, "redis_memory_max_bytes"), 0);  // no maxmemory configured
  EXPECT_THAT(Measured(r, "redis_connected_clients").value_or(0), Ge(1));
  for (const char* name :
       {"redis_blocked_clients", "redis_rejected_connections_total", "redis_evicted_keys_total",
        "redis_keyspace_hits_total", "redis_keyspace_misses_total"}) {
    EXPECT_TRUE(Measured(r, name).has_value()) << name;
  }
  EXPECT_EQ(Measured(r, "redis_master_link_up"), std::nullopt);  // a master has no link
  EXPECT_THAT(Measured(r, "redis_db_keys", {{"db", "db0"}}).value_or(0), Ge(1));
  EXPECT_EQ(Measured(r, "redis_instance_info",
                     {{"redis_version", Detail(r, "redis_version")}, {"role", "master"}}),
            1);
  for (const char* phase : {"connect", "auth", "ping", "info", "keys", "round_trip"}) {
    EXPECT_TRUE(Measured(r, "smoke_redis_phase_duration_seconds", {{"phase", phase}}).has_value())
        << phase;
  }

  const std::string key = Detail(r, "round_trip_key");
  EXPECT_THAT(key, StartsWith("smoke_exporter:cache:"));
  EXPECT_EQ(server_->Cli({"EXISTS", key}), "0");
  EXPECT_EQ(server_->Cli({"--scan", "--pattern", "smoke_exporter:*"}), "");
  EXPECT_EQ(server_->Cli({"GET", "feature_flags"}), "{}");  // other keys untouched
}

TEST_F(RedisProbeTest, UnixSocketTargetWorks) {
  const core::ProbeResult r = RunProbe(Spec(server_->unix_target()));
  ASSERT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  EXPECT_EQ(r.evidence.resolved_address, "unix:" + server_->unix_target().substr(7));
  EXPECT_EQ(Detail(r, "transport"), "unix");
}

TEST_F(RedisProbeTest, FailsWithAssertionWhenAKeyIsMissingAndStillRunsTheOtherChecks) {
  config::ProbeSpec spec = Spec(server_->tcp_target());
  spec.redis.keys_exist = {"no_such_key_anywhere"};
  spec.redis.min_keys = 1000000;
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kAssertion);
  EXPECT_THAT(r.message, AllOf(HasSubstr("key_exists_no_such_key_anywhere"),
                               HasSubstr("also failed: min_keys")));
  ASSERT_NE(FindAssertion(r, "key_exists_no_such_key_anywhere"), nullptr);
  EXPECT_EQ(FindAssertion(r, "key_exists_no_such_key_anywhere")->actual, "missing");
  ASSERT_NE(FindAssertion(r, "round_trip"), nullptr);
  EXPECT_TRUE(FindAssertion(r, "round_trip")->passed);
}

TEST_F(RedisProbeTest, HitRatioIsNotEvaluatedBeforeAnyLookupAndFailsWhenTooLow) {
  RedisServer server;
  config::ProbeSpec spec = Spec(server.tcp_target());
  spec.redis.round_trip = false;  // its GET would count as a hit
  spec.redis.min_hit_ratio = 0.9;
  core::ProbeResult r = RunProbe(spec);
  ASSERT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  ASSERT_NE(FindAssertion(r, "hit_ratio"), nullptr);
  EXPECT_THAT(FindAssertion(r, "hit_ratio")->actual, HasSubstr("not evaluated: no keyspace lookups yet"));
  EXPECT_EQ(Measured(r, "smoke_redis_keyspace_hit_ratio"), std::nullopt);

  for (int i = 0; i < 3; ++i) server.Cli({"GET", "missing_" + std::to_string(i)});
  r = RunProbe(spec);
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kAssertion);
  EXPECT_EQ(FindAssertion(r, "hit_ratio")->actual, "0 (keyspace_hits 0, keyspace_misses 3)");
  EXPECT_EQ(Measured(r, "smoke_redis_keyspace_hit_ratio"), 0);
}

TEST_F(RedisProbeTest, SelectsTheConfiguredDatabase) {
  ASSERT_EQ(server_->Cli({"-n", "3", "SET", "only_in_db3", "1"}), "OK");
  config::ProbeSpec spec = Spec(server_->tcp_target());
  spec.redis.db = 3;
  spec.redis.keys_exist = {"only_in_db3"};
  core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  EXPECT_EQ(Measured(r, "redis_db_keys", {{"db", "db3"}}), 1);

  spec.redis.db = 99;  // the default server has 16 databases
  r = RunProbe(spec);
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kDatabaseMissing);
  EXPECT_THAT(r.message, HasSubstr("SELECT: ERR DB index is out of range"));
}

TEST_F(RedisProbeTest, FailsWithAuthRequiredWhenServerNeedsPassword) {
  RedisServer server({"--requirepass", "the-real-password"});
  const core::ProbeResult r = RunProbe(Spec(server.tcp_target()));
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kAuthRequired);
  EXPECT_THAT(r.message, AllOf(HasSubstr("PING: NOAUTH Authentication required"),
                               HasSubstr("set password_file or password_env")));
  EXPECT_EQ(Detail(r, "redis_error_code"), "NOAUTH");
  EXPECT_EQ(Measured(r, "redis_up"), 0);
  // Seed 000 counted SET/GET as passed while Redis said "Authentication required": here no
  // check passes, and the ones that could not run say so.
  for (const core::AssertionResult& a : r.assertions) EXPECT_FALSE(a.passed) << a.name;
  ASSERT_NE(FindAssertion(r, "round_trip"), nullptr);
  EXPECT_THAT(FindAssertion(r, "round_trip")->actual, StartsWith("not run"));
  EXPECT_EQ(FindAssertion(r, "ping")->reason, core::Reason::kAuthRequired);
}

TEST_F(RedisProbeTest, FailsWithAuthFailedOnWrongPasswordAndNeverShowsIt) {
  RedisServer server({"--requirepass", "the-real-password"});
  config::ProbeSpec spec = Spec(server.tcp_target());
  spec.redis.password = Password("Wr0ng-Pa55word-xyz");
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kAuthFailed);
  EXPECT_THAT(r.message, AllOf(HasSubstr("AUTH: WRONGPASS"),
                               HasSubstr("password <secret from env:REDIS_PASSWORD>")));
  EXPECT_EQ(Detail(r, "redis_error_code"), "WRONGPASS");
  EXPECT_THAT(EverythingShown(r),
              AllOf(Not(HasSubstr("Wr0ng-Pa55word-xyz")), Not(HasSubstr("the-real-password"))));
}

TEST_F(RedisProbeTest, PassesWithTheRightPasswordAndNeverShowsIt) {
  RedisServer server({"--requirepass", "Right-Pa55word-abc"});
  config::ProbeSpec spec = Spec(server.tcp_target());
  spec.redis.password = Password("Right-Pa55word-abc");
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, core::Outcome::kOk) << Describe(r);
  EXPECT_EQ(Detail(r, "auth"), "default user, password <secret from env:REDIS_PASSWORD>");
  EXPECT_THAT(EverythingShown(r), Not(HasSubstr("Right-Pa55word-abc")));
}

TEST_F(RedisProbeTest, FailsWithPermissionDeniedWhenAclUserCannotSet) {
  ASSERT_EQ(
      server_->Cli({"ACL", "SETUSER", "limited", "on", ">limited-Pa55", "~*", "+@all", "-set"}),
      "OK");
  config::ProbeSpec spec = Spec(server_->tcp_target());
  spec.redis.username = "limited";
  spec.redis.password = Password("limited-Pa55");
  const core::ProbeResult r = RunProbe(spec);
  server_->Cli({"ACL", "DELUSER", "limited"});
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kPermissionDenied);
  ASSERT_NE(FindAssertion(r, "ping"), nullptr);
  EXPECT_TRUE(FindAssertion(r, "ping")->passed);
  EXPECT_TRUE(FindAssertion(r, "info")->passed);
  const core::AssertionResult* round_trip = FindAssertion(r, "round_trip");
  ASSERT_NE(round_trip, nullptr);
  EXPECT_FALSE(round_trip->passed);
  EXPECT_EQ(round_trip->reason, core::Reason::kPermissionDenied);
  EXPECT_THAT(round_trip->actual, HasSubstr("SET: NOPERM"));
  EXPECT_EQ(Detail(r, "redis_error_code"), "NOPERM");
  EXPECT_EQ(Detail(r, "redis_error_command"), "SET");
  EXPECT_EQ(Detail(r, "auth"), "user \"limited\", password <secret from env:REDIS_PASSWORD>");
  EXPECT_THAT(EverythingShown(r), Not(HasSubstr("limited-Pa55")));
}

TEST_F(RedisProbeTest, FailsWithOomWhenMaxmemoryIsReachedWithNoeviction) {
  RedisServer server({"--maxmemory-policy", "noeviction"});
  ASSERT_EQ(server.Cli({"CONFIG", "SET", "maxmemory", "1"}), "OK");
  const core::ProbeResult r = RunProbe(Spec(server.tcp_target()));
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kOom);
  EXPECT_THAT(r.message, HasSubstr("SET: OOM command not allowed"));
  EXPECT_EQ(Detail(r, "redis_error_code"), "OOM");
  EXPECT_EQ(Detail(r, "maxmemory"), "1");
  EXPECT_EQ(Detail(r, "maxmemory_policy"), "noeviction");
  EXPECT_EQ(Measured(r, "redis_memory_max_bytes"), 1);
  EXPECT_TRUE(FindAssertion(r, "ping")->passed);  // reads still work: only the write failed
  EXPECT_EQ(server.Cli({"--scan", "--pattern", "smoke_exporter:*"}), "");
}

TEST_F(RedisProbeTest, FailsWithReadonlyOnAReadOnlyReplica) {
  // Without the 5 s diskless-sync delay the replica is in sync within milliseconds.
  RedisServer primary({"--repl-diskless-sync-delay", "0"});
  RedisServer replica({"--replicaof", "127.0.0.1", std::to_string(primary.port())});
  ASSERT_TRUE(smoke::testing::WaitFor(
      [&] { return replica.InfoField("master_link_status") == "up"; }, seconds(10)));
  config::ProbeSpec spec = Spec(replica.tcp_target());
  spec.redis.expect_role = "replica";
  const core::ProbeResult r = RunProbe(spec);
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kReadonly);
  EXPECT_THAT(FindAssertion(r, "round_trip")->actual, HasSubstr("SET: READONLY"));
  EXPECT_TRUE(FindAssertion(r, "role")->passed);
  EXPECT_EQ(FindAssertion(r, "role")->actual, "slave (replica)");
  EXPECT_EQ(Detail(r, "redis_error_code"), "READONLY");
  EXPECT_EQ(Measured(r, "redis_master_link_up"), 1);
  EXPECT_EQ(Measured(r, "redis_instance_info",
                     {{"redis_version", Detail(r, "redis_version")}, {"role", "slave"}}),
            1);
}

TEST_F(RedisProbeTest, FailsWithConnectionRefusedWhenServerIsStopped) {
  auto server = std::make_unique<RedisServer>();
  const std::string tcp = server->tcp_target();
  const std::string unix_socket = server->unix_target();
  server->Stop();

  for (const std::string& target : {tcp, unix_socket}) {
    const auto start = std::chrono::steady_clock::now();
    const core::ProbeResult r = RunProbe(Spec(target));
    EXPECT_EQ(r.outcome, core::Outcome::kFailed) << target << ": " << Describe(r);
    EXPECT_EQ(r.reason, core::Reason::kConnectionRefused) << target << ": " << Describe(r);
    EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(1)) << target;
    EXPECT_EQ(Measured(r, "redis_up"), 0);
    for (const core::AssertionResult& a : r.assertions) {
      EXPECT_FALSE(a.passed) << a.name;
      EXPECT_THAT(a.actual, StartsWith("not run (connection_refused")) << a.name;
    }
  }
}

TEST_F(RedisProbeTest, SkipsWithoutConnectingWhenThePasswordSecretIsMissing) {
  config::ProbeSpec spec = Spec(server_->tcp_target());
  spec.redis.password = core::Secret::Unresolved("env:REDIS_PASSWORD", "is not set");
  const int before = std::stoi(server_->InfoField("total_connections_received"));
  const core::ProbeResult r = RunProbe(spec);
  const int after = std::stoi(server_->InfoField("total_connections_received"));
  EXPECT_EQ(r.outcome, core::Outcome::kSkipped) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kCredentialsMissing);
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.message,
            "not run: password <secret from env:REDIS_PASSWORD> is unavailable: is not set");
  EXPECT_EQ(after, before + 1) << "only redis-cli's own second connection";
}

TEST_F(RedisProbeTest, FailsWithTimeoutWithinTheDeadlineWhenServerHangs) {
  RedisServer server;
  ASSERT_EQ(server.Cli({"CLIENT", "PAUSE", "4000", "ALL"}), "OK");
  config::ProbeSpec spec = Spec(server.tcp_target());
  spec.timeout = seconds(1);
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r = RunProbe(spec, seconds(1));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  EXPECT_EQ(r.reason, core::Reason::kTimeout);
  EXPECT_THAT(r.message, HasSubstr("PING:"));
  EXPECT_THAT(took, AllOf(Ge(milliseconds(900)), Lt(seconds(2))));
  EXPECT_EQ(FindAssertion(r, "ping")->reason, core::Reason::kTimeout);
}

TEST_F(RedisProbeTest, CommandTimeoutCutsASingleCommandShort) {
  RedisServer server;
  ASSERT_EQ(server.Cli({"CLIENT", "PAUSE", "4000", "ALL"}), "OK");
  config::ProbeSpec spec = Spec(server.tcp_target());
  spec.redis.command_timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r = RunProbe(spec, seconds(5));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.reason, core::Reason::kTimeout) << Describe(r);
  EXPECT_THAT(took, AllOf(Ge(milliseconds(250)), Lt(seconds(1))));
}

// A listener with a full accept queue drops further SYNs, like a blackholed host: the connect
// itself hangs, and only the probe's own timeouts end it.
TEST_F(RedisProbeTest, FailsWithTimeoutWhenTheConnectHangs) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int filler = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(::connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string target = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  config::ProbeSpec spec = Spec(target);
  spec.redis.connect_timeout = milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  core::ProbeResult r = RunProbe(spec, seconds(5));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.reason, core::Reason::kTimeout) << Describe(r);
  EXPECT_THAT(r.message, HasSubstr("connect"));
  EXPECT_THAT(took, AllOf(Ge(milliseconds(250)), Lt(seconds(1))));

  spec.redis.connect_timeout.reset();  // the probe's deadline alone
  spec.timeout = seconds(1);
  start = std::chrono::steady_clock::now();
  r = RunProbe(spec, seconds(1));
  took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.reason, core::Reason::kTimeout) << Describe(r);
  EXPECT_THAT(took, AllOf(Ge(milliseconds(900)), Lt(seconds(2))));
  ::close(filler);
  ::close(listener);
}

TEST_F(RedisProbeTest, UnresolvableNameFailsWithinTheDeadline) {
  config::ProbeSpec spec = Spec("no-such-host.invalid:6379");
  spec.timeout = seconds(2);
  const auto start = std::chrono::steady_clock::now();
  const core::ProbeResult r = RunProbe(spec, seconds(2));
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(3));
  EXPECT_EQ(r.outcome, core::Outcome::kFailed) << Describe(r);
  // dns when the resolver answers NXDOMAIN; timeout when no resolver answers in time.
  EXPECT_TRUE(r.reason == core::Reason::kDns || r.reason == core::Reason::kTimeout) << Describe(r);
}

}  // namespace
}  // namespace smoke::probes
