#include "exporter/config/slo_parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "exporter/config/did_you_mean.h"
#include "exporter/config/labels.h"
#include "exporter/config/name_list.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr int64_t kDayNanos = int64_t{24} * 3600 * 1'000'000'000;
// The longest alert window (the slow ticket alert's 3d): a shorter period cannot hold it.
constexpr int64_t kLongestWindowDays = 3;

bool IsSloName(const std::string& name) {
  static const RE2 kName("[a-zA-Z_][a-zA-Z0-9_.:-]*");
  return RE2::FullMatch(name, kName);
}

bool HasWindowPlaceholder(const std::string& query) {
  static const RE2 kWindow(R"(\{\{\s*\.window\s*\}\})");
  return RE2::PartialMatch(query, kWindow);
}

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string JoinBuckets(const std::vector<double>& buckets) {
  std::string out;
  for (double b : buckets) out += (out.empty() ? "" : ", ") + FormatNumber(b);
  return out;
}

// A threshold as a duration ("500ms") or a number of seconds ("0.5"); nullopt after reporting.
std::optional<double> ReadSeconds(const YamlNode& node, const std::string& what,
                                  Diagnostics& diag) {
  std::optional<std::string> text = ReadString(node, what, diag);
  if (!text) return std::nullopt;
  if (core::Result<core::Duration> d = core::ParseDuration(*text); d.ok()) {
    return std::chrono::duration<double>(*d).count();
  }
  const bool plain = !text->empty() && std::all_of(text->begin(), text->end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
  });
  if (plain) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text->c_str(), &end);
    if (errno == 0 && end == text->c_str() + text->size()) return v;
  }
  diag.Error(node.mark, "expected a duration (e.g. 500ms) or a number of seconds for " + what +
                            ", got " + node.Describe());
  return std::nullopt;
}

// Reads the SLOs of one file in order; remembers names to reject duplicates.
// Thread-safety: not thread-safe (one per load).
class SloReader {
 public:
  SloReader(const std::vector<ProbeSpec>& probes, const GlobalSpec& global, bool check_refs,
            Diagnostics& diag)
      : probes_(probes), global_(global), check_refs_(check_refs), diag_(diag) {
    for (const ProbeSpec& p : probes_) probe_names_.push_back(p.name);
  }

  std::optional<SloSpec> Read(const YamlNode& node) {
    if (!CheckMap(node, "an item of \"slos\"", diag_)) return std::nullopt;
    if (node.IsNull()) {
      diag_.Error(node.mark, "an item of \"slos\" is empty; an SLO needs name, objective and sli");
      return std::nullopt;
    }
    const int errors_before = diag_.error_calls();
    MapReader map(node, "slo",
                  {"alerting", "description", "labels", "name", "objective", "period", "sli"},
                  diag_);
    SloSpec slo;
    slo.file = diag_.file();
    slo.line = node.mark.line;
    slo.column = node.mark.column;
    ReadName(map, slo);
    const std::string owner = slo.name.empty() ? "slo" : "slo " + Quote(slo.name);
    slo.description = map.String("description").value_or("");
    ReadObjective(map, owner, slo);
    ReadPeriod(map, slo);
    if (const YamlNode* sli = map.Get("sli"); sli == nullptr) {
      diag_.Error(node.mark, "missing required key \"sli\" in " + owner +
                                 " (one of availability, latency, error_ratio)");
    } else if (sli->IsNull()) {
      diag_.Error(map.KeyMark("sli"), "\"sli\" of " + owner +
                                          " is empty; give one of availability, latency, "
                                          "error_ratio");
    } else if ((sli = map.Map("sli")) != nullptr) {
      ReadSli(*sli, owner, slo);
    }
    if (const YamlNode* labels = map.Get("labels")) {
      slo.labels = ReadLabelMap(*labels, Quote("labels"), {"slo"},
                                "is set to the SLO's name on every generated series", diag_);
    }
    if (const YamlNode* alerting = map.Map("alerting")) ReadAlerting(*alerting, slo);
    if (slo.alert_name.empty() && !slo.name.empty()) {
      slo.alert_name = DefaultSloAlertName(slo.name);
    }
    if (diag_.error_calls() != errors_before) return std::nullopt;
    return slo;
  }

