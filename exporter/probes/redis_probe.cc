#include "exporter/probes/redis_probe.h"

#include <chrono>
#include <utility>

#include "exporter/probes/redaction.h"
#include "exporter/probes/redis_run.h"
#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {
namespace {

// Used only when a caller runs the probe without a deadline and the spec has no timeout.
constexpr core::Duration kFallbackTimeout = std::chrono::seconds(10);

// The loader's checks, repeated for specs built in code; "" when the block is valid.
std::string RedisSpecError(const config::RedisSpec& r) {
  if (r.db < 0) return "redis db must be >= 0";
  if (!r.username.empty() && !r.password) {
    return "redis username needs password_file or password_env";
  }
  if (r.key_prefix.empty()) return "redis key_prefix must not be empty";
  if (r.round_trip && r.round_trip_ttl < std::chrono::seconds(1)) {
    return "redis round_trip_ttl must be at least 1s";
  }
  if (r.min_hit_ratio && (*r.min_hit_ratio < 0 || *r.min_hit_ratio > 1)) {
    return "redis min_hit_ratio must be between 0 and 1";
  }
  if (!r.expect_role.empty() && r.expect_role != "master" && r.expect_role != "replica") {
    return "redis expect_role must be master or replica";
  }
  if (r.min_keys && *r.min_keys < 0) return "redis min_keys must be >= 0";
  return "";
}

}  // namespace

core::Result<ProbePtr> RedisProbe::Create(const config::ProbeSpec& spec) {
  const std::string where = "probe \"" + spec.name + "\": ";
  core::Result<config::RedisTarget> target = config::ParseRedisTarget(spec.target);
  if (!target.ok()) return core::Status::Error(where + target.status().message());
  if (std::string error = RedisSpecError(spec.redis); !error.empty()) {
    return core::Status::Error(where + error);
  }
  config::ProbeSpec copy = spec;
  // "slave" is what INFO says; the loader already normalises it, code-built specs may not.
  if (copy.redis.expect_role == "slave") copy.redis.expect_role = "replica";
  return ProbePtr(new RedisProbe(std::move(copy), std::move(target).value()));
}

core::ProbeResult RedisProbe::Run(const RunContext& ctx) const {
  core::ProbeResult result;
  result.started = ctx.clock->Now();
  const auto t0 = std::chrono::steady_clock::now();
  const config::RedisSpec& redis = spec_.redis;

  if (redis.password && !redis.password->present()) {
    // No connection at all: a probe without its credentials must not look like the server's
    // fault, and must not count as passed either.
    result.outcome = core::Outcome::kSkipped;
    result.reason = core::Reason::kCredentialsMissing;
    result.message = "not run: password " + redis.password->Redacted() + " is unavailable" +
                     (redis.password->error().empty() ? "" : ": " + redis.password->error());
    result.duration_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
  }

  SecretMasker masker(redis.password ? std::vector<std::string>{redis.password->value()}
                                     : std::vector<std::string>{});
  const clients::SteadyTime deadline = SteadyDeadline(
      ctx, spec_.timeout > core::Duration::zero() ? spec_.timeout : kFallbackTimeout);
  try {
    RedisRun run(spec_, target_, deadline, std::move(masker));
    run.Execute(result);
  } catch (const std::exception& e) {
    // Only allocation failures can get here; Run must not throw.
    result.outcome = core::Outcome::kFailed;
    result.reason = core::Reason::kInternal;
    result.message = std::string("internal error: ") + e.what();
  }
  result.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace smoke::probes
