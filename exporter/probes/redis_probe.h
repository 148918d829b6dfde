#pragma once
// The redis probe. Each run opens one fresh connection (TCP or unix socket) and, in order:
// AUTH (when a password is configured), SELECT (db != 0), PING, INFO, the key checks (EXISTS,
// DBSIZE) and a SET/GET/DEL round trip on a key of its own (<key_prefix><probe>:<random>, with a
// TTL, deleted afterwards; it never touches any other key).
//
// A failure to connect, authenticate, select the database or get a PONG ends the run: the probe
// fails with the classified reason (connection_refused, dns, timeout, auth_required, auth_failed,
// permission_denied, database_missing, command_failed) and every check that could not run is
// listed as failed with "not run" — never as passed (seed 000 reported a SET/GET check as passed
// while Redis answered "Authentication required"). An error reply to a later check (NOPERM on
// SET, OOM, READONLY, ...) fails that check with its reason and the other checks still run; the
// first failed check decides the probe's reason. A timeout anywhere ends the run with reason
// timeout, within the probe's deadline. A configured password that could not be read skips the
// probe (credentials_missing) without connecting.
//
// The password is never sent anywhere but AUTH, and is masked out of every message, assertion
// value and evidence string (an error reply could in principle echo it).
// Thread-safety: immutable after Create; Run may be called concurrently.

#include "exporter/config/config.h"
#include "exporter/config/redis_parser.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/probe.h"

namespace smoke::probes {

class RedisProbe : public Probe {
 public:
  // Fails for an invalid target or redis block (the checks the config loader also makes, for
  // specs built in code).
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);

  core::ProbeResult Run(const RunContext& ctx) const override;

 private:
  RedisProbe(config::ProbeSpec spec, config::RedisTarget target)
      : spec_(std::move(spec)), target_(std::move(target)) {}

  config::ProbeSpec spec_;
  config::RedisTarget target_;
};

}  // namespace smoke::probes
