// /probe?module=&target=: blackbox_exporter's multi-target pattern. Prometheus relabels each
// target into the query; the response holds only that probe's series.

#include <prometheus/text_serializer.h>
#include <re2/re2.h>

#include <sstream>

#include "exporter/config/loader.h"
#include "exporter/core/logging.h"
#include "exporter/results/family_builder.h"
#include "exporter/results/probe_json.h"
#include "exporter/results/result_exposition.h"
#include "exporter/server/handlers.h"

namespace smoke::server {
namespace {

// Prometheus announces its scrape timeout; leave this much for the response to travel back.
constexpr double kTimeoutOffsetSeconds = 0.5;

bool TargetAllowed(const config::Config& cfg, const std::string& target) {
  if (cfg.probe_endpoint.allowed_targets.empty()) return true;
  for (const std::string& pattern : cfg.probe_endpoint.allowed_targets) {
    if (RE2::FullMatch(target, pattern)) return true;
  }
  return false;
}

}  // namespace

HttpResponse HandleProbe(Runtime& rt, const HttpRequest& req) {
  const std::string target = req.Param("target");
  if (target.empty()) return HttpResponse::Text(400, "Target parameter is missing\n");
  std::string module = req.Param("module");
  if (module.empty()) module = "http_2xx";
  config::ConfigPtr cfg = rt.config();
  if (cfg->modules.find(module) == cfg->modules.end()) {
    return HttpResponse::Text(400, "Unknown module \"" + module + "\"\n");
  }
  if (!TargetAllowed(*cfg, target)) {
    core::LogWarn("probe target rejected by probe_endpoint.allowed_targets",
                  {{"module", module}, {"target", results::RedactTarget(target)}});
    return HttpResponse::Text(403, "Target is not allowed by probe_endpoint.allowed_targets\n");
  }
  core::Duration cap{0};
  const std::string scrape_timeout = req.Header("x-prometheus-scrape-timeout-seconds");
  if (!scrape_timeout.empty()) {
    char* end = nullptr;
    double seconds = std::strtod(scrape_timeout.c_str(), &end);
    if (end == scrape_timeout.c_str() || *end != '\0' || !(seconds > 0)) {
      return HttpResponse::Text(400, "Invalid X-Prometheus-Scrape-Timeout-Seconds header\n");
    }
    cap = core::FromSeconds(std::max(seconds - kTimeoutOffsetSeconds, 0.001));
  }
  core::Result<core::ProbeResult> result = rt.RunModule(module, target, cap);
  if (!result.ok()) return HttpResponse::Text(400, result.status().message() + "\n");

  results::FamilyBuilder families;
  results::AppendResultSeries(*result, {}, families);
  std::ostringstream metrics;
  prometheus::TextSerializer().Serialize(metrics, families.Take());
  if (req.Param("debug") != "true") {
    HttpResponse resp = HttpResponse::Text(200, metrics.str());
    resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return resp;
  }
  std::string body = "Result of the probe:\n" + results::DumpJson(results::ResultToJson(*result), 2) +
                     "\n\nMetrics that would have been returned:\n" + metrics.str() +
                     "\n\nModule configuration:\n";
  config::Config module_only;
  module_only.modules[module] = cfg->modules.at(module);
  body += config::RenderConfigYaml(module_only) + "\n";
  return HttpResponse::Text(200, body);
}

}  // namespace smoke::server
