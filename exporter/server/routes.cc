#include "exporter/config/loader.h"
#include "exporter/server/handlers.h"
#include "exporter/server/query_api.h"

namespace smoke::server {
namespace {

HttpResponse MethodNotAllowed(const char* allowed) {
  HttpResponse r =
      HttpResponse::Text(405, std::string("Method not allowed; use ") + allowed + "\n");
  r.headers.emplace_back("Allow", allowed);
  return r;
}

// Wraps a read-only handler: GET and HEAD only.
HttpHandler ReadOnly(Runtime& rt, HttpResponse (*fn)(Runtime&, const HttpRequest&)) {
  return [&rt, fn](const HttpRequest& req) {
    if (req.method != "GET" && req.method != "HEAD") return MethodNotAllowed("GET");
    return fn(rt, req);
  };
}

}  // namespace

HttpResponse HandleConfig(Runtime& rt, const HttpRequest&) {
  HttpResponse r = HttpResponse::Text(200, config::RenderConfigYaml(*rt.config()));
  r.content_type = "text/yaml; charset=utf-8";
  return r;
}

HttpResponse HandleReload(Runtime& rt, const HttpRequest& req, bool enabled) {
  if (req.method != "POST" && req.method != "PUT") return MethodNotAllowed("POST");
  if (!enabled) {
    return HttpResponse::Text(403,
                              "Lifecycle API is not enabled (start with "
                              "--web.enable-lifecycle, or send SIGHUP)\n");
  }
  core::Status s = rt.Reload();
  if (!s.ok()) return HttpResponse::Text(500, "failed to reload config:\n" + s.message() + "\n");
  return HttpResponse::Text(200, "config reloaded\n");
}

void InstallRoutes(HttpServer& server, Runtime& rt, bool enable_lifecycle) {
  server.Route("/metrics", ReadOnly(rt, HandleMetrics));
  server.Route("/probe", ReadOnly(rt, HandleProbe));
  server.Route("/api/v1/probes", ReadOnly(rt, HandleProbesList));
  server.Route("/api/v1/probes/", ReadOnly(rt, HandleProbeDetail));
  server.Route("/api/v1/rules", ReadOnly(rt, HandleRules));
  server.Route("/api/v1/alerts", ReadOnly(rt, HandleAlerts));
  InstallQueryRoutes(server, [&rt] {
    QueryContext ctx;
    ctx.storage = &rt.engine().storage();
    ctx.clock = &rt.clock();
    ctx.options = rt.engine().eval_options();
    return ctx;
  });
  server.Route("/api/v1/readiness",
               [&rt](const HttpRequest& req) { return HandleReadiness(rt, req); });
  server.Route("/api/v1/readiness/decisions", ReadOnly(rt, HandleReadinessDecisions));
  server.Route("/config", ReadOnly(rt, HandleConfig));
  server.Route("/", ReadOnly(rt, HandleStatusPage));
  server.Route("/-/healthy",
               [](const HttpRequest&) { return HttpResponse::Text(200, "Healthy\n"); });
  server.Route("/-/ready", [](const HttpRequest&) { return HttpResponse::Text(200, "Ready\n"); });
  server.Route("/-/reload", [&rt, enable_lifecycle](const HttpRequest& req) {
    return HandleReload(rt, req, enable_lifecycle);
  });
}

}  // namespace smoke::server
