#include "exporter/server/status_rules.h"

#include <algorithm>
#include <cstdio>

#include "exporter/core/duration.h"
#include "exporter/ruler/rules_json.h"
#include "exporter/server/http_server.h"

namespace smoke::server {
namespace {

core::TimePoint FromUnixMs(int64_t ms) { return core::TimePoint(std::chrono::milliseconds(ms)); }

const char* HealthColor(const std::string& health) {
  if (health == "ok") return "#1a7f37";
  if (health == "err") return "#cf222e";
  return "#57606a";
}

std::string Colored(const std::string& text, const char* color) {
  return "<span style=\"color:" + std::string(color) + ";font-weight:bold\">" + text + "</span>";
}

std::string Millis(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", seconds * 1000);
  return buf;
}

// A person reads "0.25" or "1.5e+09", not Go's "2.5e-01" of the JSON API.
std::string Value(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// "2025-10-25T04:02:00Z<br><small>6m ago</small>", or "never" for Go's zero time.
std::string Since(int64_t unix_ms, core::TimePoint now) {
  if (unix_ms == 0) return "never";
  return ruler::FormatRfc3339Ms(unix_ms) + "<br><small>" + FormatAge(now - FromUnixMs(unix_ms)) +
         "</small>";
}

std::string LabelList(const promql::Labels& labels) {
  std::string out;
  for (const promql::Label& l : labels) {
    if (l.name == "alertname") continue;
    out += "<span class=\"label\">" + HtmlEscape(l.name) + "=&quot;" + HtmlEscape(l.value) +
           "&quot;</span> ";
  }
  return out;
}

std::string AnnotationList(const promql::Labels& annotations) {
  std::string out;
  for (const promql::Label& a : annotations) {
    out += "<br><small><b>" + HtmlEscape(a.name) + ":</b> " + HtmlEscape(a.value) + "</small>";
  }
  return out;
}

struct ActiveAlert {
  const ruler::Alert* alert;
  const ruler::RuleStatus* rule;
};

}  // namespace

std::string FormatAge(core::Duration d) {
  if (d < core::Duration::zero()) d = core::Duration::zero();
  return core::FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(d)) + " ago";
}

std::string GroupHealth(const ruler::GroupStatus& group) {
  bool evaluated = false;
  for (const ruler::RuleStatus& r : group.rules) {
    if (r.health == ruler::RuleHealth::kErr) return "err";
    evaluated = evaluated || r.health == ruler::RuleHealth::kOk;
  }
  return evaluated || (group.last_eval_ms != 0 && group.rules.empty()) ? "ok" : "unknown";
}

std::string RenderAlertsSection(const std::vector<ruler::GroupStatus>& groups,
                                core::TimePoint now) {
  std::vector<ActiveAlert> active;
  for (const ruler::GroupStatus& g : groups) {
    for (const ruler::RuleStatus& r : g.rules) {
      for (const ruler::Alert& a : r.alerts) {
        if (a.state != ruler::AlertState::kInactive) active.push_back({&a, &r});
      }
    }
  }
  std::stable_sort(active.begin(), active.end(), [](const ActiveAlert& x, const ActiveAlert& y) {
    const bool xf = x.alert->state == ruler::AlertState::kFiring;
    const bool yf = y.alert->state == ruler::AlertState::kFiring;
    if (xf != yf) return xf;
    return x.alert->active_at_ms < y.alert->active_at_ms;
  });
  size_t firing = 0;
  for (const ActiveAlert& a : active) firing += a.alert->state == ruler::AlertState::kFiring;

  std::string html = "<h2 id=\"alerts\">Alerts</h2><p>" + std::to_string(firing) + " firing, " +
                     std::to_string(active.size() - firing) +
                     " pending. <a href=\"/api/v1/alerts\">JSON</a></p>";
  if (active.empty()) return html;
  html +=
      "<table><tr><th>Alert</th><th>Labels</th><th>State</th><th>Active since</th>"
      "<th>Value</th></tr>";
  for (const ActiveAlert& a : active) {
    const std::string state(ruler::AlertStateName(a.alert->state));
    const char* color = a.alert->state == ruler::AlertState::kFiring ? "#cf222e" : "#9a6700";
    html += "<tr><td><b>" + HtmlEscape(a.rule->name) + "</b>" +
            AnnotationList(a.alert->annotations) + "</td><td class=\"msg\">" +
            LabelList(a.alert->labels) + "</td><td>" + Colored(state, color) + "</td><td>" +
            Since(a.alert->active_at_ms, now) + "</td><td>" + Value(a.alert->value) + "</td></tr>";
  }
  return html + "</table>";
}

std::string RenderRuleGroupsSection(const std::vector<ruler::GroupStatus>& groups,
                                    core::TimePoint now) {
  std::string html = "<h2 id=\"rules\">Rule groups</h2>";
  if (groups.empty()) {
    return html + "<p>No rule groups loaded (see <code>rules.files</code>).</p>";
  }
  html += "<p>" + std::to_string(groups.size()) + (groups.size() == 1 ? " group" : " groups") +
          ". <a href=\"/api/v1/rules\">JSON</a></p>";
  for (const ruler::GroupStatus& g : groups) {
    const std::string health = GroupHealth(g);
    html +=
        "<h3>" + HtmlEscape(g.name) + "</h3><p><small>" + HtmlEscape(g.file) +
        "</small><br>Interval " + core::FormatDuration(g.interval) + " · last evaluation " +
        (g.last_eval_ms == 0 ? std::string("never") : FormatAge(now - FromUnixMs(g.last_eval_ms))) +
        " · took " + Millis(g.last_duration_seconds) + " · health " +
        Colored(health, HealthColor(health));
    if (g.iterations_missed > 0) {
      html += " · " + std::to_string(g.iterations_missed) + " iterations missed";
    }
    html +=
        "</p><table><tr><th>Rule</th><th>Type</th><th>Health</th><th>Last error</th>"
        "<th>Last evaluation</th></tr>";
    for (const ruler::RuleStatus& r : g.rules) {
      const std::string rule_health(ruler::RuleHealthName(r.health));
      std::string type = r.alerting ? "alerting" : "recording";
      if (r.alerting && r.for_duration > core::Duration::zero()) {
        type += "<br><small>for " + core::FormatDuration(r.for_duration) + "</small>";
      }
      html += "<tr><td><b>" + HtmlEscape(r.name) + "</b><br><small><code>" + HtmlEscape(r.query) +
              "</code></small></td><td>" + type + "</td><td>" +
              Colored(rule_health, HealthColor(rule_health)) + "</td><td class=\"msg\">" +
              HtmlEscape(r.last_error) + "</td><td>" +
              (r.last_eval_ms == 0 ? std::string("never")
                                   : FormatAge(now - FromUnixMs(r.last_eval_ms)) + ", " +
                                         Millis(r.last_duration_seconds)) +
              "</td></tr>";
    }
    html += "</table>";
  }
  return html;
}

std::string RenderAlertmanagersSection(const std::vector<notifier::AlertmanagerStatus>& ams,
                                       core::TimePoint now) {
  if (ams.empty()) return "";
  std::string html =
      "<h2 id=\"alertmanagers\">Alertmanagers</h2><table><tr><th>Alertmanager</th>"
      "<th>Last delivery</th><th>Queued</th><th>Dropped</th><th>Last error</th></tr>";
  for (const notifier::AlertmanagerStatus& am : ams) {
    const bool failing = am.consecutive_failures > 0;
    html += "<tr><td>" + HtmlEscape(am.alertmanager) + "</td><td>" +
            (am.last_success ? FormatAge(now - *am.last_success) : std::string("never")) +
            "</td><td>" + std::to_string(am.queue_length) + "</td><td>" +
            std::to_string(am.dropped) + "</td><td class=\"msg\">";
    if (failing) {
      html += Colored(std::to_string(am.consecutive_failures) + " failed attempts", "#cf222e") +
              "<br><small>" + HtmlEscape(am.last_error_message) + "</small>";
    }
    html += "</td></tr>";
  }
  return html + "</table>";
}

}  // namespace smoke::server