 private:
  void ReadName(const MapReader& map, SloSpec& slo) {
    if (!map.Has("name")) {
      diag_.Error(map.mark(), "missing required key \"name\" in slo");
      return;
    }
    std::optional<std::string> name = map.String("name");
    if (!name) return;
    if (!IsSloName(*name)) {
      diag_.Error(map.ValueMark("name"),
                  "invalid slo name " + Quote(*name) + " (must match ^[a-zA-Z_][a-zA-Z0-9_.:-]*$)");
      return;
    }
    auto [it, inserted] = seen_.emplace(*name, map.ValueMark("name").line);
    if (!inserted) {
      diag_.Error(map.ValueMark("name"), "duplicate slo name " + Quote(*name) +
                                             " (first defined on line " +
                                             std::to_string(it->second) + ")");
      return;
    }
    slo.name = *name;
  }

  void ReadObjective(const MapReader& map, const std::string& owner, SloSpec& slo) {
    if (!map.Has("objective")) {
      diag_.Error(map.mark(), "missing required key \"objective\" in " + owner +
                                  " (the percentage of good events, e.g. 99.9)");
      return;
    }
    std::optional<double> objective = map.Number("objective");
    if (!objective) return;
    if (!(*objective > 0 && *objective < 100)) {
      diag_.Error(map.ValueMark("objective"),
                  "\"objective\" must be a percentage between 0 and 100 (exclusive), e.g. 99.9; "
                  "got " +
                      map.Get("objective")->scalar +
                      (*objective >= 100 ? " (100 leaves no error budget)" : ""));
      return;
    }
    slo.objective = *objective;
  }

  void ReadPeriod(const MapReader& map, SloSpec& slo) {
    std::optional<core::Duration> period = map.Duration("period");
    if (!period) return;
    const int64_t nanos = period->count();
    if (nanos % kDayNanos != 0 || nanos / kDayNanos <= kLongestWindowDays) {
      diag_.Error(map.ValueMark("period"),
                  "\"period\" must be a whole number of days longer than the longest alert "
                  "window (3d), e.g. 7d, 28d or 30d; got " +
                      map.Get("period")->scalar);
      return;
    }
    slo.period = *period;
  }

  void ReadSli(const YamlNode& node, const std::string& owner, SloSpec& slo) {
    MapReader map(node, "sli", {"availability", "error_ratio", "latency"}, diag_);
    std::vector<std::string> kinds;
    for (const char* k : {"availability", "latency", "error_ratio"}) {
      if (map.Has(k)) kinds.push_back(k);
    }
    if (kinds.empty()) {
      diag_.Error(node.mark,
                  "\"sli\" of " + owner + " needs one of availability, latency or error_ratio");
      return;
    }
    if (kinds.size() > 1) {
      diag_.Error(map.KeyMark(kinds[1]), "\"sli\" has more than one kind (" + Quote(kinds[0]) +
                                             " and " + Quote(kinds[1]) +
                                             "); an SLO measures one SLI");
      return;
    }
    const std::string& kind = kinds[0];
    const YamlNode* body = map.Map(kind);
    if (body == nullptr) {
      if (map.Get(kind)->IsNull()) {
        diag_.Error(map.ValueMark(kind), Quote(kind) + " must not be empty");
      }
      return;
    }
    if (kind == "error_ratio") {
      slo.sli = SloSpec::Sli::kErrorRatio;
      ReadErrorRatio(*body, slo);
      return;
    }
    slo.sli = kind == "latency" ? SloSpec::Sli::kLatency : SloSpec::Sli::kAvailability;
    std::vector<std::string> allowed = {"labels", "probes"};
    if (slo.sli == SloSpec::Sli::kLatency) allowed.push_back("threshold");
    MapReader sel(*body, kind, allowed, diag_);
    ReadSelector(sel, kind, slo);
    if (slo.sli == SloSpec::Sli::kLatency) ReadThreshold(sel, slo);
  }

