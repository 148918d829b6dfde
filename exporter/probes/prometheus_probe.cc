#include "exporter/probes/prometheus_probe.h"

#include <algorithm>
#include <map>
#include <set>

#include "exporter/probes/monitoring_checks.h"
#include "exporter/probes/prometheus_api.h"
#include "exporter/probes/service_run.h"

namespace smoke::probes {
namespace {

// Evidence keeps this many named failures per list (targets, rules); the check's actual value
// names the first five.
constexpr size_t kEvidenceItems = 20;

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Non-200 or a body that is not the documented shape: the API itself is broken.
template <typename T>
std::optional<T> Decode(ServiceRun& run, const clients::HttpResponse& response,
                        const std::string& check, const std::string& path,
                        core::Result<T> (*parse)(std::string_view)) {
  if (response.status_code != 200) {
    run.Check(check, core::Reason::kStatus, false, "GET " + path + " answers 200",
              std::to_string(response.status_code) + " \"" + run.Snippet(response.body) + "\"");
    return std::nullopt;
  }
  core::Result<T> parsed = parse(response.body);
  if (!parsed.ok()) {
    run.Check(check, core::Reason::kJson, false, "the documented JSON of GET " + path,
              parsed.status().message());
    return std::nullopt;
  }
  return std::move(parsed).value();
}

void CheckTargets(ServiceRun& run, const config::PrometheusSpec& spec) {
  const std::string path = "/api/v1/targets?state=active";
  std::optional<clients::HttpResponse> response = run.Get("targets", path);
  if (!response) return;
  std::optional<std::vector<PrometheusTarget>> targets = Decode<std::vector<PrometheusTarget>>(
      run, *response, "targets_up", "/api/v1/targets", &ParsePrometheusTargets);
  if (!targets) return;

  std::map<std::string, int> by_health = {{"up", 0}, {"down", 0}, {"unknown", 0}};
  std::map<std::string, int> per_job;
  std::vector<std::string> down;
  std::vector<std::string> ignored_down;
  for (const PrometheusTarget& t : *targets) {
    ++by_health[t.health.empty() ? "unknown" : t.health];
    ++per_job[t.job];
    if (t.health != "down") continue;
    const std::string what =
        t.job + "/" + t.instance + (t.last_error.empty() ? "" : " (" + t.last_error + ")");
    (Contains(spec.ignore_jobs, t.job) ? ignored_down : down).push_back(what);
  }
  for (const auto& [health, count] : by_health) {
    run.Measure(MonitoringGauge("smoke_prometheus_targets", count, {{"health", health}}));
  }
  for (size_t i = 0; i < down.size() && i < kEvidenceItems; ++i) {
    run.Detail("target_down", down[i]);
  }
  for (size_t i = 0; i < ignored_down.size() && i < kEvidenceItems; ++i) {
    run.Detail("target_down_ignored", ignored_down[i]);
  }
  run.Detail("targets", std::to_string(by_health["up"]) + " up, " +
                            std::to_string(by_health["down"]) + " down, " +
                            std::to_string(by_health["unknown"]) + " unknown");
  run.Check("targets_up", core::Reason::kTargetsDown, down.empty(), "no active target down",
            down.empty() ? std::to_string(targets->size()) + " targets, none down"
                         : std::to_string(down.size()) + " of " + std::to_string(targets->size()) +
                               " down: " + JoinProblems(down),
            spec.targets_severity);
  for (const std::string& job : spec.required_jobs) {
    const int count = per_job.count(job) ? per_job[job] : 0;
    run.Check("job_" + job, core::Reason::kTargetsDown, count > 0,
              "job " + job + " has an active target",
              count > 0 ? std::to_string(count) + " active targets" : "no active target",
              spec.targets_severity);
  }
}

void CheckRules(ServiceRun& run, const config::PrometheusSpec& spec) {
  std::optional<clients::HttpResponse> response = run.Get("rules", "/api/v1/rules");
  if (!response) return;
  std::optional<std::vector<PrometheusRule>> rules = Decode<std::vector<PrometheusRule>>(
      run, *response, "rules_healthy", "/api/v1/rules", &ParsePrometheusRules);
  if (!rules) return;

  std::map<std::string, int> by_health = {{"ok", 0}, {"err", 0}, {"unknown", 0}};
  std::vector<std::string> failing;
  std::set<std::string> failing_groups;
  for (const PrometheusRule& r : *rules) {
    ++by_health[r.health.empty() ? "unknown" : r.health];
    if (r.health != "err") continue;
    failing_groups.insert(r.group);
    failing.push_back("group " + r.group + " rule " + r.name +
                      (r.last_error.empty() ? "" : " (" + r.last_error + ")"));
  }
  for (const auto& [health, count] : by_health) {
    run.Measure(MonitoringGauge("smoke_prometheus_rules", count, {{"health", health}}));
  }
  for (size_t i = 0; i < failing.size() && i < kEvidenceItems; ++i) {
    run.Detail("rule_failing", failing[i]);
  }
  run.Detail("rules", std::to_string(rules->size()) + " rules, " +
                          std::to_string(by_health["err"]) + " failing");
  run.Check("rules_healthy", core::Reason::kRulesFailing, failing.empty(),
            "every rule evaluates without error",
            failing.empty()
                ? std::to_string(rules->size()) + " rules, none failing"
                : std::to_string(failing.size()) + " failing in " +
                      std::to_string(failing_groups.size()) + " group(s): " + JoinProblems(failing),
            spec.rules_severity);
}

}  // namespace

core::Result<ProbePtr> PrometheusProbe::Create(const config::ProbeSpec& spec) {
  core::Result<ServiceClient> client = ServiceClient::Create(spec);
  if (!client.ok()) return client.status();
  return ProbePtr(new PrometheusProbe(spec, std::move(client).value()));
}

core::ProbeResult PrometheusProbe::Run(const RunContext& ctx) const {
  ServiceRun run(
      client_, ctx,
      spec_.timeout > core::Duration::zero() ? spec_.timeout : kMonitoringFallbackTimeout);
  const config::PrometheusSpec& spec = spec_.prometheus;
  CheckOkEndpoint(run, "healthy", "/-/healthy", "healthy", core::Reason::kUnhealthy);
  if (spec.check_ready) CheckOkEndpoint(run, "ready", "/-/ready", "ready", core::Reason::kNotReady);
  if (spec.check_targets) CheckTargets(run, spec);
  if (spec.check_rules) CheckRules(run, spec);
  return run.Finish();
}

}  // namespace smoke::probes
