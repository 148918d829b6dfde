// The status page at /: what a person reads at a glance, without JavaScript: the pending and
// firing alerts, every probe's state, the rule groups and the Alertmanagers (status_rules.h).

#include <cstdio>

#include "exporter/core/duration.h"
#include "exporter/server/handlers.h"
#include "exporter/server/status_rules.h"

namespace smoke::server {
namespace {

const char* StateColor(const std::string& state) {
  if (state == "ok") return "#1a7f37";
  if (state == "degraded") return "#9a6700";
  if (state == "pending") return "#57606a";
  return "#cf222e";
}

}  // namespace

HttpResponse HandleStatusPage(Runtime& rt, const HttpRequest&) {
  const core::TimePoint now = rt.clock().Now();
  std::vector<results::ProbeSnapshot> snaps = rt.results().Snapshots();
  int failing = 0;
  for (const auto& s : snaps) failing += (s.last && !s.last->result.passed()) ? 1 : 0;
  std::string html =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>smoke_exporter</title>"
      "<meta http-equiv=\"refresh\" content=\"15\"><style>body{font-family:sans-serif;margin:2em}"
      "table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px;"
      "text-align:left;vertical-align:top}th{background:#f6f8fa}.msg{max-width:40em}"
      ".label{display:inline-block;background:#eaeef2;border-radius:4px;padding:0 4px;margin:1px;"
      "font-size:90%}</style></head><body><h1>smoke_exporter</h1><p>"
      "<a href=\"#alerts\">Alerts</a> · <a href=\"#probes\">Probes</a> · "
      "<a href=\"#rules\">Rule groups</a> · <a href=\"/metrics\">Metrics</a> · "
      "<a href=\"/config\">Configuration</a></p>";
  const std::vector<ruler::GroupStatus> groups = rt.engine().Groups();
  html += RenderAlertsSection(groups, now);
  html += "<h2 id=\"probes\">Probes</h2><p>" + std::to_string(snaps.size()) + " probes, " +
          std::to_string(failing) +
          " not passing. <a href=\"/api/v1/probes\">JSON</a></p><table><tr><th>Probe</th>"
          "<th>Component</th><th>State</th><th>Reason</th><th>Message</th><th>Last run</th>"
          "<th>Duration</th><th>Last failure</th></tr>";
  for (const results::ProbeSnapshot& s : snaps) {
    const std::string state = s.last ? std::string(core::OutcomeName(s.last->result.outcome))
                                     : std::string("pending");
    html += "<tr><td><a href=\"/api/v1/probes/" + HtmlEscape(s.identity.name) + "\">" +
            HtmlEscape(s.identity.name) + "</a><br><small>" + HtmlEscape(s.identity.target) +
            "</small></td><td>" + HtmlEscape(s.identity.component) +
            "</td><td style=\"color:" + StateColor(state) + ";font-weight:bold\">" + state +
            "</td>";
    if (s.last) {
      const core::ProbeResult& r = s.last->result;
      char dur[32];
      std::snprintf(dur, sizeof dur, "%.1f ms", r.duration_seconds * 1000);
      html += "<td>" + std::string(r.outcome == core::Outcome::kOk ? "" : core::ReasonName(r.reason)) +
              "</td><td class=\"msg\">" + HtmlEscape(r.message) + "</td><td>" +
              FormatAge(now - r.started) + "</td><td>" + dur + "</td>";
    } else {
      html += "<td></td><td class=\"msg\">not run yet</td><td></td><td></td>";
    }
    if (s.last_failure) {
      const core::ProbeResult& f = s.last_failure->result;
      html += "<td>" + std::string(core::ReasonName(f.reason)) + ", " + FormatAge(now - f.started) +
              "<br><small>" + HtmlEscape(f.message) + "</small></td>";
    } else {
      html += "<td>none kept</td>";
    }
    html += "</tr>";
  }
  html += "</table>";
  html += RenderRuleGroupsSection(groups, now);
  html += RenderAlertmanagersSection(rt.engine().Alertmanagers(), now);
  html += "</body></html>\n";
  HttpResponse resp = HttpResponse::Text(200, html);
  resp.content_type = "text/html; charset=utf-8";
  return resp;
}

}  // namespace smoke::server
