#include "exporter/probes/postgres_probe.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>
#include <utility>

#include "exporter/config/postgres_parser.h"
#include "exporter/probes/postgres_checks.h"
#include "exporter/probes/postgres_metrics.h"
#include "exporter/probes/postgres_reasons.h"
#include "exporter/probes/probe_measurements.h"
#include "exporter/probes/redaction.h"
#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {
namespace {

// Used only when a caller runs the probe without a deadline and the spec has no timeout.
constexpr core::Duration kFallbackTimeout = std::chrono::seconds(10);
constexpr size_t kMessageBytes = 500;

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}

bool IsIdentifierPart(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// The loader checks this too; a spec built in code (tests, /probe) must not reach SQL unchecked.
bool ValidTable(const std::string& t) {
  const size_t dot = t.find('.');
  auto ident = [](std::string_view s) {
    return !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) && s[0] != '$' &&
           std::all_of(s.begin(), s.end(), IsIdentifierPart);
  };
  if (dot == std::string::npos) return ident(t);
  return ident(std::string_view(t).substr(0, dot)) && ident(std::string_view(t).substr(dot + 1));
}

void AddPhase(core::ProbeResult& result, const std::string& name, double seconds) {
  result.phases.push_back({name, seconds});
  result.measurements.push_back(PgGauge(kPgPhaseDurationSeconds, seconds, {{"phase", name}}));
}

std::string IpOf(const std::string& address) {
  if (address.empty() || address[0] == '/') return "";
  if (address[0] == '[') return address.substr(1, address.find(']') - 1);
  return address.substr(0, address.rfind(':'));
}

void RecordConnection(const clients::PgSessionInfo& info, bool reused, core::ProbeResult& result) {
  result.evidence.resolved_address = info.address;
  AddPhase(result, "resolve", reused ? 0 : info.resolve_seconds);
  AddPhase(result, "connect", reused ? 0 : info.connect_seconds);
  result.measurements.push_back(Gauge(kDnsLookupTimeSeconds, reused ? 0 : info.resolve_seconds));
  result.measurements.push_back(Gauge(kIpProtocol, IpProtocolOf(IpOf(info.address))));
}

void RecordConnectFailure(const clients::PgError& error, const clients::PgSessionInfo& info,
                          const config::PostgresEndpoint& endpoint, const SecretMasker& masker,
                          core::ProbeResult& result) {
  result.outcome = core::Outcome::kFailed;
  result.reason = ReasonForPgError(error, PgPhase::kConnect);
  result.message =
      PrintableSnippet(masker.Mask(DescribePgError(error, endpoint.user)), kMessageBytes);
  auto detail = [&](const char* key, const std::string& value) {
    if (!value.empty()) {
      result.evidence.details.emplace_back(key, PrintableSnippet(masker.Mask(value), 400));
    }
  };
  detail("failed_while", error.stage);
  detail("sqlstate", error.sqlstate);
  detail("server_routine", error.routine);
  detail("server_message", error.kind == clients::PgErrorKind::kServer ? error.message : "");
  detail("server_detail", error.detail);
  if (result.reason == core::Reason::kDatabaseMissing) {
    core::AssertionResult a;
    a.name = "database_exists";
    a.reason = core::Reason::kDatabaseMissing;
    a.passed = false;
    a.expected = "database \"" + endpoint.dbname + "\" exists";
    a.actual = "database \"" + endpoint.dbname + "\" does not exist (SQLSTATE 3D000)";
    result.assertions.push_back(std::move(a));
  }
  RecordConnection(info, false, result);
}

std::string Millis(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fms", seconds * 1000);
  return buf;
}

}  // namespace

core::Result<ProbePtr> PostgresProbe::Create(const config::ProbeSpec& spec) {
  const std::string where = "probe \"" + spec.name + "\": ";
  core::Result<config::PostgresEndpoint> endpoint =
      config::ResolvePostgresEndpoint(spec.target, spec.postgres);
  if (!endpoint.ok()) return core::Status::Error(where + endpoint.status().message());
  for (const std::string& t : spec.postgres.tables) {
    if (!ValidTable(t)) return core::Status::Error(where + "invalid table name \"" + t + "\"");
  }
  for (const auto& [t, rows] : spec.postgres.min_rows) {
    if (!ValidTable(t)) return core::Status::Error(where + "invalid table name \"" + t + "\"");
    if (rows < 1) return core::Status::Error(where + "min_rows of \"" + t + "\" must be >= 1");
  }
  std::set<std::string> names;
  for (const config::PostgresQuery& q : spec.postgres.queries) {
    const bool valid_name =
        !q.name.empty() && !std::isdigit(static_cast<unsigned char>(q.name[0])) &&
        std::all_of(q.name.begin(), q.name.end(),
                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!valid_name) return core::Status::Error(where + "invalid query name \"" + q.name + "\"");
    if (!names.insert(q.name).second) {
      return core::Status::Error(where + "duplicate query name \"" + q.name + "\"");
    }
    if (q.sql.find_first_not_of(" \t\r\n") == std::string::npos) {
      return core::Status::Error(where + "query \"" + q.name + "\" has no sql");
    }
  }
  clients::PgConnectParams params;
  params.host = endpoint->host;
  params.port = endpoint->port;
  params.dbname = endpoint->dbname;
  params.user = endpoint->user;
  params.sslmode = endpoint->sslmode;
  params.sslrootcert = endpoint->sslrootcert;
  params.application_name = endpoint->application_name;
  return ProbePtr(new PostgresProbe(spec, std::move(params)));
}

