#include "exporter/config/monitoring_render.h"

#include "exporter/config/byte_size.h"
#include "exporter/config/monitoring_kinds.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

class BlockRenderer {
 public:
  explicit BlockRenderer(YAML::Emitter& out) : out_(out) {}

  void Transport(const HttpSpec& h) {
    out_ << YAML::Key << "http" << YAML::Value << YAML::BeginMap;
    out_ << YAML::Key << "headers" << YAML::Value;
    if (h.headers.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginMap;
    for (const Header& header : h.headers) {
      Pair(header.name, header.secret ? header.secret->Redacted() : header.value);
    }
    out_ << YAML::EndMap;
    if (h.basic_auth) {
      out_ << YAML::Key << "basic_auth" << YAML::Value << YAML::BeginMap;
      Pair("username", h.basic_auth->username);
      Pair("password", h.basic_auth->password.Redacted());
      out_ << YAML::EndMap;
    }
    if (h.bearer_token) Pair("bearer_token", h.bearer_token->Redacted());
    out_ << YAML::Key << "tls" << YAML::Value << YAML::BeginMap;
    if (!h.tls.ca_file.empty()) Pair("ca_file", h.tls.ca_file);
    if (!h.tls.cert_file.empty()) Pair("cert_file", h.tls.cert_file);
    if (!h.tls.key_file.empty()) Pair("key_file", h.tls.key_file);
    if (!h.tls.server_name.empty()) Pair("server_name", h.tls.server_name);
    Bool("insecure_skip_verify", h.tls.insecure_skip_verify);
    if (!h.tls.min_version.empty()) Pair("min_version", h.tls.min_version);
    out_ << YAML::EndMap;
    Bool("follow_redirects", h.follow_redirects);
    Int("max_redirects", h.max_redirects);
    Pair("ip_protocol", h.ip_protocol == IpProtocol::kIp4   ? "ip4"
                        : h.ip_protocol == IpProtocol::kIp6 ? "ip6"
                                                            : "any");
    Bool("ip_protocol_fallback", h.ip_protocol_fallback);
    Pair("body_size_limit", FormatByteSize(h.body_size_limit));
    out_ << YAML::EndMap;
  }

  void Kind(const ProbeSpec& p) {
    out_ << YAML::Key << p.kind << YAML::Value << YAML::BeginMap;
    if (p.kind == "metrics") {
      out_ << YAML::Key << "required" << YAML::Value;
      if (p.metrics.required.empty()) out_ << YAML::Flow;
      out_ << YAML::BeginSeq;
      for (const RequiredMetric& r : p.metrics.required) {
        if (r.labels.empty()) {
          out_ << r.metric;
          continue;
        }
        out_ << YAML::Flow << YAML::BeginMap;
        Pair("metric", r.metric);
        Labels("labels", r.labels);
        out_ << YAML::EndMap;
      }
      out_ << YAML::EndSeq;
      if (p.metrics.min_families) Int("min_families", *p.metrics.min_families);
      if (p.metrics.max_series) Int("max_series", *p.metrics.max_series);
    } else if (p.kind == "prometheus") {
      const PrometheusSpec& s = p.prometheus;
      Bool("check_ready", s.check_ready);
      Bool("check_targets", s.check_targets);
      Bool("check_rules", s.check_rules);
      List("required_jobs", s.required_jobs);
      List("ignore_jobs", s.ignore_jobs);
      Pair("targets_severity", std::string(core::SeverityName(s.targets_severity)));
      Pair("rules_severity", std::string(core::SeverityName(s.rules_severity)));
    } else if (p.kind == "alertmanager") {
      const AlertmanagerSpec& s = p.alertmanager;
      Bool("check_ready", s.check_ready);
      Bool("check_cluster", s.check_cluster);
      Int("min_peers", s.min_peers);
      Pair("cluster_severity", std::string(core::SeverityName(s.cluster_severity)));
    } else if (p.kind == "grafana") {
      Bool("check_database", p.grafana.check_database);
    } else if (p.kind == "jaeger") {
      Bool("check_ui", p.jaeger.check_ui);
      List("required_services", p.jaeger.required_services);
      Pair("services_severity", std::string(core::SeverityName(p.jaeger.services_severity)));
    } else if (p.kind == "alert_pipeline") {
      const AlertPipelineSpec& s = p.alert_pipeline;
      Pair("alertname", s.alertname);
      Labels("labels", s.labels);
      Pair("ends_after", core::FormatDuration(s.ends_after));
      if (!s.expect_receiver.empty()) Pair("expect_receiver", s.expect_receiver);
    } else if (p.kind == "dns") {
      Pair("ip_protocol", p.dns.ip_protocol);
      List("expected_addresses", p.dns.expected_addresses);
      if (p.dns.max_resolve_time) {
        Pair("max_resolve_time", core::FormatDuration(*p.dns.max_resolve_time));
      }
    }
    out_ << YAML::EndMap;
  }

 private:
  // Values are always quoted strings or plain words we produce ourselves; DoubleQuoted keeps a
  // user's "true" or "10" from reading back as another type.
  void Pair(const std::string& key, const std::string& value) {
    out_ << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
  }
  void Int(const std::string& key, int64_t value) {
    out_ << YAML::Key << key << YAML::Value << std::to_string(value);
  }
  void Bool(const std::string& key, bool value) {
    out_ << YAML::Key << key << YAML::Value << (value ? "true" : "false");
  }
  void List(const std::string& key, const std::vector<std::string>& values) {
    out_ << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string& v : values) out_ << YAML::DoubleQuoted << v;
    out_ << YAML::EndSeq;
  }
  void Labels(const std::string& key, const std::vector<std::pair<std::string, std::string>>& l) {
    out_ << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [name, value] : l) Pair(name, value);
    out_ << YAML::EndMap;
  }

  YAML::Emitter& out_;
};

}  // namespace

void RenderMonitoringBlocks(YAML::Emitter& out, const ProbeSpec& spec) {
  BlockRenderer renderer(out);
  if (TakesHttpTransport(spec.kind)) renderer.Transport(spec.http);
  renderer.Kind(spec);
}

}  // namespace smoke::config
