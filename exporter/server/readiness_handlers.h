#pragma once
// The release-verdict endpoints, as functions of a ReadinessService and a request (tests call
// them without sockets; handlers.h has the Runtime wrappers the routes use):
//   GET|POST /api/v1/readiness[?component=api&probe=x&label=value...][&blocked_status=200]
//       200 {"ready":true,...} or 503 {"ready":false,"violations":[...],...} (verdict_json.h),
//       plus "logged" (and "log_error" when the decision could not be logged durably).
//       Every query parameter except blocked_status is a label selector; all must hold.
//       A POST may carry a Flagger webhook body: its "metadata" object adds selectors.
//       blocked_status=200 answers a blocked verdict with 200, for clients that treat any
//       non-2xx answer as an error instead of reading it (Argo Rollouts' web provider).
//       Headers: X-Smoke-Decision-Id, X-Smoke-Decision-Logged: true|false.
//   GET /api/v1/readiness/decisions[?limit=N]
//       {"status":"success","data":{"durable":bool,"decisions":[...newest first...]}}
// Thread-safety: as ReadinessService.

#include "exporter/core/status.h"
#include "exporter/readiness/verdict.h"
#include "exporter/server/http_server.h"
#include "exporter/server/readiness_service.h"

namespace smoke::server {

// The scope a request asks about; an error (400) for an invalid label name, an empty value,
// one name with two values, or a POST body that is not a JSON object.
core::Result<readiness::Scope> ReadinessScope(const HttpRequest& req);

HttpResponse HandleReadiness(ReadinessService& service, const HttpRequest& req);
HttpResponse HandleReadinessDecisions(ReadinessService& service, const HttpRequest& req);

}  // namespace smoke::server
