#include "exporter/server/runtime.h"

#include "exporter/config/loader.h"
#include "exporter/core/logging.h"
#include "exporter/probes/probe.h"
#include "exporter/results/probe_identity.h"
#include <prometheus/text_serializer.h>

#include <sstream>

#include "exporter/server/process_collector.h"
#include "exporter/server/readiness_inputs.h"

namespace smoke::server {

struct Runtime::Built {
  config::ConfigPtr config;
  std::vector<scheduler::ScheduledProbe> probes;
};

Runtime::Runtime(RuntimeOptions options)
    : options_(std::move(options)),
      registry_(std::make_shared<prometheus::Registry>()),
      start_time_(std::chrono::system_clock::now()) {}

Runtime::~Runtime() { Stop(); }

core::Result<std::shared_ptr<const Runtime::Built>> Runtime::Build(config::ConfigPtr config) {
  auto built = std::make_shared<Built>();
  built->config = config;
  std::string errors;
  for (const config::ProbeSpec& spec : config->probes) {
    core::Result<probes::ProbePtr> probe = probes::MakeProbe(spec);
    if (!probe.ok()) {
      errors += (errors.empty() ? "" : "\n") + spec.pos.file + ":" + std::to_string(spec.pos.line) +
                ":" + std::to_string(spec.pos.column) + ": probe \"" + spec.name +
                "\": " + probe.status().message();
      continue;
    }
    built->probes.push_back({spec.name, spec.interval, spec.timeout,
                             std::shared_ptr<const probes::Probe>(std::move(probe).value())});
  }
  if (!errors.empty()) return core::Status::Error(errors);
  return std::shared_ptr<const Built>(built);
}

core::Result<std::unique_ptr<Runtime>> Runtime::Create(RuntimeOptions options) {
  core::Result<config::ConfigPtr> config = config::LoadConfigFile(options.config_file);
  if (!config.ok()) return config.status();
  for (const std::string& w : (*config)->warnings) core::LogWarn(w);
  auto built = Build(*config);
  if (!built.ok()) return built.status();

  std::unique_ptr<Runtime> rt(new Runtime(std::move(options)));
  const config::GlobalSpec& global = (*config)->global;
  rt->results_ = std::make_shared<results::ResultStore>(global.histogram_buckets, global.history);
  prometheus::BuildGauge()
      .Name("smoke_build_info")
      .Help("A metric with a constant '1' value labeled by version of smoke_exporter")
      .Register(*rt->registry_)
      .Add({{"version", rt->options_.version}, {"compiler", __VERSION__}})
      .Set(1);
  rt->reload_success_ = &prometheus::BuildGauge()
                             .Name("smoke_config_last_reload_successful")
                             .Help("Whether the last configuration reload attempt was successful")
                             .Register(*rt->registry_)
                             .Add({});
  rt->reload_timestamp_ = &prometheus::BuildGauge()
                               .Name("smoke_config_last_reload_success_timestamp_seconds")
                               .Help("Timestamp of the last successful configuration reload")
                               .Register(*rt->registry_)
                               .Add({});
  rt->probes_configured_ = &prometheus::BuildGauge()
                                .Name("smoke_probes_configured")
                                .Help("Number of scheduled probes in the running configuration")
                                .Register(*rt->registry_)
                                .Add({});
  scheduler::SchedulerOptions sched;
  sched.max_concurrency = global.max_concurrency;
  sched.slow_max_concurrency = global.slow_max_concurrency;
  sched.jitter = global.jitter;
  results::ResultStore* store = rt->results_.get();
  rt->scheduler_ = std::make_unique<scheduler::Scheduler>(
      rt->options_.clock, sched,
      [store](const std::string& name, const core::ProbeResult& result) {
        store->Record(name, result);
        if (!result.passed()) {
          core::LogInfo("probe did not pass",
                        {{"probe", name},
                         {"outcome", std::string(core::OutcomeName(result.outcome))},
                         {"reason", std::string(core::ReasonName(result.reason))},
                         {"message", result.message}});
        }
      },
      rt->registry_.get());
  EngineOptions engine_options;
  engine_options.clock = rt->options_.clock;
  engine_options.registry = rt->registry_.get();
  engine_options.default_external_url = rt->options_.external_url;
  Runtime* self = rt.get();
  engine_options.exposition = [self]() -> core::Result<std::string> {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, self->Collect());
    return out.str();
  };
  auto engine = Engine::Create(**config, std::move(engine_options));
  if (!engine.ok()) return engine.status();
  rt->engine_ = std::move(engine).value();
  ReadinessServiceOptions readiness_options;
  readiness_options.clock = rt->options_.clock;
  readiness_options.inputs = [self] {
    return GatherReadinessInputs(*self->engine_, *self->results_,
                                 self->config()->rules.external_labels, self->clock().Now());
  };
  rt->readiness_ = std::make_unique<ReadinessService>(std::move(readiness_options));
  rt->Apply(*built);
  return rt;
}

