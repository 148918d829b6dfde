#include "bench/scheduled/scheduler_snapshot.h"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace smoke::bench {
namespace {

// The value of label `name` inside `labels` (the text between the braces), or "".
std::string_view Label(std::string_view labels, std::string_view name) {
  const std::string key = std::string(name) + "=\"";
  size_t at = 0;
  while ((at = labels.find(key, at)) != std::string_view::npos) {
    if (at == 0 || labels[at - 1] == ',') {
      const size_t start = at + key.size();
      const size_t end = labels.find('"', start);
      if (end == std::string_view::npos) return {};
      return labels.substr(start, end - start);
    }
    at += key.size();
  }
  return {};
}

double ParseValue(std::string_view text) {
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  return std::strtod(std::string(text).c_str(), nullptr);
}

void AddBucket(LagHistogram& h, double le, double value) {
  for (auto& [bound, cumulative] : h.buckets) {
    if (bound == le) {
      cumulative += value;
      return;
    }
  }
  h.buckets.emplace_back(le, value);
}

void Subtract(LagHistogram& h, const LagHistogram& earlier) {
  for (size_t i = 0; i < h.buckets.size() && i < earlier.buckets.size(); ++i) {
    h.buckets[i].second -= earlier.buckets[i].second;
  }
  h.count -= earlier.count;
  h.sum -= earlier.sum;
}

}  // namespace

SchedulerSnapshot ParseSchedulerSnapshot(std::string_view text) {
  SchedulerSnapshot s;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line[0] == '#') continue;
    const size_t name_end = line.find_first_of("{ ");
    const size_t value_at = line.rfind(' ');
    if (name_end == std::string_view::npos || value_at == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, name_end);
    std::string_view labels;
    if (line[name_end] == '{') {
      const size_t close = line.rfind('}');
      if (close == std::string_view::npos || close < name_end) continue;
      labels = line.substr(name_end + 1, close - name_end - 1);
    }
    const double value = ParseValue(line.substr(value_at + 1));
    if (name == "smoke_scheduler_lag_seconds_bucket") {
      const double le = ParseValue(Label(labels, "le"));
      AddBucket(s.lag_by_lane[std::string(Label(labels, "lane"))], le, value);
      AddBucket(s.lag, le, value);
    } else if (name == "smoke_scheduler_lag_seconds_count") {
      s.lag_by_lane[std::string(Label(labels, "lane"))].count = value;
      s.lag.count += value;
    } else if (name == "smoke_scheduler_lag_seconds_sum") {
      s.lag_by_lane[std::string(Label(labels, "lane"))].sum = value;
      s.lag.sum += value;
    } else if (name == "smoke_scheduler_saturation_delayed_total") {
      s.saturation_delayed += value;  // summed over lanes
    } else if (name == "smoke_scheduler_runs_total") {
      s.probes[std::string(Label(labels, "probe"))].runs = value;
    } else if (name == "smoke_scheduler_overlaps_skipped_total") {
      s.probes[std::string(Label(labels, "probe"))].overlaps_skipped = value;
    } else if (name == "smoke_scheduler_missed_runs_total") {
      s.probes[std::string(Label(labels, "probe"))].missed = value;
    } else if (name == "probe_success") {
      s.probes[std::string(Label(labels, "probe"))].success = value;
    }
  }
  return s;
}

SchedulerSnapshot Delta(const SchedulerSnapshot& later, const SchedulerSnapshot& earlier) {
  SchedulerSnapshot d = later;
  Subtract(d.lag, earlier.lag);
  for (auto& [lane, h] : d.lag_by_lane) {
    if (auto it = earlier.lag_by_lane.find(lane); it != earlier.lag_by_lane.end()) {
      Subtract(h, it->second);
    }
  }
  d.saturation_delayed -= earlier.saturation_delayed;
  for (auto& [name, p] : d.probes) {
    auto it = earlier.probes.find(name);
    if (it == earlier.probes.end()) continue;
    p.runs -= it->second.runs;
    p.overlaps_skipped -= it->second.overlaps_skipped;
    p.missed -= it->second.missed;
  }
  return d;
}

double HistogramQuantile(double q, const std::vector<std::pair<double, double>>& buckets) {
  if (buckets.empty() || buckets.back().second <= 0) return 0;
  const double rank = q * buckets.back().second;
  double lower = 0, below = 0;
  for (const auto& [le, cumulative] : buckets) {
    if (cumulative >= rank) {
      if (std::isinf(le)) return le;
      if (cumulative == below) return le;
      return lower + (le - lower) * (rank - below) / (cumulative - below);
    }
    lower = le;
    below = cumulative;
  }
  return std::numeric_limits<double>::infinity();
}

double ShareAtOrBelow(double le, const std::vector<std::pair<double, double>>& buckets) {
  if (buckets.empty() || buckets.back().second <= 0) return 0;
  for (const auto& [bound, cumulative] : buckets) {
    if (bound == le) return cumulative / buckets.back().second;
  }
  return 0;
}

}  // namespace smoke::bench
