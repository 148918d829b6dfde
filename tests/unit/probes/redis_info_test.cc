// INFO text parsing, the gauges and evidence built from it, and the classification of Redis error
// replies into reasons. No network: the inputs are what redis-server 7 sends.

#include "exporter/probes/redis_info.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>

#include "exporter/probes/redis_errors.h"
#include "exporter/probes/redis_metrics.h"

namespace smoke::probes {
namespace {

using ::testing::Contains;
using ::testing::Pair;

// An excerpt of a real Redis 7.0 INFO reply, CRLF line ends as on the wire.
const char kInfo[] =
    "# Server\r\n"
    "redis_version:7.0.15\r\n"
    "redis_mode:standalone\r\n"
    "uptime_in_seconds:42\r\n"
    "\r\n"
    "# Clients\r\n"
    "connected_clients:3\r\n"
    "blocked_clients:1\r\n"
    "\r\n"
    "# Memory\r\n"
    "used_memory:1081984\r\n"
    "maxmemory:104857600\r\n"
    "maxmemory_policy:noeviction\r\n"
    "\r\n"
    "# Stats\r\n"
    "rejected_connections:2\r\n"
    "evicted_keys:7\r\n"
    "keyspace_hits:80\r\n"
    "keyspace_misses:20\r\n"
    "\r\n"
    "# Replication\r\n"
    "role:slave\r\n"
    "master_host:127.0.0.1\r\n"
    "master_link_status:up\r\n"
    "\r\n"
    "# Keyspace\r\n"
    "db0:keys=12,expires=3,avg_ttl=5000\r\n"
    "db3:keys=1,expires=0,avg_ttl=0\r\n";

struct FieldCase {
  const char* field;
  std::optional<std::string> value;
  const char* section;
};

TEST(RedisInfoTest, FindsFieldsAndTheirSections) {
  const RedisInfo info = RedisInfo::Parse(kInfo);
  const FieldCase cases[] = {
      {"redis_version", "7.0.15", "Server"},
      {"connected_clients", "3", "Clients"},
      {"used_memory", "1081984", "Memory"},
      {"maxmemory_policy", "noeviction", "Memory"},
      {"keyspace_misses", "20", "Stats"},
      {"role", "slave", "Replication"},
      {"master_host", "127.0.0.1", "Replication"},  // the value's own ':' is kept
      {"db0", "keys=12,expires=3,avg_ttl=5000", "Keyspace"},
      {"no_such_field", std::nullopt, ""},
  };
  for (const FieldCase& c : cases) {
    EXPECT_EQ(info.Get(c.field), c.value) << c.field;
    EXPECT_EQ(info.SectionOf(c.field), c.section) << c.field;
  }
}

TEST(RedisInfoTest, NumbersAreParsedAndTextIsNotANumber) {
  const RedisInfo info = RedisInfo::Parse(kInfo);
  EXPECT_EQ(info.Number("used_memory"), 1081984);
  EXPECT_EQ(info.Number("maxmemory"), 104857600);
  EXPECT_EQ(info.Number("master_link_status"), std::nullopt);  // "up"
  EXPECT_EQ(info.Number("missing"), std::nullopt);
}

struct ParseCase {
  const char* name;
  const char* text;
  const char* field;
  std::optional<std::string> value;
};

TEST(RedisInfoTest, ToleratesLineEndsBlankLinesAndJunk) {
  const ParseCase cases[] = {
      {"lf only", "# Server\nredis_version:7.2.4\n", "redis_version", "7.2.4"},
      {"crlf", "# Server\r\nredis_version:7.2.4\r\n", "redis_version", "7.2.4"},
      {"no trailing newline", "redis_version:6.2.0", "redis_version", "6.2.0"},
      {"no section header", "role:master\r\n", "role", "master"},
      {"empty value", "master_host:\r\n", "master_host", ""},
      {"line without colon ignored", "garbage line\r\nrole:master\r\n", "role", "master"},
      {"line starting with colon ignored", ":x\r\nrole:master\r\n", "role", "master"},
      {"first occurrence wins", "role:master\r\nrole:slave\r\n", "role", "master"},
      {"empty text", "", "role", std::nullopt},
      {"header with extra spaces", "#   Replication  \r\nrole:master\r\n", "role", "master"},
  };
  for (const ParseCase& c : cases) {
    EXPECT_EQ(RedisInfo::Parse(c.text).Get(c.field), c.value) << c.name;
  }
  EXPECT_EQ(RedisInfo::Parse("#   Replication  \r\nrole:master\r\n").SectionOf("role"),
            "Replication");
}

TEST(RedisInfoTest, ParsesKeyspaceLines) {
  const RedisInfo info = RedisInfo::Parse(kInfo);
  ASSERT_EQ(info.keyspace().size(), 2u);
  const RedisKeyspaceDb* db0 = info.Db(0);
  ASSERT_NE(db0, nullptr);
  EXPECT_EQ(db0->keys, 12);
  EXPECT_EQ(db0->expires, 3);
  EXPECT_EQ(db0->avg_ttl, 5000);
  ASSERT_NE(info.Db(3), nullptr);
  EXPECT_EQ(info.Db(3)->keys, 1);
  EXPECT_EQ(info.Db(1), nullptr);  // Redis omits empty databases
}

struct KeyspaceCase {
  const char* value;
  std::optional<int64_t> keys;  // nullopt: rejected
  int64_t expires;
};

TEST(RedisInfoTest, KeyspaceValuesTableDriven) {
  const KeyspaceCase cases[] = {
      {"keys=1,expires=0,avg_ttl=0", 1, 0},
      {"keys=100,expires=40,avg_ttl=12345", 100, 40},
      // Redis 7.2 adds subexpiry; unknown pairs are ignored.
      {"keys=5,expires=1,avg_ttl=10,subexpiry=0", 5, 1},
      {"expires=1,keys=2", 2, 1},
      {"keys=x,expires=0", std::nullopt, 0},
      {"expires=0,avg_ttl=0", std::nullopt, 0},
      {"", std::nullopt, 0},
  };
  for (const KeyspaceCase& c : cases) {
    std::optional<RedisKeyspaceDb> got = ParseKeyspaceValue(7, c.value);
    if (!c.keys) {
      EXPECT_FALSE(got.has_value()) << c.value;
      continue;
    }
    ASSERT_TRUE(got.has_value()) << c.value;
    EXPECT_EQ(got->db, 7);
    EXPECT_EQ(got->keys, *c.keys) << c.value;
    EXPECT_EQ(got->expires, c.expires) << c.value;
  }
}

TEST(RedisInfoTest, KeyspaceOnlyFromDbFields) {
  const RedisInfo info = RedisInfo::Parse("dbx:keys=1\r\ndb:keys=2\r\ndb12:keys=3,expires=0\r\n");
  ASSERT_EQ(info.keyspace().size(), 1u);
  EXPECT_EQ(info.keyspace()[0].db, 12);
  EXPECT_EQ(info.keyspace()[0].keys, 3);
}

TEST(RedisInfoTest, HitRatioIsUndefinedBeforeTheFirstLookup) {
  EXPECT_EQ(RedisInfo::Parse(kInfo).HitRatio(), 0.8);
  EXPECT_EQ(RedisInfo::Parse("keyspace_hits:0\r\nkeyspace_misses:0\r\n").HitRatio(), std::nullopt);
  EXPECT_EQ(RedisInfo::Parse("keyspace_hits:0\r\nkeyspace_misses:4\r\n").HitRatio(), 0.0);
  EXPECT_EQ(RedisInfo::Parse("keyspace_hits:3\r\n").HitRatio(), std::nullopt);
}

std::optional<double> Find(const std::vector<core::Measurement>& m, std::string_view name,
                           const std::vector<std::pair<std::string, std::string>>& labels = {}) {
  for (const core::Measurement& x : m) {
    if (x.name == name && x.labels == labels) return x.value;
  }
  return std::nullopt;
}

TEST(RedisMetricsTest, InfoBecomesRedisExporterGauges) {
  std::vector<core::Measurement> m;
  AppendRedisInfoMeasurements(RedisInfo::Parse(kInfo), 0, m);
  EXPECT_EQ(Find(m, "redis_memory_used_bytes"), 1081984);
  EXPECT_EQ(Find(m, "redis_memory_max_bytes"), 104857600);
  EXPECT_EQ(Find(m, "redis_connected_clients"), 3);
  EXPECT_EQ(Find(m, "redis_blocked_clients"), 1);
  EXPECT_EQ(Find(m, "redis_rejected_connections_total"), 2);
  EXPECT_EQ(Find(m, "redis_evicted_keys_total"), 7);
  EXPECT_EQ(Find(m, "redis_keyspace_hits_total"), 80);
  EXPECT_EQ(Find(m, "redis_keyspace_misses_total"), 20);
  EXPECT_EQ(Find(m, "redis_master_link_up"), 1);
  EXPECT_EQ(Find(m, "redis_db_keys", {{"db", "db0"}}), 12);
  EXPECT_EQ(Find(m, "redis_db_keys", {{"db", "db3"}}), 1);
  EXPECT_EQ(Find(m, "redis_instance_info", {{"redis_version", "7.0.15"}, {"role", "slave"}}), 1);
  EXPECT_EQ(Find(m, "smoke_redis_keyspace_hit_ratio"), 0.8);
  for (const core::Measurement& x : m) EXPECT_FALSE(x.help.empty()) << x.name;
}

TEST(RedisMetricsTest, MasterHasNoLinkGaugeAndTheSelectedDbAlwaysHasAKeyCount) {
  std::vector<core::Measurement> m;
  AppendRedisInfoMeasurements(
      RedisInfo::Parse("role:master\r\nkeyspace_hits:0\r\nkeyspace_misses:0\r\n"), 5, m);
  EXPECT_EQ(Find(m, "redis_master_link_up"), std::nullopt);
  EXPECT_EQ(Find(m, "redis_db_keys", {{"db", "db5"}}), 0);
  EXPECT_EQ(Find(m, "smoke_redis_keyspace_hit_ratio"), std::nullopt);  // no lookups yet
  EXPECT_EQ(Find(m, "redis_memory_used_bytes"), std::nullopt);         // not reported, not 0
}

TEST(RedisMetricsTest, ReplicaWithLinkDownReportsZero) {
  std::vector<core::Measurement> m;
  AppendRedisInfoMeasurements(RedisInfo::Parse("role:slave\r\nmaster_link_status:down\r\n"), 0, m);
  EXPECT_EQ(Find(m, "redis_master_link_up"), 0);
}

TEST(RedisMetricsTest, EvidenceListsTheFieldsUsed) {
  const auto evidence = RedisInfoEvidence(RedisInfo::Parse(kInfo), 0);
  EXPECT_THAT(evidence, Contains(Pair("redis_version", "7.0.15")));
  EXPECT_THAT(evidence, Contains(Pair("role", "slave")));
  EXPECT_THAT(evidence, Contains(Pair("used_memory", "1081984")));
  EXPECT_THAT(evidence, Contains(Pair("maxmemory_policy", "noeviction")));
  EXPECT_THAT(evidence, Contains(Pair("master_link_status", "up")));
  EXPECT_THAT(evidence, Contains(Pair("db0", "keys=12,expires=3,avg_ttl=5000")));
  EXPECT_THAT(RedisInfoEvidence(RedisInfo::Parse(kInfo), 9),
              Contains(Pair("db9", "keys=0 (not listed in INFO keyspace)")));
}

struct ErrorCase {
  const char* command;
  const char* reply;  // as hiredis hands it over, without the leading '-'
  core::Reason reason;
};

TEST(RedisErrorsTest, ClassifiesByTheErrorCode) {
  const ErrorCase cases[] = {
      {"PING", "NOAUTH Authentication required.", core::Reason::kAuthRequired},
      {"AUTH", "WRONGPASS invalid username-password pair or user is disabled.",
       core::Reason::kAuthFailed},
      {"AUTH", "ERR invalid password", core::Reason::kAuthFailed},  // Redis < 6
      {"AUTH",
       "ERR AUTH <password> called without any password configured for the default user. Are "
       "you sure your configuration is correct?",
       core::Reason::kAuthFailed},
      {"AUTH", "ERR wrong number of arguments for 'auth' command", core::Reason::kAuthFailed},
      {"SET", "NOPERM this user has no permissions to run the 'set' command",
       core::Reason::kPermissionDenied},
      {"SET", "OOM command not allowed when used memory > 'maxmemory'.", core::Reason::kOom},
      {"SET", "READONLY You can't write against a read only replica.", core::Reason::kReadonly},
      {"SELECT", "ERR DB index is out of range", core::Reason::kDatabaseMissing},
      {"SELECT", "ERR invalid DB index", core::Reason::kDatabaseMissing},
      {"SET", "ERR wrong number of arguments for 'set' command", core::Reason::kCommandFailed},
      {"INFO", "LOADING Redis is loading the dataset in memory", core::Reason::kCommandFailed},
      {"SET",
       "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
       "persist to disk.",
       core::Reason::kCommandFailed},
      {"GET", "MOVED 3999 127.0.0.1:6381", core::Reason::kCommandFailed},
      {"PING", "BUSY Redis is busy running a script.", core::Reason::kCommandFailed},
      {"PING", "ERR max number of clients reached", core::Reason::kCommandFailed},
      {"PING", "", core::Reason::kCommandFailed},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(RedisErrorReason(c.command, c.reply), c.reason)
        << c.command << ": " << c.reply << " -> "
        << core::ReasonName(RedisErrorReason(c.command, c.reply));
  }
}

TEST(RedisErrorsTest, TheCodeIsTheFirstWord) {
  EXPECT_EQ(RedisErrorCode("NOAUTH Authentication required."), "NOAUTH");
  EXPECT_EQ(RedisErrorCode("WRONGPASS invalid username-password pair"), "WRONGPASS");
  EXPECT_EQ(RedisErrorCode("ERR"), "ERR");
  EXPECT_EQ(RedisErrorCode(""), "");
}

}  // namespace
}  // namespace smoke::probes
