#include "exporter/results/probe_json.h"
#include "exporter/ruler/rules_json.h"
#include "exporter/server/handlers.h"

namespace smoke::server {

HttpResponse HandleRules(Runtime& rt, const HttpRequest& req) {
  const std::string type = req.Param("type");
  if (!type.empty() && type != "alert" && type != "record") {
    return HttpResponse::Json(
        400, results::DumpJson({{"status", "error"},
                                {"errorType", "bad_data"},
                                {"error", "unsupported type \"" + type + "\""}}));
  }
  return HttpResponse::Json(
      200, results::DumpJson(
               {{"status", "success"}, {"data", ruler::RulesToJson(rt.engine().Groups(), type)}}));
}

HttpResponse HandleAlerts(Runtime& rt, const HttpRequest&) {
  return HttpResponse::Json(
      200, results::DumpJson(
               {{"status", "success"}, {"data", ruler::AlertsToJson(rt.engine().Groups())}}));
}

}  // namespace smoke::server
