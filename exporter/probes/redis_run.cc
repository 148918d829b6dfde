#include "exporter/probes/redis_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "exporter/core/duration.h"
#include "exporter/probes/redis_errors.h"
#include "exporter/probes/redis_metrics.h"
#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {
namespace {

using Steady = std::chrono::steady_clock;
using Type = clients::RedisReply::Type;

constexpr size_t kMessageBytes = 300;

double SecondsSince(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

std::string Millis(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fms", seconds * 1000);
  return buf;
}

std::string Ratio(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Unique per run, so that concurrent runs of one probe (the scheduler and /probe) never read
// each other's value.
std::string RandomHex(size_t bytes) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(rng() & 0xff);
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

std::string DescribeReply(const clients::RedisReply& r) {
  switch (r.type) {
    case Type::kString:
      return "bulk string \"" + PrintableSnippet(r.text, 80) + "\"";
    case Type::kStatus:
      return "status \"" + PrintableSnippet(r.text, 80) + "\"";
    case Type::kInteger:
      return "integer " + std::to_string(r.integer);
    case Type::kNil:
      return "nil";
    case Type::kArray:
      return "array of " + std::to_string(r.elements.size());
    case Type::kError:
      return "error \"" + PrintableSnippet(r.text, 80) + "\"";
  }
  return "unknown reply";
}

}  // namespace

RedisRun::RedisRun(const config::ProbeSpec& spec, const config::RedisTarget& target,
                   clients::SteadyTime deadline, SecretMasker masker)
    : spec_(spec),
      redis_(spec.redis),
      target_(target),
      deadline_(deadline),
      masker_(std::move(masker)) {}

std::vector<RedisRun::Planned> RedisRun::Plan() const {
  const std::string db = std::to_string(redis_.db);
  std::vector<Planned> plan;
  plan.push_back({"ping", "PING answers PONG", core::Reason::kCommandFailed});
  if (redis_.max_ping_latency) {
    plan.push_back({"ping_latency",
                    "PING round trip <= " + core::FormatDuration(*redis_.max_ping_latency),
                    core::Reason::kLatency});
  }
  plan.push_back({"info", "INFO answers", core::Reason::kCommandFailed});
  if (redis_.min_hit_ratio) {
    plan.push_back({"hit_ratio", "keyspace hit ratio >= " + Ratio(*redis_.min_hit_ratio),
                    core::Reason::kAssertion});
  }
  if (!redis_.expect_role.empty()) {
    plan.push_back({"role", "role " + redis_.expect_role, core::Reason::kAssertion});
  }
  for (const std::string& key : redis_.keys_exist) {
    plan.push_back(
        {"key_exists_" + key, "key \"" + key + "\" exists in db " + db, core::Reason::kAssertion});
  }
  if (redis_.min_keys) {
    plan.push_back({"min_keys", "DBSIZE of db " + db + " >= " + std::to_string(*redis_.min_keys),
                    core::Reason::kAssertion});
  }
  if (redis_.round_trip) {
    plan.push_back(
        {"round_trip",
         "SET, GET and DEL of a key under \"" + redis_.key_prefix + "\" return the value written",
         core::Reason::kCommandFailed});
  }
  return plan;
}

clients::SteadyTime RedisRun::Cap(const std::optional<core::Duration>& limit) const {
  if (!limit) return deadline_;
  return std::min(deadline_, Steady::now() + std::chrono::duration_cast<Steady::duration>(*limit));
}

std::string RedisRun::Mask(std::string text) const {
  // Masked before it is cut, so that a password straddling the cut cannot leak in part.
  return PrintableSnippet(masker_.Mask(std::move(text)), kMessageBytes);
}

std::string RedisRun::AuthDescription() const {
  if (!redis_.password) return "no credentials";
  return (redis_.username.empty() ? "default user" : "user \"" + redis_.username + "\"") +
         ", password " + redis_.password->Redacted();
}

std::string RedisRun::WithHint(core::Reason reason, std::string message) const {
  switch (reason) {
    case core::Reason::kAuthRequired:
      if (!redis_.password) {
        message += " (the server requires a password: set password_file or password_env)";
      }
      break;
    case core::Reason::kAuthFailed:
      message += " (sent " + AuthDescription() + ")";
      break;
    case core::Reason::kDatabaseMissing:
      message += " (db " + std::to_string(redis_.db) + " does not exist on this server)";
      break;
    default:
      break;
  }
  return message;
}

bool RedisRun::Pending(const std::string& name) const {
  return std::any_of(pending_.begin(), pending_.end(),
                     [&](const Planned& p) { return p.name == name; });
}

void RedisRun::Record(const std::string& name, bool passed, std::string actual,
                      std::optional<core::Reason> reason) {
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [&](const Planned& p) { return p.name == name; });
  if (it == pending_.end()) return;
  core::AssertionResult a;
  a.name = name;
  a.reason = reason.value_or(it->reason);
  a.severity = core::Severity::kFail;
  a.passed = passed;
  a.expected = it->expected;
  a.actual = Mask(passed ? std::move(actual) : WithHint(a.reason, std::move(actual)));
  result_->assertions.push_back(std::move(a));
  pending_.erase(it);
}

void RedisRun::FailSession(core::Reason reason, const std::string& message,
                           const std::string& current) {
  result_->outcome = core::Outcome::kFailed;
  result_->reason = reason;
  result_->message = Mask(WithHint(reason, message));
  if (!current.empty()) Record(current, false, message, reason);
  // Never leave a check out or let it look passed: it did not run.
  for (const Planned& p : pending_) {
    core::AssertionResult a;
    a.name = p.name;
    a.reason = reason;
    a.passed = false;
    a.expected = p.expected;
    a.actual = "not run (" + std::string(core::ReasonName(reason)) + " earlier in the run)";
    result_->assertions.push_back(std::move(a));
  }
  pending_.clear();
}

std::optional<clients::RedisReply> RedisRun::Exec(const std::vector<std::string>& argv,
                                                  CommandFailure* failure) {
  clients::RedisReply reply;
  const clients::TransportStatus s = conn_.Command(argv, Cap(redis_.command_timeout), &reply);
  // Only the command name goes into messages: AUTH's arguments are credentials.
  const std::string& command = argv.front();
  if (!s.ok()) {
    failure->transport = true;
    failure->reason = ReasonFor(s.error, core::Reason::kCommandFailed);
    failure->message = command + ": " + s.message;
    return std::nullopt;
  }
  if (reply.is_error()) {
    failure->transport = false;
    failure->reason = RedisErrorReason(command, reply.text);
    failure->message = command + ": " + reply.text;
    if (!error_recorded_) {
      // The first error reply is the one that decides the probe's reason.
      error_recorded_ = true;
      auto& details = result_->evidence.details;
      details.emplace_back("redis_error_command", command);
      details.emplace_back("redis_error_code", Mask(std::string(reply.ErrorCode())));
      details.emplace_back("redis_error", Mask(reply.text));
    }
    return std::nullopt;
  }
  return reply;
}

bool RedisRun::Timed(const char* phase, bool (RedisRun::*step)()) {
  const auto start = Steady::now();
  const bool ok = (this->*step)();
  for (core::Phase& p : phases_) {
    if (p.name == phase) p.seconds += SecondsSince(start);
  }
  return ok;
}

bool RedisRun::Connect() {
  const clients::SteadyTime deadline = Cap(redis_.connect_timeout);
  const clients::TransportStatus s = target_.is_unix()
                                         ? conn_.ConnectUnix(target_.unix_path, deadline)
                                         : conn_.ConnectTcp(target_.host, target_.port, deadline);
  result_->evidence.resolved_address =
      target_.is_unix() ? "unix:" + target_.unix_path : conn_.address();
  if (s.ok()) return true;
  FailSession(ReasonFor(s.error, core::Reason::kConnect), s.message, "");
  return false;
}

bool RedisRun::Authenticate() {
  CommandFailure f;
  if (redis_.password) {
    std::vector<std::string> argv = {"AUTH"};
    if (!redis_.username.empty()) argv.push_back(redis_.username);
    argv.push_back(redis_.password->value());
    if (!Exec(argv, &f)) {
      FailSession(f.reason, f.message, "");
      return false;
    }
  }
  if (redis_.db != 0 && !Exec({"SELECT", std::to_string(redis_.db)}, &f)) {
    FailSession(f.reason, f.message, "");
    return false;
  }
  return true;
}

bool RedisRun::Ping() {
  CommandFailure f;
  const auto start = Steady::now();
  std::optional<clients::RedisReply> reply = Exec({"PING"}, &f);
  ping_seconds_ = SecondsSince(start);
  if (!reply) {
    FailSession(f.reason, f.message, "ping");
    return false;
  }
  if (reply->type != Type::kStatus || reply->text != "PONG") {
    FailSession(core::Reason::kCommandFailed, "PING: unexpected reply " + DescribeReply(*reply),
                "ping");
    return false;
  }
  Record("ping", true, "PONG in " + Millis(ping_seconds_));
  if (redis_.max_ping_latency) {
    const double max = std::chrono::duration<double>(*redis_.max_ping_latency).count();
    Record("ping_latency", ping_seconds_ <= max, Millis(ping_seconds_));
  }
  return true;
}

bool RedisRun::Info() {
  CommandFailure f;
  std::optional<clients::RedisReply> reply = Exec({"INFO"}, &f);
  if (!reply && f.transport) {
    FailSession(f.reason, f.message, "info");
    return false;
  }
  if (reply && reply->type != Type::kString) {
    f.reason = core::Reason::kCommandFailed;
    f.message = "INFO: unexpected reply " + DescribeReply(*reply);
    reply.reset();
  }
  if (!reply) {
    Record("info", false, f.message, f.reason);
    Record("hit_ratio", false, "not evaluated: INFO failed", core::Reason::kAssertion);
    Record("role", false, "not evaluated: INFO failed", core::Reason::kAssertion);
    return true;
  }
  info_ = RedisInfo::Parse(reply->text);
  for (auto& [name, value] : RedisInfoEvidence(*info_, redis_.db)) {
    result_->evidence.details.emplace_back(name, Mask(value));
  }
  const std::string role = info_->Get("role").value_or("unknown");
  Record("info", true,
         "redis " + info_->Get("redis_version").value_or("(version unknown)") + ", role " + role);
  if (redis_.min_hit_ratio) {
    const std::string counts = "keyspace_hits " + info_->Get("keyspace_hits").value_or("?") +
                               ", keyspace_misses " + info_->Get("keyspace_misses").value_or("?");
    if (std::optional<double> ratio = info_->HitRatio()) {
      Record("hit_ratio", *ratio >= *redis_.min_hit_ratio, Ratio(*ratio) + " (" + counts + ")");
    } else {
      // A server nobody has read from yet has no hit ratio; that is not a bad one.
      Record("hit_ratio", true, "not evaluated: no keyspace lookups yet (" + counts + ")");
    }
  }
  if (!redis_.expect_role.empty()) {
    const std::string normalised = role == "slave" ? "replica" : role;
    Record("role", normalised == redis_.expect_role, role == "slave" ? "slave (replica)" : role);
  }
  return true;
}

bool RedisRun::Keys() {
  CommandFailure f;
  for (const std::string& key : redis_.keys_exist) {
    const std::string name = "key_exists_" + key;
    std::optional<clients::RedisReply> reply = Exec({"EXISTS", key}, &f);
    if (!reply && f.transport) {
      FailSession(f.reason, f.message, name);
      return false;
    }
    if (!reply) {
      Record(name, false, f.message, f.reason);
    } else if (reply->type != Type::kInteger) {
      Record(name, false, "EXISTS: unexpected reply " + DescribeReply(*reply),
             core::Reason::kCommandFailed);
    } else {
      Record(name, reply->integer >= 1, reply->integer >= 1 ? "exists" : "missing");
    }
  }
  if (redis_.min_keys) {
    std::optional<clients::RedisReply> reply = Exec({"DBSIZE"}, &f);
    if (!reply && f.transport) {
      FailSession(f.reason, f.message, "min_keys");
      return false;
    }
    if (!reply) {
      Record("min_keys", false, f.message, f.reason);
    } else if (reply->type != Type::kInteger) {
      Record("min_keys", false, "DBSIZE: unexpected reply " + DescribeReply(*reply),
             core::Reason::kCommandFailed);
    } else {
      Record("min_keys", reply->integer >= *redis_.min_keys, std::to_string(reply->integer));
    }
  }
  return true;
}

bool RedisRun::RoundTrip() {
  const std::string key = redis_.key_prefix + spec_.name + ":" + RandomHex(8);
  const std::string value = "smoke_exporter round trip " + RandomHex(16);
  const auto ttl_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(redis_.round_trip_ttl).count();
  result_->evidence.details.emplace_back("round_trip_key", key);
  const auto start = Steady::now();

  struct Problem {
    std::string message;
    core::Reason reason;
  };
  std::optional<Problem> problem;
  CommandFailure f;
  std::optional<clients::RedisReply> set =
      Exec({"SET", key, value, "PX", std::to_string(ttl_ms)}, &f);
  if (!set) {
    if (f.transport) {
      FailSession(f.reason, f.message, "round_trip");
      return false;
    }
    Record("round_trip", false, f.message, f.reason);
    return true;
  }
  if (set->type != Type::kStatus || set->text != "OK") {
    problem = Problem{"SET: unexpected reply " + DescribeReply(*set), core::Reason::kCommandFailed};
  } else {
    std::optional<clients::RedisReply> get = Exec({"GET", key}, &f);
    if (!get && f.transport) {
      FailSession(f.reason, f.message, "round_trip");
      return false;
    }
    if (!get) {
      problem = Problem{f.message, f.reason};
    } else if (get->type == Type::kNil) {
      problem = Problem{"GET returned nil right after SET (the key was evicted or expired)",
                        core::Reason::kAssertion};
    } else if (get->type != Type::kString || get->text != value) {
      problem = Problem{"GET returned " + DescribeReply(*get) + " instead of the value SET wrote",
                        core::Reason::kAssertion};
    }
  }
  // Clean up whatever happened above; the TTL covers the case where even this fails.
  std::optional<clients::RedisReply> del = Exec({"DEL", key}, &f);
  if (!del && f.transport) {
    FailSession(f.reason, f.message, "round_trip");
    return false;
  }
  if (!problem && !del) problem = Problem{f.message, f.reason};
  if (!problem && (del->type != Type::kInteger || del->integer != 1)) {
    problem = Problem{"DEL: expected to remove 1 key, got " + DescribeReply(*del),
                      core::Reason::kAssertion};
  }
  if (problem) {
    Record("round_trip", false, problem->message, problem->reason);
  } else {
    Record("round_trip", true, "SET, GET and DEL in " + Millis(SecondsSince(start)));
  }
  return true;
}

void RedisRun::Execute(core::ProbeResult& result) {
  result_ = &result;
  result.outcome = core::Outcome::kOk;
  result.reason = core::Reason::kNone;
  pending_ = Plan();
  const bool key_checks = !redis_.keys_exist.empty() || redis_.min_keys.has_value();
  phases_ = {{"connect", 0}, {"auth", 0}, {"ping", 0}, {"info", 0}};
  if (key_checks) phases_.push_back({"keys", 0});
  if (redis_.round_trip) phases_.push_back({"round_trip", 0});

  auto& details = result.evidence.details;
  details.emplace_back("transport", target_.is_unix() ? "unix" : "tcp");
  details.emplace_back("db", std::to_string(redis_.db));
  details.emplace_back("auth", AuthDescription());

  bool up = false;
  if (Timed("connect", &RedisRun::Connect) && Timed("auth", &RedisRun::Authenticate) &&
      Timed("ping", &RedisRun::Ping)) {
    up = true;
    (void)(Timed("info", &RedisRun::Info) && (!key_checks || Timed("keys", &RedisRun::Keys)) &&
           (!redis_.round_trip || Timed("round_trip", &RedisRun::RoundTrip)));
  }

  std::vector<core::Measurement>& m = result.measurements;
  for (const core::Phase& p : phases_) {
    m.push_back(RedisGauge(kSmokeRedisPhaseSeconds, p.seconds, {{"phase", p.name}}));
  }
  m.push_back(RedisGauge(kRedisUp, up ? 1 : 0));
  if (info_) AppendRedisInfoMeasurements(*info_, redis_.db, m);
  result.phases = phases_;

  if (result.outcome == core::Outcome::kOk) {
    std::string summary = "PONG in " + Millis(ping_seconds_);
    if (info_) {
      summary += "; redis " + info_->Get("redis_version").value_or("?") + ", role " +
                 info_->Get("role").value_or("?");
    }
    if (redis_.round_trip) summary += "; round trip ok";
    result.message = summary;
    core::SettleOutcome(result);
  }
  result_ = nullptr;
}

}  // namespace smoke::probes
