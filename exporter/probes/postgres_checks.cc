#include "exporter/probes/postgres_checks.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>

#include "exporter/core/duration.h"
#include "exporter/probes/postgres_expect.h"
#include "exporter/probes/postgres_metrics.h"
#include "exporter/probes/postgres_reasons.h"

namespace smoke::probes {
namespace {

using clients::PgErrorKind;
using clients::PgQueryResult;
using clients::PgValue;

constexpr size_t kDetailBytes = 400;

// One round trip for everything the probe always reports. Client backends only: background
// workers and autovacuum do not take connection slots from applications. The lag is
// postgres_exporter's: 0 when everything received has been replayed.
constexpr std::string_view kFactsSql = R"sql(
SELECT pg_is_in_recovery(),
       current_setting('max_connections')::int,
       (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE GREATEST(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()))
       END::float8)sql";

// to_regclass() resolves a name the way the application's queries would (search_path) and
// returns NULL instead of failing for a missing table; its ::text form is safely quoted for
// reuse in the row-count statement.
constexpr std::string_view kTablesSql = R"sql(
SELECT n.name, c.oid::regclass::text, c.reltuples::float8
FROM unnest($1::text[]) WITH ORDINALITY AS n(name, i)
LEFT JOIN pg_class c ON c.oid = to_regclass(n.name)
ORDER BY n.i)sql";

std::optional<double> Number(const PgValue& v) {
  if (!v) return std::nullopt;
  double out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size()) return std::nullopt;
  return out;
}

std::string FormatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string Millis(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1fms", seconds * 1000);
  return buf;
}

// {"a","b"}: an array literal whatever the names contain.
std::string TextArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace

std::string TableNameFragment(std::string_view table) {
  std::string out(table);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  return out;
}

PgQueryResult PgRun::Query(std::string_view sql, const std::vector<std::string>& params,
                           size_t keep_rows) {
  if (out_of_time_) {
    PgQueryResult skipped;
    skipped.error.kind = PgErrorKind::kTimeout;
    skipped.error.message = "not run: the deadline was reached by an earlier statement";
    return skipped;
  }
  PgQueryResult r = conn_.QueryReadOnly(sql, params, keep_rows, deadline_);
  if (r.error.kind == PgErrorKind::kTimeout || std::chrono::steady_clock::now() >= deadline_) {
    out_of_time_ = true;
  }
  return r;
}

void PgRun::Detail(const std::string& key, const std::string& value) {
  result_.evidence.details.emplace_back(key, PrintableSnippet(masker_.Mask(value), kDetailBytes));
}

void PgRun::AddAssertion(std::string name, core::Reason reason, core::Severity severity,
                         bool passed, std::string expected, std::string actual) {
  core::AssertionResult a;
  a.name = std::move(name);
  a.reason = reason;
  a.severity = severity;
  a.passed = passed;
  a.expected = std::move(expected);
  a.actual = PrintableSnippet(masker_.Mask(std::move(actual)), kDetailBytes);
  result_.assertions.push_back(std::move(a));
}

std::string PgRun::Describe(const clients::PgError& error) const {
  return masker_.Mask(DescribePgError(error, user_));
}

