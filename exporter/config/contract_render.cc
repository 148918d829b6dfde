#include "exporter/config/contract_render.h"

#include <charconv>

#include "exporter/config/assertion_parser.h"
#include "exporter/config/contract_parser.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

class Writer {
 public:
  explicit Writer(YAML::Emitter& out) : out_(out) {}

  // Quoted always: option values such as "' OR '1'='1" or "{}" must survive a YAML round trip.
  void Str(const char* key, const std::string& value) {
    out_ << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
  }
  void Bool(const char* key, bool value) {
    out_ << YAML::Key << key << YAML::Value << (value ? "true" : "false");
  }
  void Num(const char* key, double value) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out_ << YAML::Key << key << YAML::Value << std::string(buf, ec == std::errc() ? end : buf);
  }
  void List(const char* key, const std::vector<std::string>& items) {
    out_ << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string& item : items) out_ << YAML::DoubleQuoted << item;
    out_ << YAML::EndSeq;
  }
  void Statuses(const char* key, const std::vector<std::pair<int, int>>& ranges) {
    std::vector<std::string> items;
    for (const auto& r : ranges) items.push_back(FormatStatusRange(r));
    List(key, items);
  }
  void Severity(core::Severity s) { Str("severity", std::string(core::SeverityName(s))); }

 private:
  YAML::Emitter& out_;
};

}  // namespace

void RenderContract(YAML::Emitter& out, const ContractSpec& c) {
  Writer w(out);
  out << YAML::Key << "contract" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << c.name << YAML::Value << YAML::BeginMap;
  w.Severity(c.severity);
  if (!c.expect_status.empty()) w.Statuses("expect_status", c.expect_status);
  switch (c.kind) {
    case ContractKind::kHealth:
      w.Str("status_field", c.status_field);
      w.Str("dependencies_field", c.dependencies_field);
      w.List("healthy_values", c.healthy_values);
      w.List("degraded_values", c.degraded_values);
      w.List("required_dependencies", c.required_dependencies);
      break;
    case ContractKind::kOpenApi:
      w.List("required_paths", c.required_paths);
      w.Num("min_paths", static_cast<double>(c.min_paths));
      break;
    case ContractKind::kNotFound:
    case ContractKind::kInvalidInput:
      w.Str("error_field", c.error_field);
      break;
    case ContractKind::kAuthRequired:
      break;
    case ContractKind::kSqlInjection:
      w.Str("payload", c.payload);
      if (!c.param.empty()) w.Str("param", c.param);
      w.List("extra_signatures", c.extra_signatures);
      break;
    case ContractKind::kSecurityHeaders:
      out << YAML::Key << "headers" << YAML::Value << YAML::BeginSeq;
      for (const SecurityHeaderSpec& h : c.headers) {
        out << YAML::Flow << YAML::BeginMap;
        w.Str("name", h.name);
        if (!h.pattern.empty()) w.Str("regex", h.pattern);
        w.Severity(h.severity);
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
      break;
    case ContractKind::kCors:
      w.Str("origin", c.origin);
      w.Bool("preflight", c.preflight);
      if (c.preflight) {
        w.Str("method", c.request_method);
        w.List("request_headers", c.request_headers);
      }
      w.Bool("credentials", c.credentials);
      break;
    case ContractKind::kWebhookSignature:
      w.Str("method", c.method);
      w.Str("body", c.body.value_or(""));
      w.Str("content_type", c.content_type);
      break;
  }
  out << YAML::EndMap << YAML::EndMap;
}

void RenderBurst(YAML::Emitter& out, const BurstSpec& b) {
  Writer w(out);
  out << YAML::Key << "burst" << YAML::Value << YAML::BeginMap;
  w.Num("concurrency", b.concurrency);
  out << YAML::Key << "duration" << YAML::Value << core::FormatDuration(b.duration);
  w.Num("requests", static_cast<double>(b.requests));
  out << YAML::Key << "request_timeout" << YAML::Value << core::FormatDuration(b.request_timeout);
  w.Statuses("expect_status", b.expect_status);
  w.Num("max_error_rate", b.max_error_rate);
  out << YAML::Key << "baseline" << YAML::Value << YAML::BeginMap;
  for (const auto& [stat, value] : b.baseline) {
    const std::string name(BurstStatName(stat));
    if (stat == BurstStat::kThroughput || stat == BurstStat::kSuccessRate) {
      w.Num(name.c_str(), value);
    } else {
      out << YAML::Key << name << YAML::Value
          << core::FormatDuration(
                 std::chrono::duration_cast<core::Duration>(std::chrono::duration<double>(value)));
    }
  }
  out << YAML::EndMap;
  for (const auto& [key, bounds] :
       {std::pair{"max_ratio", &b.max_ratio}, std::pair{"min_ratio", &b.min_ratio}}) {
    out << YAML::Key << key << YAML::Value << YAML::BeginMap;
    for (const BurstBound& bound : *bounds)
      w.Num(std::string(BurstStatName(bound.stat)).c_str(), bound.ratio);
    out << YAML::EndMap;
  }
  w.Severity(b.severity);
  out << YAML::EndMap;
}

}  // namespace smoke::config
