#include "exporter/notifier/notifier.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "exporter/core/logging.h"
#include "exporter/notifier/alertmanager_sender.h"
#include "exporter/notifier/alertmanager_url.h"
#include "exporter/notifier/notifier_metrics.h"

namespace smoke::notifier {
namespace {

core::Status CheckSecret(const std::string& what, const std::string& name,
                         const core::Secret& secret) {
  if (!secret.configured() || secret.present()) return core::Status::Ok();
  // Secret::error() says why the source could not be read; it never holds the value.
  return core::Status::Error("alertmanager \"" + name + "\": " + what + " " + secret.Redacted() +
                             " could not be read: " + secret.error());
}

}  // namespace

core::Result<std::unique_ptr<Notifier>> Notifier::Create(NotifierOptions options,
                                                         prometheus::Registry* registry) {
  if (options.queue_capacity == 0) {
    return core::Status::Error("notifier queue capacity must be at least 1");
  }
  if (options.max_batch == 0) return core::Status::Error("notifier max batch must be at least 1");
  if (options.clock == nullptr) options.clock = &core::SystemClock::Default();
  for (auto it = options.external_labels.begin(); it != options.external_labels.end();) {
    it = it->second.empty() ? options.external_labels.erase(it) : std::next(it);
  }

  std::vector<AlertmanagerSender::Config> configs;
  for (const AlertmanagerOptions& am : options.alertmanagers) {
    core::Result<std::string> endpoint = AlertsEndpoint(am.url);
    if (!endpoint.ok()) return endpoint.status();
    const std::string label = am.name.empty() ? *endpoint : am.name;
    if (am.timeout <= core::Duration::zero()) {
      return core::Status::Error("alertmanager \"" + label + "\": timeout must be positive");
    }
    const bool basic = !am.basic_auth_username.empty() || am.basic_auth_password.configured();
    if (basic && am.bearer_token.configured()) {
      return core::Status::Error("alertmanager \"" + label +
                                 "\": basic auth and bearer token are mutually exclusive");
    }
    if (core::Status s = CheckSecret("basic auth password", label, am.basic_auth_password);
        !s.ok()) {
      return s;
    }
    if (core::Status s = CheckSecret("bearer token", label, am.bearer_token); !s.ok()) return s;
    for (const AlertmanagerSender::Config& other : configs) {
      if (other.label == label) {
        return core::Status::Error("alertmanager \"" + label + "\" is configured twice");
      }
    }
    AlertmanagerSender::Config config;
    config.alertmanager = am;
    config.endpoint = *endpoint;
    config.label = label;
    config.capacity = options.queue_capacity;
    config.max_batch = options.max_batch;
    config.backoff = options.backoff;
    config.clock = options.clock;
    configs.push_back(std::move(config));
  }

  SetAlertmanagerCount(registry, configs.size());
  std::vector<std::unique_ptr<AlertmanagerSender>> senders;
  for (AlertmanagerSender::Config& config : configs) {
    AlertmanagerMetrics metrics(registry, config.label);
    senders.push_back(std::make_unique<AlertmanagerSender>(std::move(config), metrics));
  }
  return std::unique_ptr<Notifier>(new Notifier(std::move(options), std::move(senders)));
}

Notifier::Notifier(NotifierOptions options,
                   std::vector<std::unique_ptr<AlertmanagerSender>> senders)
    : options_(std::move(options)), senders_(std::move(senders)) {}

Notifier::~Notifier() { Stop(core::Duration::zero()); }

void Notifier::Send(std::vector<Alert> alerts) {
  std::vector<Alert> valid;
  valid.reserve(alerts.size());
  size_t invalid = 0;
  for (Alert& alert : alerts) {
    // Prometheus has no empty label values (empty means absent); Alertmanager would treat
    // {a=""} and {} as different alerts, so the empty ones go before anything else.
    for (auto it = alert.labels.begin(); it != alert.labels.end();) {
      it = it->second.empty() ? alert.labels.erase(it) : std::next(it);
    }
    for (const auto& [name, value] : options_.external_labels) alert.labels.emplace(name, value);
    if (core::Status s = ValidateAlert(alert); !s.ok()) {
      ++invalid;
      core::LogWarn("alert not sent: Alertmanager would reject it", {{"error", s.message()}});
      continue;
    }
    valid.push_back(std::move(alert));
  }
  for (const auto& sender : senders_) {
    sender->CountDropped(invalid);
    sender->Enqueue(valid);
  }
}

void Notifier::Stop(core::Duration drain) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::max(drain, core::Duration::zero()));
  for (const auto& sender : senders_) sender->BeginStop(deadline);
  for (const auto& sender : senders_) sender->Join();
}

std::vector<AlertmanagerStatus> Notifier::Status() const {
  std::vector<AlertmanagerStatus> out;
  out.reserve(senders_.size());
  for (const auto& sender : senders_) out.push_back(sender->Status());
  return out;
}

}  // namespace smoke::notifier
