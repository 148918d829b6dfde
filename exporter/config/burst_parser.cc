#include "exporter/config/burst_parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "exporter/config/assertion_parser.h"
#include "exporter/config/did_you_mean.h"
#include "exporter/config/http_parser.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

using Stat = BurstStat;

constexpr Stat kLatencyStats[] = {Stat::kP50, Stat::kP95, Stat::kP99, Stat::kMean};

std::vector<std::string> Names(std::initializer_list<Stat> stats) {
  std::vector<std::string> out;
  for (Stat s : stats) out.emplace_back(BurstStatName(s));
  return out;
}

std::optional<Stat> StatFromName(std::string_view name) {
  for (Stat s :
       {Stat::kP50, Stat::kP95, Stat::kP99, Stat::kMean, Stat::kThroughput, Stat::kSuccessRate}) {
    if (BurstStatName(s) == name) return s;
  }
  return std::nullopt;
}

bool IsLatency(Stat s) {
  return std::find(std::begin(kLatencyStats), std::end(kLatencyStats), s) !=
         std::end(kLatencyStats);
}

std::string Number(double v) {
  std::string text = std::to_string(v);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

void ReadExpectStatus(const MapReader& map, BurstSpec& spec) {
  const YamlNode* node = map.Get("expect_status");
  if (node == nullptr) return;
  std::vector<std::pair<int, int>> ranges;
  auto one = [&](const YamlNode& item) {
    std::optional<std::string> text = ReadString(item, Quote("expect_status"), map.diag());
    if (!text) return;
    core::Result<std::pair<int, int>> range = ParseStatusRange(*text);
    if (!range.ok()) {
      map.diag().Error(item.mark, range.status().message());
      return;
    }
    ranges.push_back(*range);
  };
  if (node->IsSequence()) {
    if (node->items.empty()) map.diag().Error(node->mark, "\"expect_status\" must not be empty");
    for (const YamlNodePtr& item : node->items) one(*item);
  } else {
    one(*node);
  }
  if (!ranges.empty()) spec.expect_status = std::move(ranges);
}

// Baselines come from reports that write "5.31ms": a decimal number of ms or s is accepted
// besides Prometheus's whole-unit durations. Seconds, > 0.
std::optional<double> ReadLatency(const YamlNode& node, const std::string& what,
                                  Diagnostics& diag) {
  if (node.poisoned) return std::nullopt;
  static const re2::RE2 kDecimal(R"(^([0-9]+\.[0-9]+)(ms|s)$)");
  std::string number;
  std::string unit;
  if (node.IsScalar() && re2::RE2::FullMatch(node.scalar, kDecimal, &number, &unit)) {
    const double v = std::stod(number) * (unit == "ms" ? 1e-3 : 1);
    if (v > 0) return v;
    diag.Error(node.mark, what + " must be greater than 0, got " + node.Describe());
    return std::nullopt;
  }
  if (node.IsScalar() && core::ParseDuration(node.scalar).ok()) {
    if (std::optional<core::Duration> d = ReadDuration(node, what, diag)) {
      return core::ToSeconds(*d);
    }
    return std::nullopt;
  }
  diag.Error(node.mark, "expected a duration (e.g. 5.31ms, 1.5s, 1m) for " + what + ", got " +
                            node.Describe());
  return std::nullopt;
}

void ReadBaseline(const YamlNode& node, BurstSpec& spec, Diagnostics& diag) {
  if (!CheckMap(node, Quote("baseline"), diag) || node.IsNull()) return;
  MapReader map(node, "baseline",
                Names({Stat::kP50, Stat::kP95, Stat::kP99, Stat::kMean, Stat::kThroughput,
                       Stat::kSuccessRate}),
                diag);
  for (const YamlEntry& e : node.entries) {
    std::optional<Stat> stat = StatFromName(e.key);
    if (!stat) continue;  // reported by MapReader
    std::optional<double> value;
    if (IsLatency(*stat)) {
      value = ReadLatency(*e.value, Quote(e.key), diag);
    } else if (std::optional<double> n = ReadNumber(*e.value, Quote(e.key), diag)) {
      if (*stat == Stat::kSuccessRate && !(*n > 0 && *n <= 1)) {
        diag.Error(e.value->mark,
                   "baseline \"success_rate\" must be a share in (0, 1] (1 = 100%), "
                   "got " +
                       Number(*n));
      } else if (*stat == Stat::kThroughput && !(*n > 0 && std::isfinite(*n))) {
        diag.Error(e.value->mark,
                   "baseline \"throughput\" (requests per second) must be greater "
                   "than 0, got " +
                       Number(*n));
      } else {
        value = *n;
      }
    }
    if (value) spec.baseline.emplace_back(*stat, *value);
  }
}

bool HasBaseline(const BurstSpec& spec, Stat stat) {
  return std::any_of(spec.baseline.begin(), spec.baseline.end(),
                     [&](const auto& b) { return b.first == stat; });
}

// max_ratio / min_ratio: {stat: ratio} for the stats `allowed`, each with a baseline.
std::vector<BurstBound> ReadBounds(const YamlNode& node, const std::string& key,
                                   std::initializer_list<Stat> allowed, const BurstSpec& spec,
                                   Diagnostics& diag) {
  std::vector<BurstBound> out;
  if (!CheckMap(node, Quote(key), diag) || node.IsNull()) return out;
  MapReader map(node, Quote(key), Names(allowed), diag);
  for (const YamlEntry& e : node.entries) {
    std::optional<Stat> stat = StatFromName(e.key);
    if (!stat || std::find(allowed.begin(), allowed.end(), *stat) == allowed.end()) continue;
    std::optional<double> ratio = ReadNumber(*e.value, Quote(e.key), diag);
    if (!ratio) continue;
    if (!(*ratio > 0) || !std::isfinite(*ratio)) {
      diag.Error(e.value->mark, Quote(key) + " for " + Quote(e.key) +
                                    " must be greater than 0, got " + Number(*ratio));
      continue;
    }
    if (!HasBaseline(spec, *stat)) {
      diag.Error(e.key_mark, Quote(key) + " for " + Quote(e.key) + " needs a baseline " +
                                 Quote(e.key) + " (the ratio is measured / baseline)");
      continue;
    }
    out.push_back(BurstBound{*stat, *ratio});
  }
  return out;
}

template <typename T>
void CheckRange(const MapReader& map, std::string_view key, T value, T lo, T hi,
                const std::string& hi_text, const std::string& why) {
  if (value >= lo && value <= hi) return;
  map.diag().Error(map.ValueMark(key), Quote(key) + " must be between " + std::to_string(lo) +
                                           " and " + hi_text + ", got " + std::to_string(value) +
                                           why);
}

BurstSpec ParseBurst(const YamlNode* node, ParseContext& ctx) {
  BurstSpec spec;
  if (node == nullptr || !CheckMap(*node, Quote("burst"), ctx.diag) || node->IsNull()) return spec;
  MapReader map(*node, "burst",
                {"baseline", "concurrency", "duration", "expect_status", "max_error_rate",
                 "max_ratio", "min_ratio", "request_timeout", "requests", "severity"},
                ctx.diag);
  const std::string cap = " (a burst has hard caps so that no config can turn it into a load test)";
  if (std::optional<int64_t> c = map.Int("concurrency")) {
    CheckRange<int64_t>(map, "concurrency", *c, 1, kBurstMaxConcurrency,
                        std::to_string(kBurstMaxConcurrency), cap);
    spec.concurrency = static_cast<int>(std::clamp<int64_t>(*c, 1, kBurstMaxConcurrency));
  }
  if (std::optional<int64_t> r = map.Int("requests")) {
    CheckRange<int64_t>(map, "requests", *r, 1, kBurstMaxRequests,
                        std::to_string(kBurstMaxRequests), cap);
    spec.requests = std::clamp<int64_t>(*r, 1, kBurstMaxRequests);
  }
  if (std::optional<core::Duration> d = map.Duration("duration")) {
    if (*d > kBurstMaxDuration) {
      ctx.diag.Error(map.ValueMark("duration"), "\"duration\" must be at most " +
                                                    core::FormatDuration(kBurstMaxDuration) +
                                                    ", got " + core::FormatDuration(*d) + cap);
    }
    spec.duration = std::min(*d, kBurstMaxDuration);
  }
  if (std::optional<core::Duration> d = map.Duration("request_timeout")) {
    if (*d > kBurstMaxRequestTimeout) {
      ctx.diag.Error(map.ValueMark("request_timeout"),
                     "\"request_timeout\" must be at most " +
                         core::FormatDuration(kBurstMaxRequestTimeout) + ", got " +
                         core::FormatDuration(*d));
    }
    spec.request_timeout = std::min(*d, kBurstMaxRequestTimeout);
  }
  ReadExpectStatus(map, spec);
  if (std::optional<double> rate = map.Number("max_error_rate")) {
    if (!(*rate >= 0 && *rate <= 1)) {
      ctx.diag.Error(
          map.ValueMark("max_error_rate"),
          "\"max_error_rate\" must be a share between 0 and 1 (0.01 = 1%), got " + Number(*rate));
    } else {
      spec.max_error_rate = *rate;
    }
  }
  if (const YamlNode* baseline = map.Get("baseline")) ReadBaseline(*baseline, spec, ctx.diag);
  if (const YamlNode* bounds = map.Get("max_ratio")) {
    spec.max_ratio = ReadBounds(*bounds, "max_ratio",
                                {Stat::kP50, Stat::kP95, Stat::kP99, Stat::kMean}, spec, ctx.diag);
  }
  if (const YamlNode* bounds = map.Get("min_ratio")) {
    spec.min_ratio =
        ReadBounds(*bounds, "min_ratio", {Stat::kThroughput, Stat::kSuccessRate}, spec, ctx.diag);
  }
  if (std::optional<std::string> sev = map.Enum("severity", {"fail", "warn"})) {
    spec.severity = *sev == "warn" ? core::Severity::kWarn : core::Severity::kFail;
  }
  return spec;
}

}  // namespace

