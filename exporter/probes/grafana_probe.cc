#include "exporter/probes/grafana_probe.h"

#include <nlohmann/json.hpp>

#include "exporter/probes/monitoring_checks.h"
#include "exporter/probes/service_run.h"

namespace smoke::probes {

core::Result<ProbePtr> GrafanaProbe::Create(const config::ProbeSpec& spec) {
  core::Result<ServiceClient> client = ServiceClient::Create(spec);
  if (!client.ok()) return client.status();
  return ProbePtr(new GrafanaProbe(spec, std::move(client).value()));
}

core::ProbeResult GrafanaProbe::Run(const RunContext& ctx) const {
  ServiceRun run(
      client_, ctx,
      spec_.timeout > core::Duration::zero() ? spec_.timeout : kMonitoringFallbackTimeout);
  std::optional<clients::HttpResponse> response = run.Get("health", "/api/health");
  if (response) {
    run.KeepResponse(*response);
    const nlohmann::json doc =
        nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    const bool is_health = doc.is_object() && doc.contains("database");
    auto text = [&](const char* key) {
      auto it = doc.find(key);
      return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (is_health) {
      if (!text("version").empty()) run.Detail("version", text("version"));
      if (!text("commit").empty()) run.Detail("commit", text("commit"));
      run.Detail("database", text("database"));
    }
    if (spec_.grafana.check_database && is_health) {
      const std::string database = text("database");
      run.Check("database", core::Reason::kDatabaseUnhealthy, database == "ok",
                "\"database\": \"ok\"",
                database.empty() ? "\"database\" is not a string" : "\"" + database + "\"");
    }
    const int code = response->status_code;
    run.Check(
        "healthy", core::Reason::kUnhealthy, code == 200, "GET /api/health answers 200",
        code == 200 ? "200" : std::to_string(code) + " \"" + run.Snippet(response->body) + "\"");
    run.Check("health_json", core::Reason::kJson, is_health, "a JSON object with \"database\"",
              is_health ? "ok" : "\"" + run.Snippet(response->body) + "\"");
  }
  return run.Finish();
}

}  // namespace smoke::probes
