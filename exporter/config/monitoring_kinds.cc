#include "exporter/config/monitoring_kinds.h"

#include <algorithm>
#include <memory>

#include "exporter/config/alert_pipeline_parser.h"
#include "exporter/config/did_you_mean.h"
#include "exporter/config/dns_parser.h"
#include "exporter/config/http_parser.h"
#include "exporter/config/metrics_parser.h"
#include "exporter/config/stack_parsers.h"
#include "exporter/config/target.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

// The keys of the `http:` block that only shape the request, which these probes build
// themselves.
const std::vector<std::string> kRequestKeys = {"assertions", "body", "contract", "method"};
const std::vector<std::string> kTransportKeys = {
    "basic_auth", "bearer_token_env", "bearer_token_file",    "body_size_limit", "follow_redirects",
    "headers",    "ip_protocol",      "ip_protocol_fallback", "max_redirects",   "tls"};

bool IsRequestKey(const std::string& key) {
  return std::find(kRequestKeys.begin(), kRequestKeys.end(), key) != kRequestKeys.end();
}

HttpSpec ParseHttpTransport(const YamlNode* node, const std::string& kind, const SourcePos& pos,
                            ParseContext& ctx) {
  YamlNodePtr filtered;
  if (node != nullptr && node->IsMap()) {
    auto copy = std::make_shared<YamlNode>(*node);
    for (const YamlEntry& e : node->entries) {
      if (IsRequestKey(e.key)) {
        ctx.diag.Error(e.key_mark, Quote(e.key) + " is not allowed in the http block of kind " +
                                       Quote(kind) + ", which makes its own requests (allowed: " +
                                       JoinNames(kTransportKeys) + ")");
      }
    }
    copy->entries.erase(std::remove_if(copy->entries.begin(), copy->entries.end(),
                                       [](const YamlEntry& e) { return IsRequestKey(e.key); }),
                        copy->entries.end());
    filtered = std::move(copy);
    node = filtered.get();
  }
  HttpSpec http = ParseHttpSpec(node, pos, ctx);
  // ParseHttpSpec adds the default status assertion; these probes judge responses themselves.
  http.assertions.clear();
  return http;
}

}  // namespace

const std::vector<std::string>& MonitoringKinds() {
  static const std::vector<std::string> kKinds = {
      "alert_pipeline", "alertmanager", "dns", "grafana", "jaeger", "metrics", "prometheus"};
  return kKinds;
}

bool IsMonitoringKind(std::string_view kind) {
  const std::vector<std::string>& kinds = MonitoringKinds();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

bool TakesHttpTransport(std::string_view kind) { return IsMonitoringKind(kind) && kind != "dns"; }

std::optional<std::string> MonitoringTargetError(std::string_view kind, std::string_view target) {
  if (kind == "dns") return DnsTargetError(target);
  if (std::optional<std::string> error = HttpTargetError(target)) return error;
  if (kind != "metrics" && target.find_first_of("?#") != std::string_view::npos) {
    return std::string(kind) + " target \"" + std::string(target) +
           "\" must be a base URL without query or fragment (API paths such as /-/healthy are "
           "appended to it)";
  }
  return std::nullopt;
}

void ParseMonitoringBlocks(ProbeSpec& spec, const YamlNode* http, const YamlNode* block,
                           ParseContext& ctx) {
  if (TakesHttpTransport(spec.kind)) spec.http = ParseHttpTransport(http, spec.kind, spec.pos, ctx);
  if (spec.kind == "metrics") {
    spec.metrics = ParseMetricsSpec(block, ctx);
  } else if (spec.kind == "prometheus") {
    spec.prometheus = ParsePrometheusSpec(block, ctx);
  } else if (spec.kind == "alertmanager") {
    spec.alertmanager = ParseAlertmanagerSpec(block, ctx);
  } else if (spec.kind == "grafana") {
    spec.grafana = ParseGrafanaSpec(block, ctx);
  } else if (spec.kind == "jaeger") {
    spec.jaeger = ParseJaegerSpec(block, ctx);
  } else if (spec.kind == "alert_pipeline") {
    spec.alert_pipeline = ParseAlertPipelineSpec(block, spec.timeout, ctx);
  } else if (spec.kind == "dns") {
    spec.dns = ParseDnsSpec(block, ctx);
  }
}

}  // namespace smoke::config
