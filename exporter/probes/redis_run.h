#pragma once
// One run of a redis probe (redis_probe.h describes what it checks): the connection, the
// commands in order, and the result they add up to. Separate from RedisProbe so that the
// probe's immutable settings and a run's mutable state live in different types.
// Thread-safety: not thread-safe; one instance per run, used once.

#include <optional>
#include <string>
#include <vector>

#include "exporter/clients/redis_client.h"
#include "exporter/config/config.h"
#include "exporter/config/redis_parser.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/redaction.h"
#include "exporter/probes/redis_info.h"

namespace smoke::probes {

class RedisRun {
 public:
  // `spec` and `target` must outlive the run. `masker` masks the password.
  RedisRun(const config::ProbeSpec& spec, const config::RedisTarget& target,
           clients::SteadyTime deadline, SecretMasker masker);

  // Fills outcome, reason, message, phases, assertions, measurements and evidence.
  void Execute(core::ProbeResult& result);

 private:
  // A check the run will report, whether it gets to run or not.
  struct Planned {
    std::string name;
    std::string expected;
    core::Reason reason;
  };
  // Why a command did not produce a usable reply.
  struct CommandFailure {
    core::Reason reason = core::Reason::kNone;
    std::string message;     // "<COMMAND>: <error>", masked
    bool transport = false;  // the connection is gone: the run ends
  };

  std::vector<Planned> Plan() const;
  clients::SteadyTime Cap(const std::optional<core::Duration>& limit) const;
  // nullopt when the command failed (transport failure or error reply); `failure` says why.
  std::optional<clients::RedisReply> Exec(const std::vector<std::string>& argv,
                                          CommandFailure* failure);

  // Records a check's result; it is no longer pending.
  void Record(const std::string& name, bool passed, std::string actual,
              std::optional<core::Reason> reason = std::nullopt);
  // Ends the run: the probe fails with `reason`; `current` (if not "") failed with `message`,
  // every other pending check is recorded as not run.
  void FailSession(core::Reason reason, const std::string& message, const std::string& current);
  bool Pending(const std::string& name) const;
  std::string Mask(std::string text) const;
  std::string AuthDescription() const;

  // Runs `step`, adding its duration to `phase`; returns what the step returns (false: the run
  // ended).
  bool Timed(const char* phase, bool (RedisRun::*step)());
  std::string WithHint(core::Reason reason, std::string message) const;

  bool Connect();
  bool Authenticate();
  bool Ping();
  bool Info();
  bool Keys();
  bool RoundTrip();

  const config::ProbeSpec& spec_;
  const config::RedisSpec& redis_;
  const config::RedisTarget& target_;
  const clients::SteadyTime deadline_;
  const SecretMasker masker_;

  clients::RedisConnection conn_;
  core::ProbeResult* result_ = nullptr;
  std::vector<Planned> pending_;
  std::vector<core::Phase> phases_;
  std::optional<RedisInfo> info_;
  double ping_seconds_ = 0;
  bool error_recorded_ = false;
};

}  // namespace smoke::probes