void Runtime::Apply(std::shared_ptr<const Built> built) {
  const config::Config& cfg = *built->config;
  std::vector<results::ProbeIdentity> ids;
  ids.reserve(cfg.probes.size());
  for (const config::ProbeSpec& spec : cfg.probes) ids.push_back(results::IdentityFromSpec(spec));
  results_->SetProbes(ids, cfg.global.histogram_buckets, cfg.global.history);
  scheduler_->SetProbes(built->probes);
  probes_configured_->Set(static_cast<double>(cfg.probes.size()));
  reload_success_->Set(1);
  reload_timestamp_->Set(core::ToUnixSeconds(options_.clock->Now()));
  if (cfg.probe_endpoint.allowed_targets.empty() && !cfg.modules.empty()) {
    core::LogWarn("probe_endpoint.allowed_targets is empty: /probe accepts any target");
  }
  if (core::Status s = readiness_->Configure(cfg); !s.ok()) core::LogError(s.message());
  std::lock_guard lock(mu_);
  built_ = std::move(built);
}

void Runtime::Start() {
  scheduler_->Start();
  engine_->Start();
  core::LogInfo("probing started",
                {{"probes", std::to_string(config()->probes.size())},
                 {"config", options_.config_file}});
}

void Runtime::Stop() {
  if (scheduler_) scheduler_->Stop();
  if (engine_) engine_->Stop();
}

core::Status Runtime::Reload() {
  std::lock_guard reload_lock(reload_mu_);
  core::LogInfo("loading configuration", {{"file", options_.config_file}});
  core::Result<config::ConfigPtr> config = config::LoadConfigFile(options_.config_file);
  core::Result<std::shared_ptr<const Built>> built =
      config.ok() ? Build(*config) : core::Result<std::shared_ptr<const Built>>(config.status());
  if (built.ok()) {
    core::Status engine = engine_->Reload(**config);
    if (!engine.ok()) built = engine;
  }
  if (!built.ok()) {
    reload_success_->Set(0);
    core::LogError("configuration reload failed; keeping the running configuration",
                   {{"file", options_.config_file}, {"errors", built.status().message()}});
    return built.status();
  }
  for (const std::string& w : (*config)->warnings) core::LogWarn(w);
  Apply(*built);
  core::LogInfo("configuration reloaded",
                {{"file", options_.config_file},
                 {"probes", std::to_string((*config)->probes.size())}});
  return core::Status::Ok();
}

std::vector<prometheus::MetricFamily> Runtime::Collect() const {
  std::vector<prometheus::MetricFamily> out = registry_->Collect();
  std::vector<prometheus::MetricFamily> process = CollectProcessMetrics(start_time_);
  out.insert(out.end(), std::make_move_iterator(process.begin()),
             std::make_move_iterator(process.end()));
  std::vector<prometheus::MetricFamily> probes = results_->Collect();
  out.insert(out.end(), std::make_move_iterator(probes.begin()),
             std::make_move_iterator(probes.end()));
  if (engine_) {
    std::vector<prometheus::MetricFamily> engine = engine_->CollectMetrics();
    out.insert(out.end(), std::make_move_iterator(engine.begin()),
               std::make_move_iterator(engine.end()));
  }
  if (readiness_) {
    std::vector<prometheus::MetricFamily> release = readiness_->Collect();
    out.insert(out.end(), std::make_move_iterator(release.begin()),
               std::make_move_iterator(release.end()));
  }
  return out;
}

config::ConfigPtr Runtime::config() const {
  std::lock_guard lock(mu_);
  return built_->config;
}

core::Result<core::ProbeResult> Runtime::RunModule(const std::string& module,
                                                   const std::string& target,
                                                   core::Duration timeout_cap) const {
  config::ConfigPtr cfg = config();
  auto it = cfg->modules.find(module);
  if (it == cfg->modules.end()) return core::Status::Error("Unknown module \"" + module + "\"");
  config::ProbeSpec spec = it->second;
  spec.name = module;
  // blackbox_exporter accepts "host/path" for HTTP modules and assumes http://.
  spec.target = spec.kind == "http" && target.find("://") == std::string::npos ? "http://" + target
                                                                                : target;
  if (timeout_cap.count() > 0 && timeout_cap < spec.timeout) spec.timeout = timeout_cap;
  core::Result<probes::ProbePtr> probe = probes::MakeProbe(spec);
  if (!probe.ok()) return probe.status();
  probes::RunContext ctx;
  ctx.clock = options_.clock;
  ctx.deadline = options_.clock->Now() + std::chrono::duration_cast<core::TimePoint::duration>(spec.timeout);
  return (*probe)->Run(ctx);
}

}  // namespace smoke::server
