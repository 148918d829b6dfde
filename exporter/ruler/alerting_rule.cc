#include "exporter/ruler/alerting_rule.h"

#include <algorithm>
#include <set>
#include <variant>

#include "exporter/promql/parser.h"
#include "exporter/ruler/template.h"

namespace smoke::ruler {
namespace {

constexpr std::string_view kAlertNameLabel = "alertname";
constexpr std::string_view kAlertStateLabel = "alertstate";

promql::Sample OutputSample(std::string_view metric, const Alert& alert, int64_t t_ms,
                            double v) {
  promql::Labels labels = alert.labels.Set(promql::kMetricNameLabel, metric);
  return promql::Sample{std::move(labels), t_ms, v};
}

TemplateQueryFunc MakeQueryFunc(const RuleEvalContext& ctx) {
  return [&ctx](const std::string& expr) -> core::Result<promql::Vector> {
    core::Result<promql::ExprPtr> parsed = promql::ParseExpr(expr);
    if (!parsed.ok()) return parsed.status();
    core::Result<promql::Value> value =
        promql::EvalInstant(**parsed, *ctx.storage, ctx.query_ts_ms(), ctx.eval_options);
    if (!value.ok()) return value.status();
    if (auto* vec = std::get_if<promql::Vector>(&value.value())) return std::move(*vec);
    if (auto* scalar = std::get_if<promql::Scalar>(&value.value())) {
      return promql::Vector{promql::Sample{promql::Labels(), scalar->t, scalar->v}};
    }
    return core::Status::Error("query result is not a vector or scalar");
  };
}

}  // namespace

core::Result<promql::Vector> AlertingRule::Eval(const RuleEvalContext& ctx) {
  core::Result<promql::Vector> result = Query(ctx);
  if (!result.ok()) return result.status();
  const int64_t ts = ctx.ts_ms;
  const int64_t hold_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              spec().for_duration).count();
  const int64_t keep_firing_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     spec().keep_firing_for).count();
  const TemplateQueryFunc query = MakeQueryFunc(ctx);
  const std::string template_name = "__alert_" + name();

  std::map<std::string, Alert> returned;
  for (const promql::Sample& s : *result) {
    TemplateData data;
    for (const promql::Label& l : s.labels) data.labels[l.name] = l.value;
    data.value = s.v;
    if (ctx.external_labels != nullptr) data.external_labels = *ctx.external_labels;
    data.external_url = ctx.external_url;
    auto expand = [&](const std::string& text) {
      return ExpandTemplate(template_name, text, data, ts, query);
    };
    promql::Labels labels = s.labels.WithoutMetricName();
    for (const auto& [lname, ltext] : spec().labels) labels = labels.Set(lname, expand(ltext));
    labels = labels.Set(kAlertNameLabel, name());
    std::vector<promql::Label> annotations;
    for (const auto& [aname, atext] : spec().annotations) annotations.push_back({aname, expand(atext)});

    Alert alert;
    alert.state = AlertState::kPending;
    alert.labels = std::move(labels);
    alert.annotations = promql::Labels(std::move(annotations));
    alert.value = s.v;
    alert.active_at_ms = ts;
    std::string key = alert.labels.Key();
    if (returned.count(key) > 0) {
      return core::Status::Error(
          "vector contains metrics with the same labelset after applying alert labels");
    }
    returned.emplace(std::move(key), std::move(alert));
  }

  for (auto& [key, fresh] : returned) {
    auto it = active_.find(key);
    if (it != active_.end() && it->second.state != AlertState::kInactive) {
      it->second.value = fresh.value;
      it->second.annotations = fresh.annotations;
      continue;
    }
    active_[key] = std::move(fresh);
  }

  promql::Vector out;
  int active_or_pending = 0;
  for (auto it = active_.begin(); it != active_.end();) {
    Alert& a = it->second;
    if (returned.count(it->first) == 0) {
      bool keep_firing = false;
      if (a.state == AlertState::kFiring && keep_firing_ms > 0) {
        if (a.keep_firing_since_ms == 0) a.keep_firing_since_ms = ts;
        keep_firing = ts - a.keep_firing_since_ms < keep_firing_ms;
      }
      if (a.state == AlertState::kPending ||
          (a.resolved_at_ms != 0 && ts - a.resolved_at_ms > kResolvedRetentionMs)) {
        it = active_.erase(it);
        continue;
      }
      if (a.state != AlertState::kInactive && !keep_firing) {
        a.state = AlertState::kInactive;
        a.resolved_at_ms = ts;
      }
      if (!keep_firing) {
        ++it;
        continue;
      }
    } else {
      a.keep_firing_since_ms = 0;
    }
    ++active_or_pending;
    if (a.state == AlertState::kPending && ts - a.active_at_ms >= hold_ms) {
      a.state = AlertState::kFiring;
      a.fired_at_ms = ts;
    } else if (a.state == AlertState::kFiring && ts - a.active_at_ms < hold_ms) {
      // `for` was raised by a reload: the alert has not been active long enough any more.
      a.state = AlertState::kPending;
      a.fired_at_ms = 0;
      a.last_sent_at_ms = kNeverSent;
    }
    const int64_t t = ctx.query_ts_ms();
    promql::Sample alerts = OutputSample("ALERTS", a, t, 1);
    alerts.labels = alerts.labels.Set(kAlertStateLabel, AlertStateName(a.state));
    out.push_back(std::move(alerts));
    out.push_back(OutputSample("ALERTS_FOR_STATE", a, t,
                               static_cast<double>(a.active_at_ms / 1000)));
    ++it;
  }
  if (ctx.limit > 0 && active_or_pending > ctx.limit) {
    active_.clear();
    return core::Status::Error("exceeded limit of " + std::to_string(ctx.limit) + " with " +
                               std::to_string(active_or_pending) + " alerts");
  }
  return out;
}

std::vector<Alert> AlertingRule::TakeAlertsToSend(int64_t ts_ms, int64_t resend_delay_ms,
                                                  int64_t interval_ms) {
  std::vector<Alert> out;
  const int64_t delta = std::max(resend_delay_ms, interval_ms);
  for (auto& [key, a] : active_) {
    if (!a.NeedsSending(ts_ms, resend_delay_ms)) continue;
    a.last_sent_at_ms = ts_ms;
    a.valid_until_ms = ts_ms + 4 * delta;
    out.push_back(a);
  }
  return out;
}

std::vector<Alert> AlertingRule::Alerts() const {
  std::vector<Alert> out;
  for (const auto& [key, a] : active_) out.push_back(a);
  std::sort(out.begin(), out.end(),
            [](const Alert& a, const Alert& b) { return a.labels < b.labels; });
  return out;
}

AlertState AlertingRule::State() const {
  AlertState state = AlertState::kInactive;
  for (const auto& [key, a] : active_) {
    if (a.state == AlertState::kFiring) return AlertState::kFiring;
    if (a.state == AlertState::kPending) state = AlertState::kPending;
  }
  return state;
}

void AlertingRule::Restore(const Alert& alert) { active_[alert.labels.Key()] = alert; }

}  // namespace smoke::ruler
