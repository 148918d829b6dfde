#include "exporter/server/readiness_service.h"

#include <chrono>
#include <map>

#include "exporter/core/logging.h"
#include "exporter/readiness/verdict_json.h"
#include "exporter/results/family_builder.h"

namespace smoke::server {
namespace {

// Bounds the reasons remembered from resolved alerts (a reason label templated from a series
// label could otherwise grow without end).
constexpr size_t kMaxRememberedReasons = 1000;

int64_t UnixMs(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

bool SameLog(const config::DecisionLogSpec& a, const config::DecisionLogSpec& b) {
  return a.path == b.path && a.max_bytes == b.max_bytes && a.keep == b.keep;
}

}  // namespace

ReadinessService::ReadinessService(ReadinessServiceOptions options) : options_(std::move(options)) {
  auto state = std::make_shared<State>();
  state->log = std::make_shared<readiness::DecisionLog>(readiness::DecisionLogOptions{});
  state_ = std::move(state);
}

core::Status ReadinessService::Configure(const config::Config& config) {
  const config::ReadinessSpec& spec = config.readiness;
  core::Result<readiness::Policy> policy = readiness::PolicyFromSpec(spec);
  if (!policy.ok()) return core::Status::Error("readiness: " + policy.status().message());
  auto next = std::make_shared<State>();
  next->policy = std::move(policy).value();
  // With alerting.required, the silences request doubles as a reachability check that does not
  // wait for the first alert to be lost.
  if (spec.waivers.enabled ||
      (config.alerting.required && !config.alerting.alertmanagers.empty())) {
    readiness::SilencesClientOptions o;
    for (const config::AlertmanagerTargetSpec& am : config.alerting.alertmanagers) {
      readiness::SilencesSource source;
      source.url = am.url;
      if (am.basic_auth_username) source.basic_auth_username = *am.basic_auth_username;
      if (am.basic_auth_password) source.basic_auth_password = *am.basic_auth_password;
      if (am.bearer_token) source.bearer_token = *am.bearer_token;
      o.alertmanagers.push_back(std::move(source));
    }
    o.cache_ttl = spec.waivers.cache;
    o.timeout = spec.waivers.timeout;
    o.clock = options_.clock;
    next->silences = std::make_shared<readiness::SilencesClient>(std::move(o));
  }
  next->log_spec = spec.decision_log;
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ && state_->log && SameLog(state_->log_spec, spec.decision_log)) {
    next->log = state_->log;  // keeps the in-memory decisions across reloads
  } else {
    readiness::DecisionLogOptions lo;
    lo.path = spec.decision_log.path;
    lo.max_bytes = spec.decision_log.max_bytes;
    lo.keep = spec.decision_log.keep;
    next->log = std::make_shared<readiness::DecisionLog>(std::move(lo));
  }
  state_ = std::move(next);
  return core::Status::Ok();
}

std::shared_ptr<const ReadinessService::State> ReadinessService::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

readiness::Inputs ReadinessService::Gather(const State& state) {
  readiness::Inputs in = options_.inputs ? options_.inputs() : readiness::Inputs{};
  if (state.silences) {
    readiness::SilencesAnswer answer = state.silences->Get();
    in.silences_fetched = true;
    in.silences_available = answer.ok;
    in.silences = std::move(answer.silences);
    in.silences_error = std::move(answer.error);
  }
  // The clock is read after the silences: a slow Alertmanager must not make fresh data look
  // stale, nor an old reading look fresh.
  in.now_ms = UnixMs(options_.clock->Now());
  return in;
}

ServedVerdict ReadinessService::Serve(const readiness::Scope& scope, const std::string& client) {
  const std::shared_ptr<const State> st = state();
  ServedVerdict served;
  served.verdict = readiness::Decide(st->policy, Gather(*st), scope);
  served.verdict.decision_id = ids_.Next(served.verdict.evaluated_at_ms);
  (served.verdict.ready ? served_ready_ : served_blocked_)++;
  nlohmann::json entry = readiness::VerdictToJson(served.verdict);
  if (!client.empty()) entry["client"] = client;
  core::Status s = st->log->Append(entry);
  if (!s.ok()) {
    ++log_errors_;
    served.log_error = s.message();
    core::LogError("cannot log release decision; serving it anyway",
                   {{"decision_id", served.verdict.decision_id}, {"error", s.message()}});
  } else if (!st->log->durable()) {
    served.log_error = "readiness.decision_log.path is not set: decisions are kept in memory only";
  } else {
    served.logged = true;
  }
  return served;
}

readiness::Verdict ReadinessService::Peek() {
  const std::shared_ptr<const State> st = state();
  return readiness::Decide(st->policy, Gather(*st));
}

core::Result<std::vector<nlohmann::json>> ReadinessService::Decisions(size_t limit) const {
  return state()->log->Recent(limit);
}

bool ReadinessService::decision_log_durable() const { return state()->log->durable(); }

std::vector<prometheus::MetricFamily> ReadinessService::Collect() {
  const std::shared_ptr<const State> st = state();
  const readiness::Inputs in = Gather(*st);
  const readiness::Verdict v = readiness::Decide(st->policy, in);

  std::map<std::string, double> by_reason;
  for (std::string_view r : readiness::FailClosedReasons()) by_reason[std::string(r)] = 0;
  for (const std::string& r :
       readiness::PossibleAlertReasons(st->policy, in.engine.alerting_rules)) {
    by_reason[r] = 0;
  }
  for (const readiness::Violation& x : v.violations) by_reason[x.reason] += 1;
  {
    // A reason known only once an alert fired (a templated reason label) stays exported with 0
    // after it resolves: the series must not vanish while a dashboard or an alert reads it.
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [reason, count] : by_reason) {
      if (reported_reasons_.size() >= kMaxRememberedReasons) break;
      reported_reasons_.insert(reason);
    }
    for (const std::string& r : reported_reasons_) by_reason.emplace(r, 0);
  }

  results::FamilyBuilder b;
  b.AddGauge("smoke_release_ready",
             "1 if the release verdict for the whole exporter (no scope) is ready, else 0.", {},
             v.ready ? 1 : 0);
  for (const auto& [reason, count] : by_reason) {
    b.AddGauge("smoke_release_violations",
               "Violations blocking a release, by reason (0 for every known reason not violated).",
               {{"reason", reason}}, count);
  }
  b.AddGauge("smoke_release_waived_violations",
             "Blocking alerts currently waived by an Alertmanager silence.", {},
             static_cast<double>(v.waived.size()));
  b.AddCounter("smoke_readiness_decisions_total",
               "Release verdicts served to clients, by whether they said ready.",
               {{"ready", "true"}}, static_cast<double>(served_ready_.load()));
  b.AddCounter("smoke_readiness_decisions_total",
               "Release verdicts served to clients, by whether they said ready.",
               {{"ready", "false"}}, static_cast<double>(served_blocked_.load()));
  b.AddCounter("smoke_readiness_decision_log_errors_total",
               "Served release verdicts that could not be written to the decision log.", {},
               static_cast<double>(log_errors_.load()));
  return b.Take();
}

}  // namespace smoke::server
