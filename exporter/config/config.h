#pragma once
// The immutable, validated configuration. Produced only by the loader (loader.h), which rejects
// unknown keys, resolves modules and ${ENV} references, reads *_file / *_env secrets and
// pre-validates every regex and JSON path, so probes never see invalid settings.
// Thread-safety: a Config is never mutated after loading; share it as shared_ptr<const Config>.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/config/burst_spec.h"
#include "exporter/config/contract_spec.h"
#include "exporter/config/engine_spec.h"
#include "exporter/config/monitoring_spec.h"
#include "exporter/config/readiness_spec.h"
#include "exporter/config/slo_spec.h"
#include "exporter/core/clock.h"
#include "exporter/core/json_path.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/secret.h"

namespace smoke::config {

using core::Duration;
using core::Secret;
using core::Severity;
using LabelPairs = std::vector<std::pair<std::string, std::string>>;

// Where a setting came from, for error messages and /config.
struct SourcePos {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based
};

// A scalar a JSON-path assertion compares against.
struct JsonScalar {
  enum class Type { kString, kNumber, kBool, kNull };
  Type type = Type::kNull;
  std::string string_value;
  double number_value = 0;
  bool bool_value = false;
};

enum class JsonOp { kEq, kNe, kLt, kLe, kGt, kGe, kExists, kAbsent, kAnyOf, kMatches };

// One named check on a probe's response. Kinds and their fields:
//   status:       status_ranges (inclusive [lo, hi] pairs; "2xx" = [200,299])
//   body_regex:   pattern (RE2, unanchored search); negate = must NOT match
//   json:         json_path ("$.a.b[0]"), json_op, json_values (1 value, or N for any_of),
//                 pattern for kMatches
//   header:       header_name (case-insensitive); header_absent, or pattern (RE2 search) or
//                 neither (= must be present)
//   latency:      max_latency (probe duration must be <=)
//   cert_expiry:  min_validity (earliest certificate expiry must be >= now + this)
//   all_of/any_of: children
struct Assertion {
  enum class Kind { kStatus, kBodyRegex, kJson, kHeader, kLatency, kCertExpiry, kAllOf, kAnyOf };
  std::string name;
  Kind kind = Kind::kStatus;
  Severity severity = Severity::kFail;
  SourcePos pos;

