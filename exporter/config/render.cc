// RenderConfigYaml (declared in loader.h): the effective config as /config shows it. Secrets are
// written as Secret::Redacted() — this file never calls Secret::value().

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>

#include "exporter/config/assertion_parser.h"
#include "exporter/config/byte_size.h"
#include "exporter/config/contract_render.h"
#include "exporter/config/json_expression.h"
#include "exporter/config/loader.h"
#include "exporter/config/monitoring_kinds.h"
#include "exporter/config/monitoring_render.h"
#include "exporter/config/postgres_parser.h"
#include "exporter/config/tcp_parser.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

// True when a YAML reader would take `s` for something other than a string.
bool LooksTyped(const std::string& s) {
  if (s.empty()) return true;
  static const char* const kWords[] = {"null", "Null",  "NULL",  "~",     "true", "True",
                                       "TRUE", "false", "False", "FALSE", "yes",  "no",
                                       "on",   "off",   "y",     "n"};
  for (const char* w : kWords) {
    if (s == w) return true;
  }
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

class Renderer {
 public:
  Renderer() { out_.SetIndent(2); }

  std::string Render(const Config& config) {
    out_ << YAML::BeginMap;
    out_ << YAML::Key << "global" << YAML::Value;
    Global(config.global);
    out_ << YAML::Key << "probe_endpoint" << YAML::Value << YAML::BeginMap;
    out_ << YAML::Key << "allowed_targets" << YAML::Value;
    BeginSeq(config.probe_endpoint.allowed_targets.empty());
    for (const std::string& t : config.probe_endpoint.allowed_targets) String(t);
    out_ << YAML::EndSeq << YAML::EndMap;
    out_ << YAML::Key << "modules" << YAML::Value;
    BeginMap(config.modules.empty());
    for (const auto& [name, spec] : config.modules) {
      out_ << YAML::Key << name << YAML::Value;
      Probe(spec, /*is_module=*/true);
    }
    out_ << YAML::EndMap;
    out_ << YAML::Key << "probes" << YAML::Value;
    BeginSeq(config.probes.empty());
    for (const ProbeSpec& spec : config.probes) Probe(spec, /*is_module=*/false);
    out_ << YAML::EndSeq;
    Engine(config);
    out_ << YAML::EndMap;
    return std::string(out_.c_str()) + "\n";
  }

 private:
  void String(const std::string& s) {
    if (LooksTyped(s)) {
      out_ << YAML::DoubleQuoted << s;
    } else {
      out_ << s;
    }
  }
  void Number(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_ << std::string(buf, ec == std::errc() ? end : buf);
  }
  void Pair(const char* key, const std::string& value) {
    out_ << YAML::Key << key << YAML::Value;
    String(value);
  }
  void Pair(const char* key, bool value) {
    out_ << YAML::Key << key << YAML::Value << (value ? "true" : "false");
  }
  void Pair(const char* key, int64_t value) {
    out_ << YAML::Key << key << YAML::Value << std::to_string(value);
  }
  void DurationPair(const char* key, core::Duration d) {
    out_ << YAML::Key << key << YAML::Value << core::FormatDuration(d);
  }
  // Empty collections in flow style ("{}", "[]") keep the output readable.
  void BeginMap(bool empty) {
    if (empty) out_ << YAML::Flow;
    out_ << YAML::BeginMap;
  }
  void BeginSeq(bool empty) {
    if (empty) out_ << YAML::Flow;
    out_ << YAML::BeginSeq;
  }
  void Labels(const LabelPairs& labels) {
    out_ << YAML::Key << "labels" << YAML::Value;
    BeginMap(labels.empty());
    for (const auto& [name, value] : labels) Pair(name.c_str(), value);
    out_ << YAML::EndMap;
  }

  // rules:, alerting:, storage: (engine_spec.h).
  void Engine(const Config& config) {
    const RulesSpec& r = config.rules;
    out_ << YAML::Key << "rules" << YAML::Value << YAML::BeginMap;
    out_ << YAML::Key << "files" << YAML::Value;
    BeginSeq(r.files.empty());
    for (const std::string& f : r.files) String(f);
    out_ << YAML::EndSeq;
    DurationPair("evaluation_interval", r.evaluation_interval);
    if (r.query_offset.count() > 0) DurationPair("query_offset", r.query_offset);
    DurationPair("resend_delay", r.resend_delay);
    DurationPair("for_outage_tolerance", r.for_outage_tolerance);
    DurationPair("for_grace_period", r.for_grace_period);
    out_ << YAML::Key << "external_labels" << YAML::Value;
    BeginMap(r.external_labels.empty());
    for (const auto& [name, value] : r.external_labels) Pair(name.c_str(), value);
    out_ << YAML::EndMap;
    if (!r.external_url.empty()) Pair("external_url", r.external_url);
    if (!r.state_file.empty()) Pair("state_file", r.state_file);
    out_ << YAML::EndMap;

    const AlertingSpec& a = config.alerting;
    out_ << YAML::Key << "alerting" << YAML::Value << YAML::BeginMap;
    out_ << YAML::Key << "alertmanagers" << YAML::Value;
    BeginSeq(a.alertmanagers.empty());
    for (const AlertmanagerTargetSpec& am : a.alertmanagers) {
      out_ << YAML::BeginMap;
      Pair("url", am.url);
      DurationPair("timeout", am.timeout);
      if (am.basic_auth_username) {
        out_ << YAML::Key << "basic_auth" << YAML::Value << YAML::BeginMap;
        Pair("username", *am.basic_auth_username);
        if (am.basic_auth_password) Pair("password", am.basic_auth_password->Redacted());
        out_ << YAML::EndMap;
      }
      if (am.bearer_token) Pair("bearer_token", am.bearer_token->Redacted());
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
    Pair("queue_capacity", int64_t{a.queue_capacity});
    Pair("required", a.required);
    out_ << YAML::EndMap;

    const StorageSpec& st = config.storage;
    out_ << YAML::Key << "storage" << YAML::Value << YAML::BeginMap;
    DurationPair("retention", st.retention);
    if (!st.snapshot_file.empty()) Pair("snapshot_file", st.snapshot_file);
    DurationPair("snapshot_interval", st.snapshot_interval);
    out_ << YAML::EndMap;
  }

  void Global(const GlobalSpec& g) {
    out_ << YAML::BeginMap;
    DurationPair("interval", g.interval);
    DurationPair("timeout", g.timeout);
    out_ << YAML::Key << "jitter" << YAML::Value;
    Number(g.jitter);
    Pair("max_concurrency", int64_t{g.max_concurrency});
    Pair("slow_max_concurrency", int64_t{g.slow_max_concurrency});
    Labels(g.labels);
    out_ << YAML::Key << "histogram_buckets" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (double b : g.histogram_buckets) Number(b);
    out_ << YAML::EndSeq;
    out_ << YAML::Key << "history" << YAML::Value << YAML::BeginMap;
    Pair("limit", int64_t{g.history.limit});
    Pair("failure_limit", int64_t{g.history.failure_limit});
    out_ << YAML::EndMap << YAML::EndMap;
  }

  void Probe(const ProbeSpec& p, bool is_module) {
    out_ << YAML::BeginMap;
    if (!is_module) {
      Pair("name", p.name);
      if (!p.module.empty()) Pair("module", p.module);
    }
    Pair("kind", p.kind);
    Pair("component", p.component);
    if (!is_module) Pair("target", p.target);
    DurationPair("interval", p.interval);
    DurationPair("timeout", p.timeout);
    Labels(p.labels);
    if (p.kind == "http") {
      out_ << YAML::Key << "http" << YAML::Value;
      Http(p.http);
    } else if (p.kind == "tcp") {
      out_ << YAML::Key << "tcp" << YAML::Value;
      Tcp(p.tcp);
    } else if (p.kind == "redis") {
      out_ << YAML::Key << "redis" << YAML::Value;
      Redis(p.redis);
    } else if (p.kind == "postgres") {
      out_ << YAML::Key << "postgres" << YAML::Value;
      Postgres(p.postgres);
    } else if (p.kind == "burst") {
      out_ << YAML::Key << "http" << YAML::Value;
      Http(p.http);
      RenderBurst(out_, p.burst);
    } else if (IsMonitoringKind(p.kind)) {
      RenderMonitoringBlocks(out_, p);
    }
    out_ << YAML::EndMap;
  }

  void Http(const HttpSpec& h) {
    out_ << YAML::BeginMap;
    Pair("method", h.method);
    out_ << YAML::Key << "headers" << YAML::Value;
    BeginMap(h.headers.empty());
    for (const Header& header : h.headers) {
      Pair(header.name.c_str(), header.secret ? header.secret->Redacted() : header.value);
    }
    out_ << YAML::EndMap;
    if (!h.body.empty()) Pair("body", h.body);
    if (h.basic_auth) {
      out_ << YAML::Key << "basic_auth" << YAML::Value << YAML::BeginMap;
      Pair("username", h.basic_auth->username);
      Pair("password", h.basic_auth->password.Redacted());
      out_ << YAML::EndMap;
    }
    if (h.bearer_token) Pair("bearer_token", h.bearer_token->Redacted());
    out_ << YAML::Key << "tls" << YAML::Value;
    Tls(h.tls);
    Pair("follow_redirects", h.follow_redirects);
    Pair("max_redirects", int64_t{h.max_redirects});
    Pair("ip_protocol", std::string(h.ip_protocol == IpProtocol::kIp4   ? "ip4"
                                    : h.ip_protocol == IpProtocol::kIp6 ? "ip6"
                                                                        : "any"));
    Pair("ip_protocol_fallback", h.ip_protocol_fallback);
    Pair("body_size_limit", FormatByteSize(h.body_size_limit));
    Assertions(h.assertions);
    if (h.contract) RenderContract(out_, *h.contract);
    out_ << YAML::EndMap;
  }

  void Tcp(const TcpSpec& t) {
    out_ << YAML::BeginMap;
    Pair("send", EncodeEscapes(t.send));
    Pair("expect", t.expect);
    Pair("tls", t.tls);
    out_ << YAML::Key << "tls_config" << YAML::Value;
    Tls(t.tls_config);
    Assertions(t.assertions);
    out_ << YAML::EndMap;
  }

  void Redis(const RedisSpec& r) {
    out_ << YAML::BeginMap;
    Pair("db", r.db);
    if (!r.username.empty()) Pair("username", r.username);
    if (r.password) Pair("password", r.password->Redacted());
    Pair("key_prefix", r.key_prefix);
    Pair("round_trip", r.round_trip);
    DurationPair("round_trip_ttl", r.round_trip_ttl);
    if (r.connect_timeout) DurationPair("connect_timeout", *r.connect_timeout);
    if (r.command_timeout) DurationPair("command_timeout", *r.command_timeout);
    if (r.max_ping_latency) DurationPair("max_ping_latency", *r.max_ping_latency);
    if (r.min_hit_ratio) {
      out_ << YAML::Key << "min_hit_ratio" << YAML::Value;
      Number(*r.min_hit_ratio);
    }
    if (!r.expect_role.empty()) Pair("expect_role", r.expect_role);
    out_ << YAML::Key << "keys_exist" << YAML::Value;
    BeginSeq(r.keys_exist.empty());
    for (const std::string& key : r.keys_exist) String(key);
    out_ << YAML::EndSeq;
    if (r.min_keys) Pair("min_keys", *r.min_keys);
    out_ << YAML::EndMap;
  }

  // Connection settings left to the target URL are omitted rather than shown with a default, so
  // /config does not suggest they were set twice.
  void Postgres(const PostgresSpec& pg) {
    out_ << YAML::BeginMap;
    if (!pg.dbname.empty()) Pair("dbname", pg.dbname);
    if (!pg.user.empty()) Pair("user", pg.user);
    if (pg.password) Pair("password", pg.password->Redacted());
    if (!pg.sslmode.empty()) Pair("sslmode", pg.sslmode);
    if (!pg.sslrootcert.empty()) Pair("sslrootcert", pg.sslrootcert);
    if (!pg.application_name.empty()) Pair("application_name", pg.application_name);
    Pair("keep_connection", pg.keep_connection);
    out_ << YAML::Key << "tables" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string& table : pg.tables) String(table);
    out_ << YAML::EndSeq;
    out_ << YAML::Key << "min_rows" << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [table, rows] : pg.min_rows) Pair(table.c_str(), rows);
    out_ << YAML::EndMap;
    if (pg.max_connections_ratio) {
      out_ << YAML::Key << "max_connections_ratio" << YAML::Value;
      Number(*pg.max_connections_ratio);
    }
    if (pg.max_replication_lag) DurationPair("max_replication_lag", *pg.max_replication_lag);
    out_ << YAML::Key << "queries" << YAML::Value;
    BeginSeq(pg.queries.empty());
    for (const PostgresQuery& q : pg.queries) {
      out_ << YAML::BeginMap;
      Pair("name", q.name);
      Pair("sql", q.sql);
      if (q.expect) Pair("expect", FormatPostgresExpect(*q.expect));
      if (q.max_latency) DurationPair("max_latency", *q.max_latency);
      Pair("severity", std::string(core::SeverityName(q.severity)));
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
    out_ << YAML::EndMap;
  }

  void Tls(const TlsSpec& t) {
    out_ << YAML::BeginMap;
    if (!t.ca_file.empty()) Pair("ca_file", t.ca_file);
    if (!t.cert_file.empty()) Pair("cert_file", t.cert_file);
    if (!t.key_file.empty()) Pair("key_file", t.key_file);
    if (!t.server_name.empty()) Pair("server_name", t.server_name);
    Pair("insecure_skip_verify", t.insecure_skip_verify);
    if (!t.min_version.empty()) Pair("min_version", t.min_version);
    out_ << YAML::EndMap;
  }

  void Assertions(const std::vector<Assertion>& list) {
    out_ << YAML::Key << "assertions" << YAML::Value;
    BeginSeq(list.empty());
    for (const Assertion& a : list) AssertionItem(a);
    out_ << YAML::EndSeq;
  }

  void AssertionItem(const Assertion& a) {
    out_ << YAML::BeginMap;
    Pair("name", a.name);
    Pair("severity", std::string(core::SeverityName(a.severity)));
    using Kind = Assertion::Kind;
    switch (a.kind) {
      case Kind::kStatus:
        out_ << YAML::Key << "status" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& range : a.status_ranges) String(FormatStatusRange(range));
        out_ << YAML::EndSeq;
        break;
      case Kind::kBodyRegex:
        Pair(a.negate ? "body_not_regex" : "body_regex", a.pattern);
        break;
      case Kind::kJson:
        Pair("json", FormatJsonExpression(a.json_path, a.json_op, a.json_values, a.pattern));
        break;
      case Kind::kHeader:
        out_ << YAML::Key << "header" << YAML::Value << YAML::BeginMap;
        Pair("name", a.header_name);
        if (a.header_absent) Pair("absent", true);
        if (!a.pattern.empty()) Pair("regex", a.pattern);
        out_ << YAML::EndMap;
        break;
      case Kind::kLatency:
        DurationPair("latency", a.max_latency);
        break;
      case Kind::kCertExpiry:
        DurationPair("cert_expiry", a.min_validity);
        break;
      case Kind::kAllOf:
      case Kind::kAnyOf:
        out_ << YAML::Key << (a.kind == Kind::kAllOf ? "all_of" : "any_of") << YAML::Value
             << YAML::BeginSeq;
        for (const Assertion& child : a.children) AssertionItem(child);
        out_ << YAML::EndSeq;
        break;
    }
    out_ << YAML::EndMap;
  }

  YAML::Emitter out_;
};

}  // namespace

std::string RenderConfigYaml(const Config& config) { return Renderer().Render(config); }

}  // namespace smoke::config
