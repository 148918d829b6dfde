#include "exporter/config/global_parser.h"

#include <limits>

#include "exporter/config/labels.h"
#include "exporter/config/regex_check.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

// An integer setting that must be in [min, max]; nullopt (reported) otherwise.
std::optional<int> IntAtLeast(const MapReader& map, std::string_view key, int64_t min) {
  std::optional<int64_t> v = map.Int(key);
  if (!v) return std::nullopt;
  if (*v < min || *v > std::numeric_limits<int>::max()) {
    map.diag().Error(map.ValueMark(key), Quote(key) + " must be at least " + std::to_string(min) +
                                             ", got " + std::to_string(*v));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::vector<double> ParseBuckets(const YamlNode& node, Diagnostics& diag,
                                 std::vector<double> fallback) {
  const std::string what = Quote("histogram_buckets");
  if (!CheckSequence(node, what, diag)) return fallback;
  if (node.items.empty()) {
    diag.Error(node.mark, what + " must not be empty");
    return fallback;
  }
  std::vector<double> out;
  bool ok = true;
  const YamlNode* previous = nullptr;
  for (const YamlNodePtr& item : node.items) {
    std::optional<double> v = ReadNumber(*item, "an item of " + what, diag);
    if (!v) {
      ok = false;
      continue;
    }
    if (*v <= 0) {
      diag.Error(item->mark, what + " must be greater than 0, got " + item->scalar);
      ok = false;
    } else if (!out.empty() && *v <= out.back()) {
      diag.Error(item->mark, what + " must be strictly increasing, got " + item->scalar +
                                 " after " + previous->scalar);
      ok = false;
    }
    out.push_back(*v);
    previous = item.get();
  }
  return ok ? out : fallback;
}

}  // namespace

GlobalSpec ParseGlobal(const YamlNode* node, Diagnostics& diag) {
  GlobalSpec global;
  if (node == nullptr || !CheckMap(*node, Quote("global"), diag) || node->IsNull()) {
    return global;
  }
  MapReader map(*node, "global",
                {"histogram_buckets", "history", "interval", "jitter", "labels", "max_concurrency",
                 "slow_max_concurrency", "timeout"},
                diag);
  std::optional<core::Duration> interval = map.Duration("interval");
  std::optional<core::Duration> timeout = map.Duration("timeout");
  if (interval) global.interval = *interval;
  if (timeout) global.timeout = *timeout;
  if (global.timeout > global.interval) {
    if (timeout) {
      diag.Error(map.ValueMark("timeout"), "timeout " + core::FormatDuration(global.timeout) +
                                               " must not be greater than interval " +
                                               core::FormatDuration(global.interval));
    } else {
      global.timeout = global.interval;
    }
  }
  if (std::optional<double> jitter = map.Number("jitter")) {
    if (*jitter < 0 || *jitter > 1) {
      diag.Error(map.ValueMark("jitter"),
                 "\"jitter\" must be between 0 and 1, got " + map.Get("jitter")->scalar);
    } else {
      global.jitter = *jitter;
    }
  }
  global.max_concurrency = IntAtLeast(map, "max_concurrency", 1).value_or(global.max_concurrency);
  global.slow_max_concurrency =
      IntAtLeast(map, "slow_max_concurrency", 1).value_or(global.slow_max_concurrency);
  if (const YamlNode* labels = map.Get("labels")) global.labels = ParseLabels(*labels, diag);
  if (const YamlNode* buckets = map.Get("histogram_buckets")) {
    global.histogram_buckets = ParseBuckets(*buckets, diag, global.histogram_buckets);
  }
  if (const YamlNode* history = map.Map("history")) {
    MapReader h(*history, "history", {"failure_limit", "limit"}, diag);
    global.history.limit = IntAtLeast(h, "limit", 1).value_or(global.history.limit);
    global.history.failure_limit =
        IntAtLeast(h, "failure_limit", 1).value_or(global.history.failure_limit);
  }
  return global;
}

ProbeEndpointSpec ParseProbeEndpoint(const YamlNode* node, Diagnostics& diag) {
  ProbeEndpointSpec spec;
  if (node == nullptr || !CheckMap(*node, Quote("probe_endpoint"), diag) || node->IsNull()) {
    return spec;
  }
  MapReader map(*node, "probe_endpoint", {"allowed_targets"}, diag);
  if (const YamlNode* targets = map.Sequence("allowed_targets")) {
    for (const YamlNodePtr& item : targets->items) {
      if (std::optional<std::string> pattern =
              ReadRegex(*item, "an item of " + Quote("allowed_targets"), diag)) {
        spec.allowed_targets.push_back(*pattern);
      }
    }
  }
  return spec;
}

}  // namespace smoke::config