  void ReadSelector(const MapReader& map, const std::string& kind, SloSpec& slo) {
    std::vector<std::pair<std::string, Mark>> names;
    if (const YamlNode* list = map.Sequence("probes")) {
      for (const YamlNodePtr& item : list->items) {
        std::optional<std::string> n = ReadString(*item, "an item of \"probes\"", diag_);
        if (!n) continue;
        const bool duplicate =
            std::any_of(names.begin(), names.end(), [&](const auto& p) { return p.first == *n; });
        if (duplicate) {
          diag_.Error(item->mark, "duplicate probe " + Quote(*n) + " in \"probes\"");
          continue;
        }
        names.emplace_back(*n, item->mark);
        slo.selector.probes.push_back(*n);
      }
    }
    if (const YamlNode* labels = map.Get("labels")) {
      slo.selector.labels = ReadLabelMap(
          *labels, Quote("labels"),
          {"probe", "target", "reason", "outcome", "assertion", "phase", "le", "quantile",
           "instance", "job"},
          "cannot select probes (select by \"probes\", \"component\" or your own static labels)",
          diag_);
    }
    // As written: a label rejected above must not also read as "selects nothing".
    const YamlNode* probes_node = map.Get("probes");
    const YamlNode* labels_node = map.Get("labels");
    const bool written = (probes_node != nullptr && !probes_node->items.empty()) ||
                         (labels_node != nullptr && !labels_node->entries.empty());
    if (!written) {
      diag_.Error(map.mark(), Quote(kind) +
                                  " must select probes with \"probes\", \"labels\" "
                                  "or both");
      return;
    }
    if (!check_refs_) return;
    bool names_ok = true;
    for (const auto& [name, mark] : names) {
      if (std::find(probe_names_.begin(), probe_names_.end(), name) == probe_names_.end()) {
        diag_.Error(mark, "unknown probe " + Quote(name) + DidYouMean(name, probe_names_));
        names_ok = false;
      }
    }
    if (!names_ok) return;
    std::vector<const ProbeSpec*> selected;
    for (const ProbeSpec& p : probes_) {
      if (Selects(slo.selector, p)) selected.push_back(&p);
    }
    if (selected.empty()) {
      diag_.Error(map.mark(), Quote(kind) + " selects no probe: no configured probe" +
                                  (names.empty() ? "" : " of those listed") +
                                  " carries the labels " + DescribeLabels(slo.selector.labels));
      return;
    }
    const std::string& component = selected.front()->component;
    const bool shared = std::all_of(selected.begin(), selected.end(),
                                    [&](const ProbeSpec* p) { return p->component == component; });
    if (shared) slo.component = component;
  }

  static bool Selects(const SloProbeSelector& sel, const ProbeSpec& p) {
    if (!sel.probes.empty() &&
        std::find(sel.probes.begin(), sel.probes.end(), p.name) == sel.probes.end()) {
      return false;
    }
    for (const auto& [name, value] : sel.labels) {
      if (name == "component") {
        if (p.component != value) return false;
        continue;
      }
      auto it = std::find_if(p.labels.begin(), p.labels.end(),
                             [&name = name](const auto& l) { return l.first == name; });
      if (it == p.labels.end() || it->second != value) return false;
    }
    return true;
  }

  static std::string DescribeLabels(const Pairs& labels) {
    std::string out = "{";
    for (const auto& [k, v] : labels) {
      out += (out.size() > 1 ? ", " : "") + k + "=\"" + v + "\"";
    }
    return out + "}";
  }

  void ReadThreshold(const MapReader& map, SloSpec& slo) {
    const YamlNode* node = map.Get("threshold");
    if (node == nullptr) {
      diag_.Error(map.mark(),
                  "missing required key \"threshold\" in \"latency\" (the duration "
                  "a probe run must not exceed, one of the histogram buckets: " +
                      JoinBuckets(global_.histogram_buckets) + ")");
      return;
    }
    std::optional<double> seconds = ReadSeconds(*node, Quote("threshold"), diag_);
    if (!seconds) return;
    for (double b : global_.histogram_buckets) {
      // Bucket bounds and thresholds are both parsed from short decimal text, so a bound the
      // user meant compares equal up to rounding in the last place.
      if (std::fabs(b - *seconds) <= 1e-12 * std::max(1.0, b)) {
        slo.threshold_seconds = b;
        return;
      }
    }
    diag_.Error(node->mark,
                "\"threshold\" " + node->scalar + " (" + FormatNumber(*seconds) +
                    "s) is not a bucket bound of smoke_probe_duration_seconds, so the share of "
                    "runs under it cannot be measured; use one of " +
                    JoinBuckets(global_.histogram_buckets) + " (seconds) or add " +
                    FormatNumber(*seconds) + " to global.histogram_buckets");
  }