PostgresProbe::PostgresProbe(config::ProbeSpec spec, clients::PgConnectParams params)
    : spec_(std::move(spec)), params_(std::move(params)) {}

std::unique_ptr<clients::PgConnection> PostgresProbe::TakeKept() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<clients::PgConnection> conn = std::move(kept_);
  if (conn != nullptr && !conn->CheckAlive()) conn.reset();
  return conn;
}

void PostgresProbe::Keep(std::unique_ptr<clients::PgConnection> conn) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (kept_ == nullptr) kept_ = std::move(conn);  // else a concurrent run's is kept; this closes
}

core::ProbeResult PostgresProbe::Run(const RunContext& ctx) const {
  core::ProbeResult result;
  result.started = ctx.clock->Now();
  const auto t0 = SteadyClock::now();
  const auto finish = [&] { result.duration_seconds = SecondsSince(t0); };
  const config::PostgresSpec& pg = spec_.postgres;
  const config::PostgresEndpoint endpoint{
      params_.host,    params_.port,        params_.dbname,          params_.user,
      params_.sslmode, params_.sslrootcert, params_.application_name};
  result.evidence.details.emplace_back("user", params_.user);
  result.evidence.details.emplace_back("dbname", params_.dbname);
  result.evidence.details.emplace_back("sslmode", params_.sslmode);

  if (pg.password && !pg.password->present()) {
    result.outcome = core::Outcome::kSkipped;
    result.reason = core::Reason::kCredentialsMissing;
    result.message = "not run: password " + pg.password->Redacted() + " is unavailable" +
                     (pg.password->error().empty() ? "" : ": " + pg.password->error());
    finish();
    return result;
  }
  const SecretMasker masker(pg.password ? std::vector<std::string>{pg.password->value()}
                                        : std::vector<std::string>{});
  const clients::SteadyTime deadline = SteadyDeadline(
      ctx, spec_.timeout > core::Duration::zero() ? spec_.timeout : kFallbackTimeout);

  std::unique_ptr<clients::PgConnection> conn = pg.keep_connection ? TakeKept() : nullptr;
  const bool reused = conn != nullptr;
  if (!reused) {
    clients::PgConnectParams params = params_;
    if (pg.password) params.password = pg.password->value();
    conn = std::make_unique<clients::PgConnection>();
    const clients::PgError error = conn->Connect(params, deadline);
    if (!error.ok()) {
      RecordConnectFailure(error, conn->info(), endpoint, masker, result);
      finish();
      return result;
    }
  }
  const clients::PgSessionInfo& info = conn->info();
  RecordConnection(info, reused, result);
  const std::string short_version = ShortServerVersion(info.server_version_num);
  result.evidence.details.emplace_back("server_version", info.server_version);
  result.evidence.details.emplace_back("ssl", info.ssl ? info.ssl_protocol : "off");
  result.evidence.details.emplace_back("connection", reused ? "reused" : "new");
  result.measurements.push_back(PgGauge(
      kPgServerInfo, 1, {{"version", info.server_version}, {"short_version", short_version}}));

  result.outcome = core::Outcome::kOk;
  result.reason = core::Reason::kNone;
  PgRun run(*conn, deadline, masker, params_.user, result);
  run.AddAssertion("database_exists", core::Reason::kDatabaseMissing, core::Severity::kFail, true,
                   "database \"" + params_.dbname + "\" exists",
                   "connected as \"" + params_.user + "\"");
  if (CheckServerFacts(pg, run)) {
    CheckTables(pg, run);
    AddPhase(result, "checks", run.checks_seconds);
    RunCustomQueries(pg, run);
    const size_t checks = result.assertions.size();
    result.message = "connected to \"" + params_.dbname + "\" as \"" + params_.user +
                     "\" (PostgreSQL " + short_version + ") in " +
                     Millis(reused ? 0 : info.resolve_seconds + info.connect_seconds) +
                     (reused ? " (kept connection)" : "") + "; " + std::to_string(checks) +
                     (checks == 1 ? " check" : " checks") + " passed";
    core::SettleOutcome(result);
    result.message = PrintableSnippet(masker.Mask(result.message), kMessageBytes);
  } else {
    AddPhase(result, "checks", run.checks_seconds);
  }
  if (pg.keep_connection && conn->usable()) Keep(std::move(conn));
  finish();
  return result;
}

}  // namespace smoke::probes