std::string_view BurstStatName(BurstStat stat) {
  switch (stat) {
    case Stat::kP50:
      return "p50";
    case Stat::kP95:
      return "p95";
    case Stat::kP99:
      return "p99";
    case Stat::kMean:
      return "mean";
    case Stat::kThroughput:
      return "throughput";
    case Stat::kSuccessRate:
      return "success_rate";
  }
  return "p50";
}

void ParseBurstBlocks(ProbeSpec& spec, const YamlNode* http, const YamlNode* burst,
                      ParseContext& ctx) {
  if (http != nullptr && http->IsMap()) {
    for (const char* key : {"assertions", "contract"}) {
      const YamlEntry* e = http->Find(key);
      // An empty list or null is harmless (and what /config renders for a burst).
      if (e != nullptr && !e->value->IsNull() &&
          !(e->value->IsSequence() && e->value->items.empty())) {
        ctx.diag.Error(e->key_mark,
                       Quote(key) +
                           " is not used by a burst probe (it judges requests by the "
                           "burst block's expect_status, max_error_rate, max_ratio and "
                           "min_ratio)");
      }
    }
  }
  spec.http = ParseHttpSpec(http, spec.pos, ctx);
  spec.http.assertions.clear();
  spec.burst = ParseBurst(burst, ctx);

  const Mark at =
      burst != nullptr && burst->IsMap() ? burst->mark : Mark{spec.pos.line, spec.pos.column};
  const core::Duration needed = spec.burst.duration + spec.burst.request_timeout;
  if (spec.timeout < needed) {
    ctx.diag.Error(at, "the burst needs up to " + core::FormatDuration(needed) + " (duration " +
                           core::FormatDuration(spec.burst.duration) + " + request_timeout " +
                           core::FormatDuration(spec.burst.request_timeout) +
                           ") but the probe's timeout is " + core::FormatDuration(spec.timeout) +
                           "; raise timeout or shorten the burst");
  }
  if (spec.interval < kBurstMinInterval) {
    ctx.diag.Error(at, "a burst probe runs at most once a minute: interval " +
                           core::FormatDuration(spec.interval) + " is too short (set interval: " +
                           core::FormatDuration(kBurstMinInterval) + " or more)");
  }
}

}  // namespace smoke::config