  void ReadErrorRatio(const YamlNode& node, SloSpec& slo) {
    MapReader map(node, "error_ratio", {"errors", "total"}, diag_);
    auto read = [&](const char* key, std::string& out, std::pair<int, int>& pos) {
      if (!map.Has(key)) {
        diag_.Error(map.mark(), "missing required key " + Quote(key) + " in \"error_ratio\"");
        return;
      }
      std::optional<std::string> q = map.String(key);
      if (!q) return;
      const Mark at = map.ValueMark(key);
      if (q->find_first_not_of(" \t\r\n") == std::string::npos) {
        diag_.Error(at, Quote(key) + " must not be empty");
        return;
      }
      if (!HasWindowPlaceholder(*q)) {
        diag_.Error(at, Quote(key) +
                            " must contain {{.window}} where the range goes, e.g. "
                            "sum(rate(http_requests_total[{{.window}}])), so it can be "
                            "evaluated over every alert window");
        return;
      }
      out = *q;
      pos = {at.line, at.column};
    };
    read("errors", slo.errors_query, slo.errors_pos);
    read("total", slo.total_query, slo.total_pos);
  }

  void ReadAlerting(const YamlNode& node, SloSpec& slo) {
    MapReader map(node, "alerting", {"annotations", "labels", "name", "page", "ticket"}, diag_);
    if (std::optional<std::string> name = map.String("name")) {
      static const RE2 kAlertName("[a-zA-Z_][a-zA-Z0-9_]*");
      if (!RE2::FullMatch(*name, kAlertName)) {
        diag_.Error(map.ValueMark("name"), "invalid alert name " + Quote(*name) +
                                               " (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)");
      } else {
        slo.alert_name = *name;
      }
    }
    ReadAlertLabels(map, slo.alert_labels, slo.alert_annotations);
    for (const char* which : {"page", "ticket"}) {
      const YamlNode* sub = map.Map(which);
      if (sub == nullptr) continue;
      SloAlertSpec& alert = std::string(which) == "page" ? slo.page : slo.ticket;
      MapReader m(*sub, which, {"annotations", "disable", "labels"}, diag_);
      alert.disable = m.Bool("disable").value_or(false);
      ReadAlertLabels(m, alert.labels, alert.annotations);
    }
  }

  void ReadAlertLabels(const MapReader& map, Pairs& labels, Pairs& annotations) {
    if (const YamlNode* l = map.Get("labels")) {
      labels = ReadLabelMap(*l, Quote("labels"), {"alertname", "slo"},
                            "is set by the generated alert", diag_);
    }
    if (const YamlNode* a = map.Get("annotations")) {
      annotations = ReadLabelMap(*a, Quote("annotations"), {}, "", diag_);
    }
  }

  const std::vector<ProbeSpec>& probes_;
  const GlobalSpec& global_;
  const bool check_refs_;
  Diagnostics& diag_;
  std::vector<std::string> probe_names_;
  std::map<std::string, int> seen_;
};

}  // namespace

std::string DefaultSloAlertName(const std::string& slo_name) {
  std::string out;
  bool upper = true;
  for (char c : slo_name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out + "ErrorBudgetBurn";
}

std::vector<SloSpec> ParseSlos(const YamlNode* node, const std::vector<ProbeSpec>& probes,
                               const GlobalSpec& global, bool check_probe_references,
                               Diagnostics& diag) {
  std::vector<SloSpec> out;
  if (node == nullptr || !CheckSequence(*node, Quote("slos"), diag) || node->IsNull()) {
    return out;
  }
  SloReader reader(probes, global, check_probe_references, diag);
  for (const YamlNodePtr& item : node->items) {
    if (std::optional<SloSpec> slo = reader.Read(*item)) out.push_back(std::move(*slo));
  }
  return out;
}

}  // namespace smoke::config
