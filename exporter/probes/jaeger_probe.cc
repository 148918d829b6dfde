#include "exporter/probes/jaeger_probe.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "exporter/probes/monitoring_checks.h"
#include "exporter/probes/service_run.h"

namespace smoke::probes {
namespace {

using nlohmann::json;

// Jaeger's error envelope: {"errors":[{"code":500,"msg":"..."}]}.
std::string ErrorMessages(const json& doc) {
  std::vector<std::string> messages;
  auto errors = doc.is_object() ? doc.find("errors") : doc.end();
  if (errors != doc.end() && errors->is_array()) {
    for (const json& e : *errors) {
      auto msg = e.is_object() ? e.find("msg") : e.end();
      if (msg != e.end() && msg->is_string()) messages.push_back(msg->get<std::string>());
    }
  }
  return JoinProblems(messages, 3);
}

void CheckServices(ServiceRun& run, const config::JaegerSpec& spec) {
  std::optional<clients::HttpResponse> response = run.Get("services", "/api/services");
  if (!response) return;
  const json doc = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> services;
  bool listed = false;
  if (doc.is_object()) {
    auto data = doc.find("data");
    if (data != doc.end() && data->is_array()) {
      listed = true;
      for (const json& s : *data) {
        if (s.is_string()) services.push_back(s.get<std::string>());
      }
    }
  }
  const bool ok = response->status_code == 200 && listed;
  std::string actual = std::to_string(response->status_code);
  if (!ok) {
    const std::string errors = ErrorMessages(doc);
    actual += errors.empty() ? " \"" + run.Snippet(response->body) + "\"" : ": " + errors;
  } else {
    actual += ", " + std::to_string(services.size()) + " services";
  }
  run.Check("services", core::Reason::kUnhealthy, ok,
            "GET /api/services answers 200 with a \"data\" list", std::move(actual));
  if (!ok) return;
  std::sort(services.begin(), services.end());
  run.Measure(MonitoringGauge("smoke_jaeger_services", static_cast<double>(services.size())));
  run.Detail("services", JoinProblems(services, 20));
  for (const std::string& name : spec.required_services) {
    const bool found = std::binary_search(services.begin(), services.end(), name);
    run.Check(
        "service_" + name, core::Reason::kServiceMissing, found,
        "service " + name + " in /api/services",
        found ? "listed" : "not listed among " + std::to_string(services.size()) + " services",
        spec.services_severity);
  }
}

}  // namespace

core::Result<ProbePtr> JaegerProbe::Create(const config::ProbeSpec& spec) {
  core::Result<ServiceClient> client = ServiceClient::Create(spec);
  if (!client.ok()) return client.status();
  return ProbePtr(new JaegerProbe(spec, std::move(client).value()));
}

core::ProbeResult JaegerProbe::Run(const RunContext& ctx) const {
  ServiceRun run(
      client_, ctx,
      spec_.timeout > core::Duration::zero() ? spec_.timeout : kMonitoringFallbackTimeout);
  if (spec_.jaeger.check_ui) {
    std::optional<clients::HttpResponse> ui = run.Get("ui", "/", "text/html");
    if (ui) {
      const int code = ui->status_code;
      run.Check("ui", core::Reason::kUnhealthy, code == 200, "GET / answers 200",
                code == 200 ? "200" : std::to_string(code) + " \"" + run.Snippet(ui->body) + "\"");
    }
  }
  CheckServices(run, spec_.jaeger);
  return run.Finish();
}

}  // namespace smoke::probes
