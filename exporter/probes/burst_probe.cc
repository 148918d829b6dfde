#include "exporter/probes/burst_probe.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "exporter/probes/burst_stats.h"
#include "exporter/probes/http_request_builder.h"
#include "exporter/probes/probe_measurements.h"
#include "exporter/probes/redaction.h"
#include "exporter/probes/transport_mapping.h"

namespace smoke::probes {
namespace {

using config::BurstStat;
using core::Reason;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kMessageBytes = 300;

constexpr std::array<MetricHelp, 10> kHelp = {{
    {kBurstRequests, "Requests sent in the latest burst"},
    {kBurstErrors,
     "Requests of the latest burst that failed: a transport error or a status outside "
     "expect_status"},
    {kBurstErrorRatio, "Share of the latest burst's requests that failed (0..1)"},
    {kBurstThroughput, "Successful requests per second of the latest burst"},
    {kBurstLatency,
     "Latency percentiles (nearest rank) of the latest burst's answered requests, by quantile"},
    {kBurstLatencyMean, "Mean latency of the latest burst's answered requests"},
    {kBurstLatencyMax, "Highest latency of the latest burst's answered requests"},
    {kBurstDuration, "Wall time from the first request to the last answer of the latest burst"},
    {kBurstConcurrency, "Concurrent clients the latest burst ran"},
    {kBurstBaselineRatio,
     "Latest burst's statistic divided by its configured baseline, by stat (p50, p95, p99, mean, "
     "throughput, success_rate)"},
}};

core::Measurement BurstGauge(std::string_view name, double value,
                             std::vector<std::pair<std::string, std::string>> labels = {}) {
  return GaugeFrom(kHelp, name, value, std::move(labels));
}

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
std::string Ms(double seconds) { return Fixed(seconds * 1000, 2) + "ms"; }
std::string Percent(double share) { return Fixed(share * 100, 2) + "%"; }
std::string Rate(double per_second) { return Fixed(per_second, 2) + " req/s"; }

// One request's outcome, as a client thread records it.
struct Sample {
  double seconds = 0;
  int status_code = 0;
  bool answered = false;  // a complete response arrived
  bool success = false;   // ... with an expected status
  clients::TransportError error = clients::TransportError::kNone;
  SteadyClock::time_point done;
};

struct ClientLog {
  std::vector<Sample> samples;
  std::string first_error;  // transport message of this client's first failure
  std::string address;      // ip:port of this client's first answer
};

double Measured(const BurstStats& s, BurstStat stat) {
  switch (stat) {
    case BurstStat::kP50:
      return s.p50;
    case BurstStat::kP95:
      return s.p95;
    case BurstStat::kP99:
      return s.p99;
    case BurstStat::kMean:
      return s.mean;
    case BurstStat::kThroughput:
      return s.throughput;
    case BurstStat::kSuccessRate:
      return s.success_rate;
  }
  return 0;
}

bool IsLatency(BurstStat stat) {
  return stat != BurstStat::kThroughput && stat != BurstStat::kSuccessRate;
}

std::string StatText(BurstStat stat, double value) {
  if (IsLatency(stat)) return Ms(value);
  if (stat == BurstStat::kThroughput) return Rate(value);
  return Percent(value);
}

std::optional<double> Baseline(const config::BurstSpec& spec, BurstStat stat) {
  for (const auto& [s, v] : spec.baseline) {
    if (s == stat) return v;
  }
  return std::nullopt;
}

// "200 ×198, 503 ×2" from a count map, most frequent first.
template <typename Key>
std::string Counts(const std::map<Key, int64_t>& counts) {
  std::vector<std::pair<Key, int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [key, n] : sorted) {
    std::string k;
    if constexpr (std::is_same_v<Key, int>) {
      k = std::to_string(key);
    } else {
      k = key;
    }
    out += (out.empty() ? "" : ", ") + k + " \xC3\x97" + std::to_string(n);
  }
  return out;
}

}  // namespace

