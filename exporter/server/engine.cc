#include "exporter/server/engine.h"

#include <algorithm>
#include <climits>

#include "exporter/core/logging.h"
#include "exporter/promql/printer.h"
#include "exporter/ruler/slo_rules.h"
#include "exporter/server/rule_metrics.h"

namespace smoke::server {
namespace {

int64_t ToMs(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}
int64_t UnixMs(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
core::TimePoint FromUnixMs(int64_t ms) {
  return core::TimePoint(std::chrono::milliseconds(ms));
}

std::string QueryEscape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

notifier::LabelMap ToMap(const promql::Labels& labels) {
  notifier::LabelMap out;
  for (const promql::Label& l : labels) out[l.name] = l.value;
  return out;
}

notifier::NotifierOptions NotifierOptionsFrom(const config::Config& config, core::Clock* clock) {
  notifier::NotifierOptions n;
  n.queue_capacity = static_cast<size_t>(config.alerting.queue_capacity);
  n.external_labels = config.rules.external_labels;
  n.clock = clock;
  for (const config::AlertmanagerTargetSpec& am : config.alerting.alertmanagers) {
    notifier::AlertmanagerOptions o;
    o.url = am.url;
    o.timeout = am.timeout;
    if (am.basic_auth_username) o.basic_auth_username = *am.basic_auth_username;
    if (am.basic_auth_password) o.basic_auth_password = *am.basic_auth_password;
    if (am.bearer_token) o.bearer_token = *am.bearer_token;
    n.alertmanagers.push_back(std::move(o));
  }
  return n;
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(std::move(options)) {}

Engine::~Engine() { Stop(); }

core::Result<std::unique_ptr<Engine>> Engine::Create(const config::Config& config,
                                                     EngineOptions options) {
  std::unique_ptr<Engine> engine(new Engine(std::move(options)));
  engine->storage_ = std::make_unique<tsdb::MemoryStorage>();
  engine->scraper_ = std::make_unique<tsdb::SelfScraper>(
      engine->options_.exposition, *engine->storage_, *engine->options_.clock);
  engine->manager_ = std::make_unique<ruler::Manager>(ruler::ManagerOptions{}, *engine->storage_);
  const int64_t now_ms = UnixMs(engine->options_.clock->Now());
  if (!config.storage.snapshot_file.empty()) {
    engine->snapshotter_ = std::make_unique<tsdb::Snapshotter>(
        *engine->storage_, config.storage.snapshot_file, *engine->options_.clock);
    tsdb::SnapshotRestoreResult restored;
    const int64_t mint = now_ms - ToMs(config.storage.retention);
    core::Status st =
        tsdb::RestoreSnapshot(config.storage.snapshot_file, engine->storage_.get(), mint, &restored);
    if (!st.ok()) {
      core::LogWarn("cannot restore the sample store snapshot, starting empty: " + st.message());
    } else if (restored.found) {
      core::LogInfo("restored the sample store snapshot",
                    {{"file", config.storage.snapshot_file},
                     {"series", std::to_string(restored.series)},
                     {"samples", std::to_string(restored.samples)}});
    }
  }
  engine->storage_metrics_ = std::make_unique<tsdb::StorageCollector>(
      *engine->storage_, engine->snapshotter_.get());
  core::Status st = engine->Configure(config, /*startup=*/true);
  if (!st.ok()) return st;
  if (!config.rules.state_file.empty()) {
    core::Status restored = engine->manager_->RestoreState(config.rules.state_file, now_ms);
    if (!restored.ok()) core::LogWarn("cannot restore alert state: " + restored.message());
  }
  return engine;
}

core::Status Engine::Configure(const config::Config& config, bool startup) {
  ruler::ManagerOptions mo;
  mo.group.default_interval = config.rules.evaluation_interval;
  mo.group.default_query_offset = config.rules.query_offset;
  mo.group.eval_options.default_subquery_step = config.rules.evaluation_interval;
  mo.group.external_labels = config.rules.external_labels;
  mo.group.external_url = config.rules.external_url.empty() ? options_.default_external_url
                                                            : config.rules.external_url;
  mo.group.resend_delay = config.rules.resend_delay;
  // Groups evaluate right after the self-scrape of their slot, not at a hashed offset.
  mo.group.spread_evaluation = false;
  mo.group.notify = [this](const ruler::RuleSpec& rule, const std::vector<ruler::Alert>& alerts) {
    Notify(rule, alerts);
  };
  mo.for_outage_tolerance = config.rules.for_outage_tolerance;
  mo.for_grace_period = config.rules.for_grace_period;

  core::Result<std::vector<ruler::GroupSpec>> slo_groups = ruler::GenerateSloGroups(config.slos);
  if (!slo_groups.ok()) return core::Status::Error("slos: " + slo_groups.status().message());

  std::shared_ptr<notifier::Notifier> fresh_notifier;
  if (!config.alerting.alertmanagers.empty()) {
    auto n = notifier::Notifier::Create(NotifierOptionsFrom(config, options_.clock),
                                        options_.registry);
    if (!n.ok()) return core::Status::Error("alerting: " + n.status().message());
    fresh_notifier = std::move(n).value();
  }
  const int64_t now_ms = UnixMs(options_.clock->Now());
  ruler::ManagerOptions previous = manager_->options();
  manager_->SetOptions(mo);
  core::Status st = manager_->Update(config.rules.files, now_ms, std::move(slo_groups).value());
  if (!st.ok()) {
    manager_->SetOptions(previous);
    if (fresh_notifier) fresh_notifier->Stop(std::chrono::seconds(0));
    return st;
  }
  std::shared_ptr<notifier::Notifier> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    rules_ = config.rules;
    alerting_ = config.alerting;
    storage_spec_ = config.storage;
    old = std::move(notifier_);
    notifier_ = std::move(fresh_notifier);
    if (startup) next_snapshot_ = options_.clock->Now() + storage_spec_.snapshot_interval;
  }
  if (old) old->Stop(std::chrono::seconds(2));
  core::LogInfo("rule engine configured: " + std::to_string(manager_->NumGroups()) +
                " rule groups, " + std::to_string(config.alerting.alertmanagers.size()) +
                " alertmanagers");
  return core::Status::Ok();
}

core::Status Engine::Reload(const config::Config& config) {
  std::lock_guard<std::mutex> run_lock(run_mu_);
  return Configure(config, /*startup=*/false);
}

void Engine::Notify(const ruler::RuleSpec& rule, const std::vector<ruler::Alert>& alerts) {
  std::shared_ptr<notifier::Notifier> n;
  std::string external_url;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = notifier_;
    external_url = rules_.external_url.empty() ? options_.default_external_url : rules_.external_url;
  }
  if (!n) return;
  const std::string expr = rule.parsed ? promql::ExprToString(*rule.parsed) : rule.expr;
  const std::string generator = external_url + "/graph?g0.expr=" + QueryEscape(expr) + "&g0.tab=1";
  std::vector<notifier::Alert> out;
  for (const ruler::Alert& a : alerts) {
    notifier::Alert na;
    na.labels = ToMap(a.labels);
    na.annotations = ToMap(a.annotations);
    na.starts_at = FromUnixMs(a.fired_at_ms);
    na.ends_at = FromUnixMs(a.resolved_at_ms != 0 ? a.resolved_at_ms : a.valid_until_ms);
    na.generator_url = generator;
    out.push_back(std::move(na));
  }
  n->Send(std::move(out));
}

void Engine::RunOnce() {
  std::lock_guard<std::mutex> run_lock(run_mu_);
  const core::TimePoint now = options_.clock->Now();
  const int64_t now_ms = UnixMs(now);
  config::RulesSpec rules;
  config::StorageSpec storage_spec;
  core::TimePoint next_snapshot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    rules = rules_;
    storage_spec = storage_spec_;
    next_snapshot = next_snapshot_;
  }
  const int64_t interval_ms = std::max<int64_t>(1, ToMs(rules.evaluation_interval));
  const int64_t slot_ms = now_ms - now_ms % interval_ms;
  core::TimePoint next_scrape;
  {
    std::lock_guard<std::mutex> lock(mu_);
    next_scrape = next_scrape_;
  }
  if (now >= next_scrape || manager_->NextDue() <= now_ms) {
    // Stamped with the slot time, so the groups evaluated at that slot see this scrape.
    auto scraped = scraper_->ScrapeOnce(slot_ms);
    if (!scraped.ok()) core::LogWarn("self-scrape failed: " + scraped.status().message());
    {
      std::lock_guard<std::mutex> lock(mu_);
      next_scrape_ = FromUnixMs(slot_ms + interval_ms);
    }
    if (manager_->Tick(now_ms) > 0 && !rules.state_file.empty()) {
      core::Status st = manager_->SaveState(rules.state_file, now_ms);
      if (!st.ok()) core::LogWarn("cannot save alert state: " + st.message());
    }
    storage_->Truncate(now_ms - ToMs(storage_spec.retention));
    ++iterations_;
    std::lock_guard<std::mutex> lock(mu_);
    last_iteration_ = now;
  }
  if (snapshotter_ && now >= next_snapshot) {
    WriteSnapshot();
    std::lock_guard<std::mutex> lock(mu_);
    next_snapshot_ = now + storage_spec.snapshot_interval;
  }
}

core::TimePoint Engine::NextWakeup() const {
  std::lock_guard<std::mutex> lock(mu_);
  core::TimePoint next = next_scrape_;
  const int64_t due = manager_->NextDue();
  if (due != INT64_MAX) next = std::min(next, FromUnixMs(due));
  if (snapshotter_) next = std::min(next, next_snapshot_);
  return next;
}

void Engine::Loop() {
  while (!stop_.load()) {
    RunOnce();
    const core::TimePoint wake = NextWakeup();
    if (stop_.load()) break;
    options_.clock->SleepUntil(wake);
  }
}

void Engine::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Engine::SaveState() {
  config::RulesSpec rules;
  {
    std::lock_guard<std::mutex> lock(mu_);
    rules = rules_;
  }
  const int64_t now_ms = UnixMs(options_.clock->Now());
  if (!rules.state_file.empty()) {
    core::Status st = manager_->SaveState(rules.state_file, now_ms);
    if (!st.ok()) core::LogWarn("cannot save alert state: " + st.message());
  }
  if (snapshotter_) WriteSnapshot();
}

void Engine::WriteSnapshot() {
  core::Status st = snapshotter_->Write();
  if (!st.ok()) core::LogWarn("cannot write the sample store snapshot: " + st.message());
}

std::vector<prometheus::MetricFamily> Engine::CollectMetrics() const {
  std::vector<prometheus::MetricFamily> out = storage_metrics_->Collect();
  std::vector<prometheus::MetricFamily> rules = CollectRuleMetrics(Groups());
  out.insert(out.end(), std::make_move_iterator(rules.begin()),
             std::make_move_iterator(rules.end()));
  return out;
}

void Engine::Stop() {
  if (stopped_.exchange(true)) return;
  stop_ = true;
  if (thread_.joinable()) {
    options_.clock->Wake();
    thread_.join();
  }
  if (!manager_) return;
  SaveState();
  std::shared_ptr<notifier::Notifier> n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = notifier_;
  }
  if (n) n->Stop(std::chrono::seconds(5));
}

promql::EvalOptions Engine::eval_options() const {
  std::lock_guard<std::mutex> lock(mu_);
  promql::EvalOptions o;
  o.default_subquery_step = rules_.evaluation_interval;
  return o;
}

std::vector<notifier::AlertmanagerStatus> Engine::Alertmanagers() const {
  std::shared_ptr<notifier::Notifier> n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = notifier_;
  }
  return n ? n->Status() : std::vector<notifier::AlertmanagerStatus>{};
}

bool Engine::alertmanager_required() const {
  std::lock_guard<std::mutex> lock(mu_);
  return alerting_.required;
}

core::TimePoint Engine::last_iteration() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_iteration_;
}

}  // namespace smoke::server
