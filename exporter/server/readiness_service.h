#pragma once
// The release verdict of a running exporter: decides (readiness::Decide) over inputs gathered
// from the exporter and silences read from Alertmanager, gives every served verdict a decision
// id and appends it to the decision log, and exports smoke_release_ready and
// smoke_release_violations{reason} (always present, 0 when not violated; a reason once exported
// stays exported).
// The inputs come from a function, so the service is driven from tests without a Runtime.
// Thread-safety: thread-safe. Configure() may run concurrently with Serve() and Collect(); each
// call uses one consistent configuration.

#include <prometheus/metric_family.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/clock.h"
#include "exporter/core/status.h"
#include "exporter/readiness/decision_id.h"
#include "exporter/readiness/decision_log.h"
#include "exporter/readiness/policy.h"
#include "exporter/readiness/silences_client.h"
#include "exporter/readiness/verdict.h"

namespace smoke::server {

struct ReadinessServiceOptions {
  core::Clock* clock = &core::SystemClock::Default();
  // Everything Decide needs except the silences (GatherReadinessInputs); now_ms is set from
  // `clock` by the service.
  std::function<readiness::Inputs()> inputs;
};

// One served verdict and whether it reached the decision log.
struct ServedVerdict {
  readiness::Verdict verdict;
  bool logged = false;    // appended to the decision log file and synced
  std::string log_error;  // why not, when !logged
};

class ReadinessService {
 public:
  explicit ReadinessService(ReadinessServiceOptions options);

  // Applies the `readiness:` and `alerting:` sections (policy, silences source, decision log).
  // The decision log is reopened only when its settings change.
  core::Status Configure(const config::Config& config);

  // Decides for `scope`, assigns a decision id and logs the decision. `client` (e.g. the
  // User-Agent) is recorded with it.
  ServedVerdict Serve(const readiness::Scope& scope, const std::string& client = "");
  // The unscoped verdict, neither logged nor given an id (for the gauges).
  readiness::Verdict Peek();
  // Newest first.
  core::Result<std::vector<nlohmann::json>> Decisions(size_t limit) const;
  bool decision_log_durable() const;

  // smoke_release_ready, smoke_release_violations{reason}, smoke_release_waived_violations,
  // smoke_readiness_decisions_total{ready}, smoke_readiness_decision_log_errors_total.
  std::vector<prometheus::MetricFamily> Collect();

 private:
  struct State {
    readiness::Policy policy;
    // Null unless waivers are enabled or alerting.required (reachability).
    std::shared_ptr<readiness::SilencesClient> silences;
    std::shared_ptr<readiness::DecisionLog> log;
    config::DecisionLogSpec log_spec;
  };
  std::shared_ptr<const State> state() const;
  // The exporter's inputs plus the silences, at the clock's time.
  readiness::Inputs Gather(const State& state);

  const ReadinessServiceOptions options_;
  readiness::DecisionIdGenerator ids_;
  mutable std::mutex mu_;
  std::shared_ptr<const State> state_;
  std::set<std::string> reported_reasons_;  // every smoke_release_violations reason exported
  std::atomic<uint64_t> served_ready_{0};
  std::atomic<uint64_t> served_blocked_{0};
  std::atomic<uint64_t> log_errors_{0};
};

}  // namespace smoke::server