core::Result<ProbePtr> BurstProbe::Create(const config::ProbeSpec& spec) {
  const std::string where = "probe \"" + spec.name + "\": ";
  const config::BurstSpec& b = spec.burst;
  if (b.concurrency < 1 || b.concurrency > config::kBurstMaxConcurrency || b.requests < 1 ||
      b.requests > config::kBurstMaxRequests || b.duration <= core::Duration::zero() ||
      b.duration > config::kBurstMaxDuration || b.request_timeout <= core::Duration::zero() ||
      b.request_timeout > config::kBurstMaxRequestTimeout) {
    return core::Status::Error(where + "burst outside its hard caps");
  }
  core::Result<clients::ConnectOptions> connect =
      MakeConnectOptions(spec.http.tls, spec.http.ip_protocol, spec.http.ip_protocol_fallback);
  if (!connect.ok()) return core::Status::Error(where + connect.status().message());
  if (core::Status s = clients::CurlHttpClient::CheckUrl(spec.target, connect->tls); !s.ok()) {
    return core::Status::Error(where + s.message());
  }
  if (spec.http.basic_auth && spec.http.bearer_token) {
    return core::Status::Error(where + "basic_auth and bearer_token are mutually exclusive");
  }
  return ProbePtr(new BurstProbe(spec, std::move(connect).value()));
}

BurstProbe::BurstProbe(config::ProbeSpec spec, clients::ConnectOptions connect)
    : spec_(std::move(spec)), connect_(std::move(connect)) {}

