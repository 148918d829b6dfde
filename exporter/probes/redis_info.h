#pragma once
// The text INFO returns, parsed: "# Section" headers, "field:value" lines (CRLF or LF), and the
// Keyspace section's "db0:keys=1,expires=0,avg_ttl=0" lines. Redis keeps field names unique
// across sections, so fields are looked up by name alone; the section is kept for evidence and
// tests. Lines that fit neither shape are ignored: INFO grows new fields in every release and a
// probe must not fail because the server is newer than we are.
// Thread-safety: immutable after Parse.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smoke::probes {

struct RedisKeyspaceDb {
  int64_t db = 0;  // 0 for "db0"
  int64_t keys = 0;
  int64_t expires = 0;  // keys with a TTL
  int64_t avg_ttl = 0;  // milliseconds
};

class RedisInfo {
 public:
  static RedisInfo Parse(std::string_view text);

  // The raw value of `field` ("used_memory" -> "1081984"), nullopt when absent.
  std::optional<std::string> Get(std::string_view field) const;
  // The value as a number, nullopt when absent or not numeric ("master_link_status:up").
  std::optional<double> Number(std::string_view field) const;
  // The section `field` appeared in, as written ("Memory"); "" when absent or before any header.
  std::string SectionOf(std::string_view field) const;
  // Keyspace lines in the order INFO listed them (only databases that hold keys appear).
  const std::vector<RedisKeyspaceDb>& keyspace() const { return keyspace_; }
  const RedisKeyspaceDb* Db(int64_t db) const;

  // keyspace_hits / (keyspace_hits + keyspace_misses); nullopt when either is missing or no
  // lookup has happened yet (the ratio is undefined, not 0).
  std::optional<double> HitRatio() const;

 private:
  struct Field {
    std::string value;
    std::string section;
  };
  std::map<std::string, Field, std::less<>> fields_;
  std::vector<RedisKeyspaceDb> keyspace_;
};

// Parses "keys=1,expires=0,avg_ttl=0" for database `db`; nullopt if `keys` is missing or any
// known number is malformed. Unknown pairs (Redis 7.2 adds subexpiry) are ignored.
std::optional<RedisKeyspaceDb> ParseKeyspaceValue(int64_t db, std::string_view value);

}  // namespace smoke::probes