bool CheckServerFacts(const config::PostgresSpec& spec, PgRun& run) {
  const PgQueryResult r = run.Query(kFactsSql, {}, 1);
  run.checks_seconds += r.seconds;
  core::ProbeResult& result = run.result();
  if (!r.error.ok() || r.rows.empty() || r.rows[0].size() < 4) {
    result.outcome = core::Outcome::kFailed;
    result.reason =
        r.error.ok() ? core::Reason::kInternal : ReasonForPgError(r.error, PgPhase::kStatement);
    result.message =
        "reading server facts failed: " +
        (r.error.ok() ? std::string("unexpected result shape") : run.Describe(r.error));
    if (!r.error.sqlstate.empty()) run.Detail("sqlstate", r.error.sqlstate);
    return false;
  }
  const std::vector<PgValue>& row = r.rows[0];
  const bool replica = row[0] && *row[0] == "t";
  const double max_connections = Number(row[1]).value_or(0);
  const double in_use = Number(row[2]).value_or(0);
  const std::optional<double> lag = Number(row[3]);
  const double ratio = max_connections > 0 ? in_use / max_connections : 0;

  std::vector<core::Measurement>& m = result.measurements;
  m.push_back(PgGauge(kPgSettingsMaxConnections, max_connections));
  m.push_back(PgGauge(kPgConnectionsInUse, in_use));
  m.push_back(PgGauge(kPgConnectionsUsedRatio, ratio));
  m.push_back(PgGauge(kPgReplicationIsReplica, replica ? 1 : 0));
  if (replica && lag) m.push_back(PgGauge(kPgReplicationLagSeconds, *lag));
  run.Detail("max_connections", FormatNumber(max_connections));
  run.Detail("connections_in_use", FormatNumber(in_use));
  run.Detail("in_recovery", replica ? "true" : "false");
  if (replica) run.Detail("replication_lag_seconds", lag ? FormatNumber(*lag) : "unknown");

  if (spec.max_connections_ratio) {
    run.AddAssertion(
        "connections_ratio", core::Reason::kAssertion, core::Severity::kFail,
        ratio <= *spec.max_connections_ratio,
        "connections in use / max_connections <= " + FormatNumber(*spec.max_connections_ratio),
        FormatNumber(ratio) + " (" + FormatNumber(in_use) + " of " + FormatNumber(max_connections) +
            ")");
  }
  if (spec.max_replication_lag) {
    const double max_lag = core::ToSeconds(*spec.max_replication_lag);
    const std::string expected =
        "replication lag <= " + core::FormatDuration(*spec.max_replication_lag);
    if (!replica) {
      run.AddAssertion("replication_lag", core::Reason::kAssertion, core::Severity::kFail, true,
                       expected, "not a replica (pg_is_in_recovery() is false)");
    } else if (!lag) {
      // A replica that has replayed nothing yet may be arbitrarily far behind: fail closed.
      run.AddAssertion("replication_lag", core::Reason::kAssertion, core::Severity::kFail, false,
                       expected, "unknown (no transaction replayed yet)");
    } else {
      run.AddAssertion("replication_lag", core::Reason::kAssertion, core::Severity::kFail,
                       *lag <= max_lag, expected, FormatNumber(*lag) + "s");
    }
  }
  return true;
}

