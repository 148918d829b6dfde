#include "exporter/server/readiness_handlers.h"

#include <algorithm>
#include <map>

#include "exporter/promql/labels.h"
#include "exporter/readiness/verdict_json.h"
#include "exporter/results/probe_json.h"
#include "exporter/server/handlers.h"
#include "exporter/server/query_params.h"

namespace smoke::server {
namespace {

using nlohmann::json;

constexpr char kBlockedStatusParam[] = "blocked_status";
constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 10000;

HttpResponse JsonError(int status, const std::string& message) {
  HttpResponse r =
      HttpResponse::Json(status, results::DumpJson({{"status", "error"}, {"error", message}}));
  return r;
}

core::Status AddSelector(std::map<std::string, std::string>& seen, readiness::Scope& scope,
                         const std::string& name, const std::string& value) {
  if (!promql::IsValidLabelName(name)) {
    return core::Status::Error("invalid label name \"" + name + "\" in the scope");
  }
  if (value.empty()) {
    return core::Status::Error("empty value for \"" + name + "\" in the scope");
  }
  auto [it, inserted] = seen.emplace(name, value);
  if (!inserted) {
    if (it->second == value) return core::Status::Ok();
    return core::Status::Error("conflicting values for \"" + name + "\" in the scope: \"" +
                               it->second + "\" and \"" + value + "\"");
  }
  scope.emplace_back(name, value);
  return core::Status::Ok();
}

}  // namespace

core::Result<readiness::Scope> ReadinessScope(const HttpRequest& req) {
  readiness::Scope scope;
  std::map<std::string, std::string> seen;
  for (const auto& [name, value] : ParseUrlEncoded(req.query)) {
    if (name == kBlockedStatusParam) continue;
    if (core::Status s = AddSelector(seen, scope, name, value); !s.ok()) return s;
  }
  if (req.method == "POST" && !req.body.empty()) {
    const json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
      return core::Status::Error(
          "the request body must be a JSON object (a Flagger webhook "
          "payload) or empty");
    }
    if (auto md = body.find("metadata"); md != body.end() && md->is_object()) {
      for (const auto& [name, value] : md->items()) {
        if (!value.is_string()) {
          return core::Status::Error("metadata \"" + name + "\" must be a string");
        }
        if (core::Status s = AddSelector(seen, scope, name, value.get<std::string>()); !s.ok()) {
          return s;
        }
      }
    }
  }
  std::sort(scope.begin(), scope.end());
  return scope;
}

HttpResponse HandleReadiness(ReadinessService& service, const HttpRequest& req) {
  if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
    HttpResponse r = JsonError(405, "method not allowed; use GET or POST");
    r.headers.emplace_back("Allow", "GET, HEAD, POST");
    return r;
  }
  const std::string blocked_status = req.Param(kBlockedStatusParam);
  if (!blocked_status.empty() && blocked_status != "200" && blocked_status != "503") {
    return JsonError(400, "blocked_status must be 200 or 503, got \"" + blocked_status + "\"");
  }
  core::Result<readiness::Scope> scope = ReadinessScope(req);
  if (!scope.ok()) return JsonError(400, scope.status().message());

  const ServedVerdict served = service.Serve(*scope, req.Header("user-agent"));
  json body = readiness::VerdictToJson(served.verdict);
  body["logged"] = served.logged;
  if (!served.logged) body["log_error"] = served.log_error;
  const int status = served.verdict.ready || blocked_status == "200" ? 200 : 503;
  HttpResponse r = HttpResponse::Json(status, results::DumpJson(body) + "\n");
  r.headers.emplace_back("X-Smoke-Decision-Id", served.verdict.decision_id);
  r.headers.emplace_back("X-Smoke-Decision-Logged", served.logged ? "true" : "false");
  return r;
}

HttpResponse HandleReadinessDecisions(ReadinessService& service, const HttpRequest& req) {
  size_t limit = kDefaultLimit;
  if (req.HasParam("limit")) {
    const std::string text = req.Param("limit");
    const bool digits =
        !text.empty() && text.size() <= 9 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    const size_t n = digits ? std::stoul(text) : 0;
    if (!digits || n < 1 || n > kMaxLimit) {
      return JsonError(400, "limit must be an integer between 1 and " + std::to_string(kMaxLimit) +
                                ", got \"" + text + "\"");
    }
    limit = n;
  }
  core::Result<std::vector<json>> decisions = service.Decisions(limit);
  if (!decisions.ok()) return JsonError(500, decisions.status().message());
  json data = {{"durable", service.decision_log_durable()}, {"decisions", *decisions}};
  HttpResponse r =
      HttpResponse::Json(200, results::DumpJson({{"status", "success"}, {"data", data}}));
  return r;
}

HttpResponse HandleReadiness(Runtime& rt, const HttpRequest& req) {
  return HandleReadiness(rt.readiness(), req);
}

HttpResponse HandleReadinessDecisions(Runtime& rt, const HttpRequest& req) {
  return HandleReadinessDecisions(rt.readiness(), req);
}

}  // namespace smoke::server
