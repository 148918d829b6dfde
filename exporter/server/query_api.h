#pragma once
// The read side of Prometheus's HTTP API over the embedded TSDB, so that Grafana's Prometheus data
// source, Argo Rollouts, Flagger and Keptn can query the exporter as they query Prometheus:
//   GET|POST /api/v1/query          query, time, timeout, limit, lookback_delta
//   GET|POST /api/v1/query_range    query, start, end, step, timeout, limit, lookback_delta
//   GET|POST /api/v1/series         match[] (required), start, end, limit
//   GET|POST /api/v1/labels         match[], start, end, limit
//   GET      /api/v1/label/<name>/values   match[], start, end, limit
//   GET      /api/v1/status/buildinfo
//   GET      /api/v1/metadata       always empty: the store keeps no HELP/TYPE
// POST takes its parameters as application/x-www-form-urlencoded (body values win over the URL's).
// Answers, parameter handling and error messages follow prometheus/web/api/v1/api.go (see
// prom_json.h for the JSON); a bad parameter is 400 bad_data, a failed evaluation 422 execution.
//
// Timeouts: the engine cannot be interrupted, so an evaluation runs to completion (max_samples
// bounds its memory) and is then reported as a 503 timeout if it took longer than the timeout.
// Thread-safety: the handlers are reentrant; they only read the Queryable, whose Select must
// allow concurrent calls (tsdb::MemoryStorage does).

#include <chrono>
#include <functional>
#include <string>

#include "exporter/core/clock.h"
#include "exporter/promql/engine.h"
#include "exporter/promql/storage.h"
#include "exporter/server/http_server.h"

namespace smoke::server {

struct QueryContext {
  // What queries read; must outlive the request. nullptr: every query answers 503 unavailable.
  const promql::Queryable* storage = nullptr;
  // "Now": the default time of an instant query, and the stopwatch of the timeout.
  core::Clock* clock = &core::SystemClock::Default();
  promql::EvalOptions options;
  // Prometheus's --query.timeout; a request's `timeout` parameter can only lower it.
  core::Duration timeout = std::chrono::minutes(2);
  // Reported by /api/v1/status/buildinfo.
  std::string version = "dev";
};

HttpResponse HandleQuery(const QueryContext& ctx, const HttpRequest& req);
HttpResponse HandleQueryRange(const QueryContext& ctx, const HttpRequest& req);
HttpResponse HandleSeries(const QueryContext& ctx, const HttpRequest& req);
HttpResponse HandleLabels(const QueryContext& ctx, const HttpRequest& req);
// req.path is /api/v1/label/<name>/values.
HttpResponse HandleLabelValues(const QueryContext& ctx, const HttpRequest& req);
HttpResponse HandleBuildInfo(const QueryContext& ctx, const HttpRequest& req);
HttpResponse HandleMetadata(const QueryContext& ctx, const HttpRequest& req);

// Routes the endpoints above, with Prometheus's methods (others get 405). `context` is called once
// per request, so it may hand out whatever storage and options are current.
void InstallQueryRoutes(HttpServer& server, std::function<QueryContext()> context);

}  // namespace smoke::server
