#include "exporter/config/metrics_parser.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "exporter/config/name_list.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

// Assertion names become label values and parts of messages: a label value in one is kept to
// [a-zA-Z0-9_].
std::string Slug(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return out;
}

std::optional<RequiredMetric> ReadRequired(const YamlNode& item, Diagnostics& diag) {
  RequiredMetric required;
  Mark name_mark = item.mark;
  if (item.IsMap()) {
    MapReader map(item, "an item of \"required\"", {"labels", "metric"}, diag);
    if (!map.Has("metric")) {
      diag.Error(item.mark, "missing required key \"metric\" in an item of \"required\"");
      return std::nullopt;
    }
    std::optional<std::string> metric = map.String("metric");
    if (!metric) return std::nullopt;
    required.metric = *metric;
    name_mark = map.ValueMark("metric");
    if (const YamlNode* labels = map.Get("labels")) {
      const int before = diag.error_calls();
      required.labels = ReadLabelMap(*labels, Quote("labels"), {}, "", diag);
      if (diag.error_calls() != before) return std::nullopt;
    }
  } else {
    std::optional<std::string> metric = ReadString(item, "an item of \"required\"", diag);
    if (!metric) return std::nullopt;
    required.metric = *metric;
  }
  if (!IsMetricName(required.metric)) {
    diag.Error(name_mark, "invalid metric name " + Quote(required.metric) +
                              " in \"required\" (must match ^[a-zA-Z_:][a-zA-Z0-9_:]*$)");
    return std::nullopt;
  }
  required.assertion = "metric_" + required.metric;
  for (const auto& [name, value] : required.labels) {
    required.assertion += "_" + name + "_" + Slug(value);
  }
  return required;
}

}  // namespace

bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  const auto first = static_cast<unsigned char>(name[0]);
  if (!std::isalpha(first) && name[0] != '_' && name[0] != ':') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':';
  });
}

MetricsSpec ParseMetricsSpec(const YamlNode* node, ParseContext& ctx) {
  MetricsSpec spec;
  if (node == nullptr || !CheckMap(*node, Quote("metrics"), ctx.diag) || node->IsNull()) {
    return spec;
  }
  Diagnostics& diag = ctx.diag;
  MapReader map(*node, "metrics", {"max_series", "min_families", "required"}, diag);
  if (const YamlNode* list = map.Sequence("required")) {
    std::map<std::string, int> seen;  // assertion name -> line
    for (const YamlNodePtr& item : list->items) {
      std::optional<RequiredMetric> required = ReadRequired(*item, diag);
      if (!required) continue;
      auto [it, inserted] = seen.emplace(required->assertion, item->mark.line);
      if (!inserted) {
        diag.Error(item->mark, "duplicate required metric " + Quote(required->metric) +
                                   " (first listed on line " + std::to_string(it->second) + ")");
        continue;
      }
      spec.required.push_back(std::move(*required));
    }
  }
  if (std::optional<int64_t> min = map.Int("min_families")) {
    if (*min < 1) {
      diag.Error(map.ValueMark("min_families"),
                 "\"min_families\" must be at least 1, got " + std::to_string(*min));
    } else {
      spec.min_families = *min;
    }
  }
  if (std::optional<int64_t> max = map.Int("max_series")) {
    if (*max < 1) {
      diag.Error(map.ValueMark("max_series"),
                 "\"max_series\" must be at least 1, got " + std::to_string(*max));
    } else {
      spec.max_series = *max;
    }
  }
  return spec;
}

}  // namespace smoke::config
