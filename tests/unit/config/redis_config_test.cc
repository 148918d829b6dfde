// The `redis:` block and redis targets: what a valid block turns into, and the exact message (with
// line:col) for each mistake. A password must never reach a message, a warning or /config.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "exporter/config/loader.h"
#include "exporter/config/redis_parser.h"

#include "tests/unit/config/config_test_util.h"
namespace smoke::config {
namespace {

using ::smoke::config::test_util::Env;
using ::smoke::config::test_util::FindProbe;

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const std::string kGoodFile = std::string(SMOKE_TESTDATA_DIR) + "/config/redis-good.yml";

// A probe whose redis block starts on line 6, indented by 6 spaces.
std::string ProbeWithBlock(const std::string& block_lines, const std::string& kind = "redis") {
  return "probes:\n"
         "  - name: cache\n"
         "    kind: " +
         kind +
         "\n"
         "    target: 127.0.0.1:6379\n"
         "    redis:\n" +
         block_lines;
}

std::string ProbeWithTarget(const std::string& target) {
  return "probes:\n"
         "  - name: cache\n"
         "    kind: redis\n"
         "    target: " +
         target + "\n";
}

TEST(RedisConfigTest, NoBlockMeansPingInfoAndRoundTripWithoutAuth) {
  core::Result<ConfigPtr> got = LoadConfigText(ProbeWithTarget("127.0.0.1:6379"), "r.yml", Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  const RedisSpec& r = (*got)->probes.at(0).redis;
  EXPECT_EQ((*got)->probes.at(0).kind, "redis");
  EXPECT_EQ(r.db, 0);
  EXPECT_FALSE(r.password.has_value());
  EXPECT_EQ(r.username, "");
  EXPECT_EQ(r.key_prefix, "smoke_exporter:");
  EXPECT_TRUE(r.round_trip);
  EXPECT_EQ(r.round_trip_ttl, seconds(60));
  EXPECT_FALSE(r.connect_timeout.has_value());
  EXPECT_FALSE(r.command_timeout.has_value());
  EXPECT_FALSE(r.max_ping_latency.has_value());
  EXPECT_FALSE(r.min_hit_ratio.has_value());
  EXPECT_EQ(r.expect_role, "");
  EXPECT_THAT(r.keys_exist, IsEmpty());
  EXPECT_FALSE(r.min_keys.has_value());
}

TEST(RedisConfigTest, ParsesEveryKeyOfTheBlock) {
  const std::string text = ProbeWithBlock(
      "      db: 3\n"
      "      username: app\n"
      "      password_env: REDIS_PASSWORD\n"
      "      key_prefix: \"smoke:\"\n"
      "      round_trip: false\n"
      "      round_trip_ttl: 90s\n"
      "      connect_timeout: 500ms\n"
      "      command_timeout: 2s\n"
      "      max_ping_latency: 50ms\n"
      "      min_hit_ratio: 0.8\n"
      "      expect_role: slave\n"
      "      keys_exist: [feature_flags, \"config:v2\"]\n"
      "      min_keys: 1\n");
  core::Result<ConfigPtr> got = LoadConfigText(text, "r.yml", Env({{"REDIS_PASSWORD", "s3cret"}}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_THAT((*got)->warnings, IsEmpty());
  const RedisSpec& r = (*got)->probes.at(0).redis;
  EXPECT_EQ(r.db, 3);
  EXPECT_EQ(r.username, "app");
  ASSERT_TRUE(r.password.has_value());
  EXPECT_TRUE(r.password->present());
  EXPECT_EQ(r.password->value(), "s3cret");
  EXPECT_EQ(r.password->source(), "env:REDIS_PASSWORD");
  EXPECT_EQ(r.key_prefix, "smoke:");
  EXPECT_FALSE(r.round_trip);
  EXPECT_EQ(r.round_trip_ttl, seconds(90));
  EXPECT_EQ(r.connect_timeout, milliseconds(500));
  EXPECT_EQ(r.command_timeout, seconds(2));
  EXPECT_EQ(r.max_ping_latency, milliseconds(50));
  EXPECT_EQ(r.min_hit_ratio, 0.8);
  EXPECT_EQ(r.expect_role, "replica");  // INFO's "slave", normalised
  EXPECT_THAT(r.keys_exist, ElementsAre("feature_flags", "config:v2"));
  EXPECT_EQ(r.min_keys, 1);
}

TEST(RedisConfigTest, ProbeOverridesItsModuleKeyByKey) {
  core::Result<ConfigPtr> got = LoadConfigFile(kGoodFile, Env({{"REDIS_PASSWORD", "from-env"}}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  const Config& config = **got;
  ASSERT_EQ(config.probes.size(), 3u);
  const ProbeSpec& cache = config.probes[0];
  EXPECT_EQ(cache.name, "cache");
  EXPECT_EQ(cache.module, "redis_cache");
  EXPECT_EQ(cache.component, "cache");
  EXPECT_EQ(cache.timeout, seconds(2));
  EXPECT_EQ(cache.redis.db, 1);                 // the probe's own
  EXPECT_EQ(cache.redis.key_prefix, "smoke:");  // the module's
  EXPECT_EQ(cache.redis.max_ping_latency, milliseconds(50));
  ASSERT_TRUE(cache.redis.password.has_value());
  EXPECT_EQ(cache.redis.password->value(), "from-env");               // the module's secret
  EXPECT_THAT(cache.redis.keys_exist, ElementsAre("feature_flags"));  // lists replace

  const ProbeSpec& sessions = config.probes[1];
  EXPECT_EQ(sessions.target, "unix:///run/redis/redis.sock");
  EXPECT_FALSE(sessions.redis.round_trip);
  EXPECT_EQ(sessions.redis.expect_role, "master");

  const ProbeSpec& v6 = config.probes[2];
  EXPECT_EQ(v6.target, "[::1]:6380");
  EXPECT_FALSE(v6.redis.password.has_value());
}

TEST(RedisConfigTest, ParsesTargets) {
  core::Result<RedisTarget> tcp = ParseRedisTarget("cache.internal:6379");
  ASSERT_TRUE(tcp.ok()) << tcp.status().message();
  EXPECT_EQ(tcp->host, "cache.internal");
  EXPECT_EQ(tcp->port, 6379);
  EXPECT_FALSE(tcp->is_unix());

  core::Result<RedisTarget> v6 = ParseRedisTarget("[::1]:6380");
  ASSERT_TRUE(v6.ok()) << v6.status().message();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 6380);

  core::Result<RedisTarget> unix_socket = ParseRedisTarget("unix:///run/redis/redis.sock");
  ASSERT_TRUE(unix_socket.ok()) << unix_socket.status().message();
  EXPECT_TRUE(unix_socket->is_unix());
  EXPECT_EQ(unix_socket->unix_path, "/run/redis/redis.sock");
  EXPECT_EQ(unix_socket->host, "");
}

struct BadBlock {
  const char* lines;  // the redis block, starting on line 6
  const char* error;  // after "r.yml:"
};

// clang-format off
const BadBlock kBadBlocks[] = {
    {"      db: -1\n",
     "6:11: \"db\" must be between 0 and 2147483647, got -1"},
    {"      db: two\n",
     "6:11: expected an integer for \"db\", got \"two\""},
    {"      password: hunter2\n",
     "6:7: unknown key \"password\" in redis (expected one of: command_timeout, connect_timeout, "
     "db, expect_role, key_prefix, keys_exist, max_ping_latency, min_hit_ratio, min_keys, "
     "password_env, password_file, round_trip, round_trip_ttl, username) \xE2\x80\x94 secrets are "
     "read from password_file or password_env, never inline"},
    {"      username: app\n",
     "6:7: \"username\" needs password_file or password_env (Redis authenticates an ACL user with "
     "a password)"},
    {"      username: \"\"\n      password_env: REDIS_PASSWORD\n",
     "6:17: \"username\" must not be empty"},
    {"      password_file: /run/secrets/redis\n      password_env: REDIS_PASSWORD\n",
     "7:7: \"password_file\" and \"password_env\" are mutually exclusive; set one"},
    {"      password_env: \"\"\n",
     "6:21: \"password_env\" must not be empty"},
    {"      key_prefix: \"\"\n",
     "6:19: \"key_prefix\" must not be empty (the round-trip key needs a namespace of its own)"},
    {"      round_trip: yes\n",
     "6:19: expected true or false for \"round_trip\", got \"yes\""},
    {"      round_trip_ttl: 500ms\n",
     "6:23: \"round_trip_ttl\" must be at least 1s, got \"500ms\""},
    {"      connect_timeout: soon\n",
     "6:24: expected a duration (e.g. 15s, 1m30s) for \"connect_timeout\", got \"soon\""},
    {"      max_ping_latency: 0s\n",
     "6:25: \"max_ping_latency\" must be greater than 0, got \"0s\""},
    {"      min_hit_ratio: 1.5\n",
     "6:22: \"min_hit_ratio\" must be between 0 and 1, got 1.5"},
    {"      min_hit_ratio: 80%\n",
     "6:22: expected a number for \"min_hit_ratio\", got \"80%\""},
    {"      expect_role: primary\n",
     "6:20: invalid value \"primary\" for \"expect_role\" (expected one of: master, replica, "
     "slave)"},
    {"      expect_role: mastr\n",
     "6:20: invalid value \"mastr\" for \"expect_role\" (expected one of: master, replica, slave) "
     "\xE2\x80\x94 did you mean \"master\"?"},
    {"      keys_exist: feature_flags\n",
     "6:19: expected a sequence for \"keys_exist\", got \"feature_flags\""},
    {"      keys_exist: [a, a]\n",
     "6:23: duplicate key \"a\" in \"keys_exist\" (first listed on line 6)"},
    {"      keys_exist: [\"\"]\n",
     "6:20: an item of \"keys_exist\" must not be empty"},
    {"      min_keys: -1\n",
     "6:17: \"min_keys\" must be at least 0, got -1"},
    {"      keyprefix: \"x:\"\n",
     "6:7: unknown key \"keyprefix\" in redis (expected one of: command_timeout, connect_timeout, "
     "db, expect_role, key_prefix, keys_exist, max_ping_latency, min_hit_ratio, min_keys, "
     "password_env, password_file, round_trip, round_trip_ttl, username) \xE2\x80\x94 did you "
     "mean \"key_prefix\"?"},
    {"      - db: 1\n",
     "6:7: expected a mapping for \"redis\", got a sequence"},
};
// clang-format on

TEST(RedisConfigTest, RejectsEachBadBlockWithItsExactMessage) {
  for (const BadBlock& c : kBadBlocks) {
    core::Result<ConfigPtr> got = LoadConfigText(ProbeWithBlock(c.lines), "r.yml", Env({}));
    ASSERT_FALSE(got.ok()) << c.lines << " loaded";
    EXPECT_EQ(got.status().message(), std::string("r.yml:") + c.error) << c.lines;
  }
}

struct BadTarget {
  const char* target;
  const char* error;  // after "r.yml:"
};

// clang-format off
const BadTarget kBadTargets[] = {
    {"cache",
     "4:13: redis target \"cache\" must be host:port, [ipv6]:port or unix:///path/to/redis.sock"},
    {"redis://cache:6379",
     "4:13: redis target \"redis://cache:6379\" must be host:port, [ipv6]:port or "
     "unix:///path/to/redis.sock"},
    {"cache:99999",
     "4:13: redis target \"cache:99999\" has an invalid port \"99999\" (expected 1-65535)"},
    {"::1:6379",
     "4:13: redis target \"::1:6379\" has an IPv6 address without brackets (write "
     "[address]:port)"},
    {"unix://redis.sock",
     "4:13: redis target \"unix://redis.sock\" must name an absolute socket path: "
     "unix:///path/to/redis.sock"},
    {"\"redis://:hunter2@cache:6379\"",
     "4:13: redis target must not contain credentials; use password_file or password_env (and "
     "username) in the redis block"},
};
// clang-format on

TEST(RedisConfigTest, RejectsEachBadTargetWithItsExactMessage) {
  for (const BadTarget& c : kBadTargets) {
    core::Result<ConfigPtr> got = LoadConfigText(ProbeWithTarget(c.target), "r.yml", Env({}));
    ASSERT_FALSE(got.ok()) << c.target << " loaded";
    EXPECT_EQ(got.status().message(), std::string("r.yml:") + c.error) << c.target;
    EXPECT_THAT(got.status().message(), Not(HasSubstr("hunter2")));
  }
}

TEST(RedisConfigTest, RejectsASocketPathTooLongForSockaddrUn) {
  const std::string target = "unix:///run/" + std::string(100, 'x') + ".sock";  // 110 bytes
  core::Result<ConfigPtr> got = LoadConfigText(ProbeWithTarget(target), "r.yml", Env({}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "r.yml:4:13: redis target \"" + target + "\" has a socket path longer than 107 bytes");
}

TEST(RedisConfigTest, RedisBlockIsRejectedForOtherKinds) {
  const std::string text =
      "probes:\n"
      "  - name: api\n"
      "    kind: tcp\n"
      "    target: 127.0.0.1:6379\n"
      "    redis: {db: 1}\n";
  core::Result<ConfigPtr> got = LoadConfigText(text, "r.yml", Env({}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "r.yml:5:5: \"redis\" block is not allowed for kind \"tcp\"");
}

TEST(RedisConfigTest, UnsetPasswordEnvIsAWarningAndTheProbeIsSkippedLater) {
  core::Result<ConfigPtr> got =
      LoadConfigText(ProbeWithBlock("      password_env: REDIS_PASSWORD\n"), "r.yml", Env({}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_THAT((*got)->warnings,
              ElementsAre("r.yml:6:21: secret env:REDIS_PASSWORD is not set; probe \"cache\" will "
                          "be skipped"));
  const RedisSpec& r = (*got)->probes.at(0).redis;
  ASSERT_TRUE(r.password.has_value());
  EXPECT_TRUE(r.password->configured());
  EXPECT_FALSE(r.password->present());
}

TEST(RedisConfigTest, RenderedConfigShowsWhereThePasswordComesFromNeverItsValue) {
  core::Result<ConfigPtr> got =
      LoadConfigFile(kGoodFile, Env({{"REDIS_PASSWORD", "Sup3r-Secret-Value"}}));
  ASSERT_TRUE(got.ok()) << got.status().message();
  const std::string yaml = RenderConfigYaml(**got);
  EXPECT_THAT(yaml, Not(HasSubstr("Sup3r-Secret-Value")));
  EXPECT_THAT(yaml, HasSubstr("password: <secret from env:REDIS_PASSWORD>"));
  EXPECT_THAT(yaml, HasSubstr("key_prefix: \"smoke:\""));
  EXPECT_THAT(yaml, HasSubstr("keys_exist:\n"));
  EXPECT_THAT(yaml, HasSubstr("max_ping_latency: 50ms"));
}

}  // namespace
}  // namespace smoke::config