  std::vector<std::pair<int, int>> status_ranges;
  std::string pattern;
  bool negate = false;
  std::string json_path;         // as written
  core::JsonPath json_path_parsed;  // validated at load
  JsonOp json_op = JsonOp::kExists;
  std::vector<JsonScalar> json_values;
  std::string header_name;
  bool header_absent = false;
  Duration max_latency{0};
  Duration min_validity{0};
  std::vector<Assertion> children;
};

struct TlsSpec {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;  // SNI and certificate name to verify; default: target host
  bool insecure_skip_verify = false;
  std::string min_version;  // "", "TLS12", "TLS13"
};

struct BasicAuth {
  std::string username;
  Secret password;  // password_file / password_env
};

struct Header {
  std::string name;
  std::string value;                // plain value, or
  std::optional<Secret> secret;     // value_file / value_env
};

enum class IpProtocol { kAny, kIp4, kIp6 };

struct HttpSpec {
  std::string method = "GET";
  std::vector<Header> headers;
  std::string body;
  std::optional<BasicAuth> basic_auth;
  std::optional<Secret> bearer_token;  // bearer_token_file / bearer_token_env
  TlsSpec tls;
  bool follow_redirects = true;
  int max_redirects = 10;
  IpProtocol ip_protocol = IpProtocol::kAny;
  bool ip_protocol_fallback = true;
  int64_t body_size_limit = 4 * 1024 * 1024;  // bytes; larger bodies fail with body_too_large
  // The loader always adds a fail-severity status assertion "status" (200-299) when none is
  // given and no contract is set; probes built from code treat an empty list the same way.
  std::vector<Assertion> assertions;
  std::optional<ContractSpec> contract;  // contract_spec.h; its checks run before `assertions`
};

struct TcpSpec {
  std::string send;    // sent after connect (escape sequences \r \n \t already decoded)
  std::string expect;  // RE2 searched in what the peer sends; empty = connect only
  bool tls = false;
  TlsSpec tls_config;
  std::vector<Assertion> assertions;  // latency, cert_expiry
};

// The `redis:` block. One fresh connection per run: AUTH (when a password is set), SELECT db,
// PING, INFO, the key checks, then a SET/GET/DEL round trip on a key of our own.
struct RedisSpec {
  int64_t db = 0;
  std::string username;            // ACL user (Redis 6+); requires password
  std::optional<Secret> password;  // password_file / password_env
  std::string key_prefix = "smoke_exporter:";  // the round-trip key is <prefix><probe>:<random>
  bool round_trip = true;
  Duration round_trip_ttl = std::chrono::seconds(60);  // the key expires even if DEL never runs
  std::optional<Duration> connect_timeout;  // default and cap: the time left to the deadline
  std::optional<Duration> command_timeout;  // per command; capped the same way
  std::optional<Duration> max_ping_latency;
  std::optional<double> min_hit_ratio;     // keyspace_hits / (hits + misses), 0..1
  std::string expect_role;                 // "" | "master" | "replica" ("slave" is normalised)
  std::vector<std::string> keys_exist;
  std::optional<int64_t> min_keys;  // DBSIZE of the selected db
};

// A custom query's `expect:`: the first column of the first row compared with a value
// (postgres_parser.h has the syntax). < <= > >= compare numbers only.
struct PostgresExpect {
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
  enum class Type { kNumber, kText, kBool, kNull };
  Op op = Op::kEq;
  Type type = Type::kNumber;
  double number = 0;
  std::string text;
  bool boolean = false;
};

struct PostgresQuery {
  std::string name;  // [a-zA-Z_][a-zA-Z0-9_]*: the `query` label and assertion query_<name>
  std::string sql;   // one statement; run in a READ ONLY transaction that is rolled back
  std::optional<PostgresExpect> expect;
  std::optional<Duration> max_latency;
  Severity severity = Severity::kFail;
  SourcePos pos;
};

// The `postgres:` block. Connection settings left empty here may come from the target URL
// (config/postgres_parser.h merges them); a fresh connection per run unless keep_connection.
struct PostgresSpec {
  std::string dbname;
  std::string user;
  std::optional<Secret> password;  // password_file / password_env; none: trust/peer/.pgpass
  std::string sslmode;             // "" = from the URL, else prefer
  std::string sslrootcert;
  std::string application_name;    // "" = from the URL, else smoke_exporter
  bool keep_connection = false;
  std::vector<std::string> tables;                        // each must exist
  std::vector<std::pair<std::string, int64_t>> min_rows;  // table -> at least N rows
  std::optional<double> max_connections_ratio;            // in use / max_connections, (0, 1]
  std::optional<Duration> max_replication_lag;            // checked on a replica only
  std::vector<PostgresQuery> queries;
};

// A probe (scheduled) or a module (a template probes reference and /probe uses). For a module,
// name is the module name and target is empty.
struct ProbeSpec {
  std::string name;
  std::string kind;  // "http" | "tcp" (later issues add postgres, redis, ...)
  std::string module;  // the module this probe was built from, "" if none
  std::string component = "default";
  std::string target;  // URL for http, host:port for tcp
  Duration interval{0};
  Duration timeout{0};
  LabelPairs labels;  // global static labels merged with the probe's own, sorted by name
  HttpSpec http;
  TcpSpec tcp;
  RedisSpec redis;
  PostgresSpec postgres;
  // The monitoring-stack kinds (monitoring_spec.h); the HTTP-based ones also use `http` for
  // their transport settings.
  MetricsSpec metrics;
  PrometheusSpec prometheus;
  AlertmanagerSpec alertmanager;
  GrafanaSpec grafana;
  JaegerSpec jaeger;
  AlertPipelineSpec alert_pipeline;
  DnsSpec dns;
  BurstSpec burst;  // kind burst; its request is `http`
  SourcePos pos;
};

struct HistorySpec {
  int limit = 100;          // recent results kept per probe
  int failure_limit = 100;  // failures kept per probe after they leave the recent ring
};

struct GlobalSpec {
  Duration interval = std::chrono::seconds(15);
  Duration timeout = std::chrono::seconds(5);
  double jitter = 0.1;  // each run starts up to jitter * interval late (spreads load)
  int max_concurrency = 32;        // workers for probes that answer quickly
  int slow_max_concurrency = 256;  // workers for probes whose last run took >= 250 ms
  LabelPairs labels;
  std::vector<double> histogram_buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                           0.5,   1,    2.5,   5,    10};
  HistorySpec history;
};

struct ProbeEndpointSpec {
  // RE2 patterns, fully anchored, matched against the target query parameter.
  // Empty = any target allowed (blackbox_exporter-compatible); a warning is logged.
  std::vector<std::string> allowed_targets;
};

struct Config {
  std::string file;  // path it was loaded from
  GlobalSpec global;
  std::map<std::string, ProbeSpec> modules;
  std::vector<ProbeSpec> probes;
  ProbeEndpointSpec probe_endpoint;
  RulesSpec rules;
  AlertingSpec alerting;
  StorageSpec storage;
  std::vector<SloSpec> slos;  // slo_spec.h; ruler/slo_rules.h generates their rules
  ReadinessSpec readiness;    // readiness_spec.h: the release verdict
  // Non-fatal findings (e.g. a secret file that cannot be read: its probes are skipped).
  std::vector<std::string> warnings;
};

using ConfigPtr = std::shared_ptr<const Config>;

}  // namespace smoke::config
