#pragma once
// The exporter's HTTP endpoints. Each handler is a plain function of the request, so tests call
// them without sockets; InstallRoutes wires them into an HttpServer.
//   GET  /metrics               self, process and per-probe series (text format 0.0.4)
//   GET  /probe?module=&target= blackbox_exporter-compatible one-off probe (&debug=true)
//   GET  /api/v1/probes         every probe's state as JSON
//   GET  /api/v1/probes/{name}  one probe with its history and kept failures
//   GET  /                      status page (HTML, no JavaScript)
//   GET  /api/v1/rules          rule groups, rules, health and alerts (Prometheus's format)
//   GET  /api/v1/alerts         active alerts (Prometheus's format)
//   GET  /api/v1/query[_range], /api/v1/series, /api/v1/labels, ... PromQL over the sample store
//   GET|POST /api/v1/readiness  the release verdict: 200 ready / 503 blocked (readiness_handlers.h)
//   GET  /api/v1/readiness/decisions  the decision log, newest first
//   GET  /config                effective config, secrets redacted
//   GET  /-/healthy, /-/ready   liveness and readiness of the exporter process
//   POST /-/reload              reload the config file

#include "exporter/server/http_server.h"
#include "exporter/server/runtime.h"

namespace smoke::server {

HttpResponse HandleMetrics(Runtime& rt, const HttpRequest& req);
HttpResponse HandleProbe(Runtime& rt, const HttpRequest& req);
HttpResponse HandleProbesList(Runtime& rt, const HttpRequest& req);
HttpResponse HandleProbeDetail(Runtime& rt, const HttpRequest& req);
HttpResponse HandleStatusPage(Runtime& rt, const HttpRequest& req);
HttpResponse HandleRules(Runtime& rt, const HttpRequest& req);
HttpResponse HandleAlerts(Runtime& rt, const HttpRequest& req);
HttpResponse HandleConfig(Runtime& rt, const HttpRequest& req);
HttpResponse HandleReload(Runtime& rt, const HttpRequest& req, bool enabled);
HttpResponse HandleReadiness(Runtime& rt, const HttpRequest& req);
HttpResponse HandleReadinessDecisions(Runtime& rt, const HttpRequest& req);

// `enable_lifecycle` (--web.enable-lifecycle, as Prometheus names it) lets POST /-/reload reload
// the config; without it the endpoint answers 403 and only SIGHUP reloads.
void InstallRoutes(HttpServer& server, Runtime& rt, bool enable_lifecycle);

}  // namespace smoke::server