void CheckTables(const config::PostgresSpec& spec, PgRun& run) {
  std::vector<std::string> names = spec.tables;
  for (const auto& [table, rows] : spec.min_rows) {
    if (std::find(names.begin(), names.end(), table) == names.end()) names.push_back(table);
  }
  if (names.empty()) return;
  const PgQueryResult r = run.Query(kTablesSql, {TextArrayLiteral(names)}, names.size());
  run.checks_seconds += r.seconds;
  auto exists_name = [](const std::string& t) { return "table_exists_" + TableNameFragment(t); };
  auto rows_name = [](const std::string& t) { return "min_rows_" + TableNameFragment(t); };
  if (!r.error.ok()) {
    const core::Reason reason = ReasonForPgError(r.error, PgPhase::kStatement);
    for (const std::string& t : names) {
      run.AddAssertion(exists_name(t), reason, core::Severity::kFail, false,
                       "table \"" + t + "\" exists", "check failed: " + run.Describe(r.error));
    }
    if (!r.error.sqlstate.empty()) run.Detail("sqlstate", r.error.sqlstate);
    return;
  }
  std::vector<std::optional<std::string>> regclass(names.size());
  for (size_t i = 0; i < names.size() && i < r.rows.size(); ++i) {
    const std::vector<PgValue>& row = r.rows[i];
    if (row.size() < 3) continue;
    regclass[i] = row[1];
    if (row[1]) {
      const double estimate = Number(row[2]).value_or(-1);
      run.result().measurements.push_back(
          PgGauge(kPgTableRowsEstimate, estimate, {{"table", names[i]}}));
    }
    run.AddAssertion(exists_name(names[i]), core::Reason::kTableMissing, core::Severity::kFail,
                     row[1].has_value(), "table \"" + names[i] + "\" exists",
                     row[1] ? "exists as " + *row[1] : "table \"" + names[i] + "\" does not exist");
  }
  for (const auto& [table, min] : spec.min_rows) {
    const size_t i = std::find(names.begin(), names.end(), table) - names.begin();
    const std::string expected =
        "at least " + std::to_string(min) + (min == 1 ? " row" : " rows") + " in \"" + table + "\"";
    if (!regclass[i]) {
      run.AddAssertion(rows_name(table), core::Reason::kTableMissing, core::Severity::kFail, false,
                       expected, "table \"" + table + "\" does not exist");
      continue;
    }
    // Bounded: reads at most `min` rows however large the table is.
    const std::string sql = "SELECT count(*) FROM (SELECT 1 FROM " + *regclass[i] + " LIMIT " +
                            std::to_string(min) + ") AS bounded";
    const PgQueryResult count = run.Query(sql, {}, 1);
    run.checks_seconds += count.seconds;
    if (!count.error.ok()) {
      run.AddAssertion(rows_name(table), ReasonForPgError(count.error, PgPhase::kStatement),
                       core::Severity::kFail, false, expected,
                       "check failed: " + run.Describe(count.error));
      continue;
    }
    const int64_t n = count.rows.empty() || count.rows[0].empty()
                          ? 0
                          : static_cast<int64_t>(Number(count.rows[0][0]).value_or(0));
    run.AddAssertion(rows_name(table), core::Reason::kTableEmpty, core::Severity::kFail, n >= min,
                     expected,
                     n >= min ? "at least " + std::to_string(n) + " rows"
                              : std::to_string(n) + (n == 1 ? " row" : " rows"));
  }
}

void RunCustomQueries(const config::PostgresSpec& spec, PgRun& run) {
  for (const config::PostgresQuery& q : spec.queries) {
    const PgQueryResult r = run.Query(q.sql, {}, 1);
    const std::string name = "query_" + q.name;
    core::ProbeResult& result = run.result();
    result.phases.push_back({"query:" + q.name, r.seconds});
    result.measurements.push_back(
        PgGauge(kPgPhaseDurationSeconds, r.seconds, {{"phase", "query:" + q.name}}));
    result.measurements.push_back(PgGauge(kPgQueryDurationSeconds, r.seconds, {{"query", q.name}}));
    const std::string expected =
        q.expect ? EvaluateExpect(*q.expect, r).expected : std::string("the query succeeds");
    if (!r.error.ok()) {
      run.Detail(name, "failed after " + Millis(r.seconds) + ": " + run.Describe(r.error));
      run.AddAssertion(name, ReasonForPgError(r.error, PgPhase::kStatement), q.severity, false,
                       expected, run.Describe(r.error));
      continue;
    }
    run.Detail(name, std::to_string(r.row_count) + (r.row_count == 1 ? " row" : " rows") +
                         ", first value " + DescribeFirstValue(r) + ", " + Millis(r.seconds));
    if (q.expect) {
      ExpectVerdict v = EvaluateExpect(*q.expect, r);
      run.AddAssertion(name, core::Reason::kAssertion, q.severity, v.passed, v.expected, v.actual);
    } else {
      run.AddAssertion(name, core::Reason::kQueryFailed, q.severity, true, expected,
                       std::to_string(r.row_count) + (r.row_count == 1 ? " row" : " rows"));
    }
    if (q.max_latency) {
      run.AddAssertion(name + "_latency", core::Reason::kLatency, q.severity,
                       r.seconds <= core::ToSeconds(*q.max_latency),
                       "latency <= " + core::FormatDuration(*q.max_latency), Millis(r.seconds));
    }
  }
}

}  // namespace smoke::probes