core::ProbeResult BurstProbe::Run(const RunContext& ctx) const {
  core::ProbeResult result;
  result.started = ctx.clock->Now();
  const auto t0 = SteadyClock::now();
  const auto finish = [&] {
    result.duration_seconds = std::chrono::duration<double>(SteadyClock::now() - t0).count();
  };
  if (std::string missing = MissingHttpSecret(spec_.http); !missing.empty()) {
    result.outcome = core::Outcome::kSkipped;
    result.reason = Reason::kCredentialsMissing;
    result.message = "not run: " + missing;
    finish();
    return result;
  }
  const SecretMasker masker(HttpSecretValues(spec_.http));
  const config::BurstSpec& b = spec_.burst;
  const clients::SteadyTime deadline = SteadyDeadline(
      ctx, spec_.timeout > core::Duration::zero() ? spec_.timeout : b.duration + b.request_timeout);
  const clients::HttpRequest request =
      BuildHttpRequest(spec_.http, spec_.target, connect_, /*with_credentials=*/true);

  // --- the burst ---
  const auto start = SteadyClock::now();
  const auto issue_until = start + std::chrono::duration_cast<SteadyClock::duration>(b.duration);
  const auto request_timeout = std::chrono::duration_cast<SteadyClock::duration>(b.request_timeout);
  std::atomic<int64_t> tickets{0};
  std::vector<ClientLog> logs(static_cast<size_t>(b.concurrency));
  auto client = [&](ClientLog& log) {
    for (;;) {
      const auto now = SteadyClock::now();
      if (now >= issue_until || now >= deadline) return;
      if (tickets.fetch_add(1) >= b.requests) return;
      const clients::HttpResponse response =
          client_.Execute(request, std::min<clients::SteadyTime>(now + request_timeout, deadline));
      Sample s;
      s.done = SteadyClock::now();
      s.seconds = std::chrono::duration<double>(s.done - now).count();
      s.status_code = response.status_code;
      s.answered = response.status.ok();
      s.error = response.status.error;
      s.success = s.answered &&
                  std::any_of(b.expect_status.begin(), b.expect_status.end(), [&](const auto& r) {
                    return response.status_code >= r.first && response.status_code <= r.second;
                  });
      if (!s.answered && log.first_error.empty()) log.first_error = response.status.message;
      if (s.answered && log.address.empty()) {
        log.address =
            FormatAddress(response.connection.primary_ip, response.connection.primary_port);
      }
      log.samples.push_back(s);
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(logs.size());
  std::string thread_error;
  for (ClientLog& log : logs) {
    try {
      threads.emplace_back(client, std::ref(log));
    } catch (const std::system_error& e) {
      // Out of threads: run with the clients that did start, and say so.
      thread_error = e.what();
      break;
    }
  }
  for (std::thread& t : threads) t.join();

  // --- the numbers ---
  std::vector<double> latencies;
  int64_t sent = 0;
  int64_t successes = 0;
  std::map<int, int64_t> statuses;
  std::map<std::string, int64_t> transport_errors;
  std::map<clients::TransportError, int64_t> error_kinds;
  std::string first_error;
  std::string address;
  auto last = start;
  for (const ClientLog& log : logs) {
    if (first_error.empty()) first_error = log.first_error;
    if (address.empty()) address = log.address;
    for (const Sample& s : log.samples) {
      ++sent;
      last = std::max(last, s.done);
      if (s.answered) {
        latencies.push_back(s.seconds);
        ++statuses[s.status_code];
      } else {
        // Named by the reason they map to, as the probe's own reason label would name them.
        ++transport_errors[std::string(core::ReasonName(ReasonFor(s.error)))];
        ++error_kinds[s.error];
      }
      if (s.success) ++successes;
    }
  }
  const double wall = std::chrono::duration<double>(last - start).count();
  const BurstStats stats = SummarizeBurst(std::move(latencies), sent, successes, wall);
  const std::string stopped_by = sent >= b.requests               ? "requests"
                                 : SteadyClock::now() >= deadline ? "deadline"
                                                                  : "duration";

  core::Evidence& ev = result.evidence;
  ev.resolved_address = address;
  auto detail = [&](const char* key, std::string value) {
    ev.details.emplace_back(key, std::move(value));
  };
  detail("concurrency", std::to_string(threads.size()));
  detail("requests", std::to_string(stats.requests));
  detail("errors", std::to_string(stats.errors));
  detail("stopped_by", stopped_by);
  detail("wall_time", Fixed(wall, 3) + "s");
  if (!statuses.empty()) detail("status_counts", Counts(statuses));
  if (!transport_errors.empty()) detail("transport_errors", Counts(transport_errors));
  if (!first_error.empty()) {
    detail("first_transport_error", PrintableSnippet(masker.Mask(first_error), kMessageBytes));
  }
  if (stats.responses > 0) {
    detail("p50", Ms(stats.p50));
    detail("p95", Ms(stats.p95));
    detail("p99", Ms(stats.p99));
    detail("mean", Ms(stats.mean));
    detail("max", Ms(stats.max));
  }
  detail("throughput", Rate(stats.throughput));
  if (!thread_error.empty()) detail("thread_error", thread_error);
  result.phases.push_back(core::Phase{"burst", wall});

  std::vector<core::Measurement>& m = result.measurements;
  m.push_back(BurstGauge(kBurstRequests, static_cast<double>(stats.requests)));
  m.push_back(BurstGauge(kBurstErrors, static_cast<double>(stats.errors)));
  m.push_back(BurstGauge(kBurstErrorRatio, stats.error_rate));
  m.push_back(BurstGauge(kBurstThroughput, stats.throughput));
  m.push_back(BurstGauge(kBurstConcurrency, static_cast<double>(threads.size())));
  m.push_back(BurstGauge(kBurstDuration, wall));
  if (stats.responses > 0) {
    m.push_back(BurstGauge(kBurstLatency, stats.p50, {{"quantile", "0.5"}}));
    m.push_back(BurstGauge(kBurstLatency, stats.p95, {{"quantile", "0.95"}}));
    m.push_back(BurstGauge(kBurstLatency, stats.p99, {{"quantile", "0.99"}}));
    m.push_back(BurstGauge(kBurstLatencyMean, stats.mean));
    m.push_back(BurstGauge(kBurstLatencyMax, stats.max));
  }
  for (const auto& [stat, base] : b.baseline) {
    // Latency ratios mean nothing without answers; throughput and success rate drop to 0.
    if (IsLatency(stat) && stats.responses == 0) continue;
    m.push_back(BurstGauge(kBurstBaselineRatio, Measured(stats, stat) / base,
                           {{"stat", std::string(config::BurstStatName(stat))}}));
  }

  // --- the verdict ---
  if (sent == 0) {
    result.outcome = core::Outcome::kFailed;
    result.reason = threads.empty() ? Reason::kInternal : Reason::kTimeout;
    result.message = threads.empty() ? "no client could start: " + thread_error
                                     : "no request was sent before the deadline";
    finish();
    return result;
  }
  if (stats.responses == 0) {
    // Nothing answered: the transport's reason is the precise one (connection_refused, dns...).
    auto most = std::max_element(error_kinds.begin(), error_kinds.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    result.outcome = core::Outcome::kFailed;
    result.reason = ReasonFor(most->first);
    result.message =
        PrintableSnippet("all " + std::to_string(sent) + " requests failed (" +
                             Counts(transport_errors) + "); first: " + masker.Mask(first_error),
                         kMessageBytes);
    finish();
    return result;
  }

  std::string failed_detail =
      std::to_string(stats.errors) + " of " + std::to_string(stats.requests) + " failed";
  std::string breakdown;
  for (const auto& [code, n] : statuses) {
    const bool ok =
        std::any_of(b.expect_status.begin(), b.expect_status.end(),
                    [code = code](const auto& r) { return code >= r.first && code <= r.second; });
    if (!ok)
      breakdown +=
          (breakdown.empty() ? "" : ", ") + std::to_string(code) + " \xC3\x97" + std::to_string(n);
  }
  if (!transport_errors.empty()) {
    breakdown += (breakdown.empty() ? "" : ", ") + Counts(transport_errors);
  }
  if (!breakdown.empty()) failed_detail += ": " + breakdown;
  core::AssertionResult error_rate;
  error_rate.name = "error_rate";
  error_rate.reason = Reason::kErrorRate;
  error_rate.severity = core::Severity::kFail;
  error_rate.passed = stats.error_rate <= b.max_error_rate;
  error_rate.expected = "error rate <= " + Percent(b.max_error_rate);
  error_rate.actual = Percent(stats.error_rate) + " (" + failed_detail + ")";
  result.assertions.push_back(std::move(error_rate));

  auto bound_check = [&](const config::BurstBound& bound, bool upper) {
    const std::optional<double> base = Baseline(b, bound.stat);
    if (!base) return;
    const double value = Measured(stats, bound.stat);
    const double ratio = value / *base;
    const std::string name(config::BurstStatName(bound.stat));
    core::AssertionResult a;
    a.name = name + "_ratio";
    a.reason = IsLatency(bound.stat)                  ? Reason::kLatency
               : bound.stat == BurstStat::kThroughput ? Reason::kThroughput
                                                      : Reason::kErrorRate;
    a.severity = b.severity;
    a.passed = upper ? ratio <= bound.ratio : ratio >= bound.ratio;
    a.expected = name + (upper ? " <= " : " >= ") + Fixed(bound.ratio, 2) + " \xC3\x97 baseline " +
                 StatText(bound.stat, *base) + " = " + StatText(bound.stat, bound.ratio * *base);
    a.actual = StatText(bound.stat, value) + " (" + Fixed(ratio, 2) + " \xC3\x97 baseline)";
    result.assertions.push_back(std::move(a));
  };
  for (const config::BurstBound& bound : b.max_ratio) bound_check(bound, true);
  for (const config::BurstBound& bound : b.min_ratio) bound_check(bound, false);

  result.outcome = core::Outcome::kOk;
  result.reason = Reason::kNone;
  result.message = std::to_string(stats.requests) + " requests from " +
                   std::to_string(threads.size()) + " clients in " + Fixed(wall, 2) + "s: p50 " +
                   Ms(stats.p50) + ", p95 " + Ms(stats.p95) + ", p99 " + Ms(stats.p99) + ", " +
                   Rate(stats.throughput) + ", " + Percent(stats.error_rate) + " errors";
  core::SettleOutcome(result);
  finish();
  return result;
}

}  // namespace smoke::probes
