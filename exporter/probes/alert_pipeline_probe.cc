#include "exporter/probes/alert_pipeline_probe.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <thread>

#include "exporter/probes/alertmanager_api.h"
#include "exporter/probes/monitoring_checks.h"
#include "exporter/probes/service_run.h"

namespace smoke::probes {
namespace {

// Alertmanager stores a posted alert before it answers, so the first read usually finds it;
// the pause only matters for a cluster peer that receives it by gossip.
constexpr auto kPollInterval = std::chrono::milliseconds(100);

std::string NewNonce() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

}  // namespace

core::Result<ProbePtr> AlertPipelineProbe::Create(const config::ProbeSpec& spec) {
  core::Result<ServiceClient> client = ServiceClient::Create(spec);
  if (!client.ok()) return client.status();
  return ProbePtr(new AlertPipelineProbe(spec, std::move(client).value()));
}

core::ProbeResult AlertPipelineProbe::Run(const RunContext& ctx) const {
  ServiceRun run(
      client_, ctx,
      spec_.timeout > core::Duration::zero() ? spec_.timeout : kMonitoringFallbackTimeout);
  if (run.ended()) return run.Finish();
  const config::AlertPipelineSpec& spec = spec_.alert_pipeline;

  const std::string nonce = NewNonce();
  std::vector<std::pair<std::string, std::string>> labels = spec.labels;
  labels.emplace_back("alertname", spec.alertname);
  labels.emplace_back("nonce", nonce);
  labels.emplace_back("probe", spec_.name);
  std::sort(labels.begin(), labels.end());
  const core::TimePoint now = run.clock().Now();
  const std::string body =
      HeartbeatAlertJson(labels,
                         {{"summary", "Synthetic heartbeat from smoke_exporter probe " +
                                          spec_.name + "; it resolves by itself"}},
                         now, now + spec.ends_after);
  run.Detail("nonce", nonce);
  run.Detail("ends_at", Rfc3339(now + spec.ends_after));

  const auto posted_at = std::chrono::steady_clock::now();
  std::optional<clients::HttpResponse> post = run.PostJson("post", "/api/v2/alerts", body);
  if (!post) return run.Finish();
  const bool accepted = post->status_code == 200;
  run.Check("accepted", core::Reason::kAlertRejected, accepted, "POST /api/v2/alerts answers 200",
            accepted ? "200"
                     : std::to_string(post->status_code) + " \"" + run.Snippet(post->body) + "\"");
  if (!accepted) {
    run.KeepResponse(*post);
    return run.Finish();
  }

  const std::string query =
      "/api/v2/alerts?" + AlertFilterQuery({{"alertname", spec.alertname}, {"nonce", nonce}});
  std::optional<AlertmanagerAlert> found;
  std::string last_problem = "not returned";
  int polls = 0;
  for (;;) {
    const auto poll_start = std::chrono::steady_clock::now();
    std::optional<clients::HttpResponse> response = run.Get("read_back", query);
    if (!response) return run.Finish();
    ++polls;
    if (response->status_code != 200) {
      last_problem = "GET /api/v2/alerts answered " + std::to_string(response->status_code) +
                     " \"" + run.Snippet(response->body) + "\"";
    } else if (core::Result<std::vector<AlertmanagerAlert>> alerts =
                   ParseAlertmanagerAlerts(response->body);
               !alerts.ok()) {
      last_problem = alerts.status().message();
    } else {
      for (const AlertmanagerAlert& a : *alerts) {
        auto it = a.labels.find("nonce");
        if (it != a.labels.end() && it->second == nonce) found = a;
      }
      if (found) break;
      last_problem = "not returned";
    }
    // Stop while a last read would still fit: the deadline is the run's, not the alert's.
    const auto poll_time = std::chrono::steady_clock::now() - poll_start;
    if (std::chrono::steady_clock::now() + kPollInterval + 2 * poll_time >= run.deadline()) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - posted_at).count();
  run.Detail("read_back_polls", std::to_string(polls));
  if (found) {
    run.Measure(MonitoringGauge("smoke_alert_pipeline_visible_seconds", waited));
    run.Detail("state", found->state);
    run.Detail("receivers", JoinProblems(found->receivers, 10));
  }
  char waited_text[32];
  std::snprintf(waited_text, sizeof waited_text, "%.3fs", waited);
  run.Check("visible", core::Reason::kAlertMissing, found.has_value(),
            "the posted alert is returned by GET /api/v2/alerts",
            found ? "returned after " + std::string(waited_text)
                  : last_problem + " after " + std::string(waited_text) + " (" +
                        std::to_string(polls) + " reads)");
  if (found && !spec.expect_receiver.empty()) {
    const bool routed = std::find(found->receivers.begin(), found->receivers.end(),
                                  spec.expect_receiver) != found->receivers.end();
    run.Check("receiver", core::Reason::kAlertMisrouted, routed,
              "routed to receiver " + spec.expect_receiver,
              found->receivers.empty() ? "no receiver"
                                       : "routed to " + JoinProblems(found->receivers, 10));
  }
  return run.Finish();
}

}  // namespace smoke::probes
