#include "exporter/ruler/unit_test_runner.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <variant>

#include "exporter/promql/duration.h"
#include "exporter/promql/engine.h"
#include "exporter/promql/parser.h"
#include "exporter/promql/quote.h"
#include "exporter/ruler/go_strconv.h"
#include "exporter/ruler/go_time.h"
#include "exporter/ruler/group.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::ruler {
namespace {

using Kind = UnitTestFailure::Kind;

// promtool's test engine (promql.LazyLoader) holds at most this many samples per query.
constexpr int64_t kMaxSamples = 10000;

int64_t ToMs(core::Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.empty()) lines.push_back(text);
  return lines;
}

// A label set as Go's labels.Labels holds it in promtool: sorted by name, and (unlike
// promql::Labels) keeping empty values, which an expectation may contain and then never matches.
using LabelList = std::vector<promql::Label>;

LabelList ToList(const promql::Labels& labels) { return labels.items(); }

LabelList ToList(const StringPairs& pairs) {
  std::map<std::string, std::string> sorted(pairs.begin(), pairs.end());
  LabelList out;
  for (auto& [name, value] : sorted) out.push_back({name, value});
  return out;
}

// labels.Compare.
int CompareLists(const LabelList& a, const LabelList& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i].name != b[i].name) return a[i].name < b[i].name ? -1 : 1;
    if (a[i].value != b[i].value) return a[i].value < b[i].value ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// labels.Labels.String(): {a="1", b="2"} with strconv.Quote'd values.
std::string FormatList(const LabelList& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels[i].name + "=" + go::Quote(labels[i].value);
  }
  return out + "}";
}

// Prefixes every line but the first with `indent`, as promtool's indentLines.
std::string IndentLines(const std::string& text, const std::string& indent) {
  std::string out;
  size_t start = 0;
  bool first = true;
  while (true) {
    const size_t nl = text.find('\n', start);
    if (!first) out += indent;
    first = false;
    if (nl == std::string::npos) {
      out.append(text, start, std::string::npos);
      break;
    }
    out.append(text, start, nl - start + 1);
    start = nl + 1;
  }
  return out;
}

struct AlertView {
  LabelList labels;
  LabelList annotations;

  friend bool operator==(const AlertView& a, const AlertView& b) {
    return a.labels == b.labels && a.annotations == b.annotations;
  }
};

bool AlertLess(const AlertView& a, const AlertView& b) {
  const int diff = CompareLists(a.labels, b.labels);
  if (diff != 0) return diff < 0;
  return CompareLists(a.annotations, b.annotations) < 0;
}

std::string FormatAlerts(const std::vector<AlertView>& alerts) {
  if (alerts.empty()) return "[]";
  std::string out = "[";
  for (size_t i = 0; i < alerts.size(); ++i) {
    out += i == 0 ? "\n" : ",\n";
    out += std::to_string(i) + ":" +
           IndentLines("\nLabels:" + FormatList(alerts[i].labels) +
                           "\nAnnotations:" + FormatList(alerts[i].annotations),
                       "  ");
  }
  return out + "\n]";
}

// The alert's annotations as Prometheus keeps them: one that expanded to "" is still there
// (promql::Labels, which Alert uses, drops empty values).
LabelList Annotations(const Alert& alert, const RuleStatus& rule) {
  LabelList out = ToList(alert.annotations);
  for (const auto& [name, text] : rule.annotations) {
    if (!alert.annotations.Has(name)) out.push_back({name, ""});
  }
  std::sort(out.begin(), out.end(),
            [](const promql::Label& a, const promql::Label& b) { return a.name < b.name; });
  return out;
}

struct SampleView {
  promql::Labels labels;
  double value = 0;
  std::string histogram;  // native-histogram notation; the engine never returns one
};

std::string FormatSamples(const std::vector<SampleView>& samples) {
  if (samples.empty()) return "nil";
  std::string out;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i > 0) out += ", ";
    out += samples[i].labels.ToString() + " " +
           (samples[i].histogram.empty() ? go::FormatFloat(samples[i].value, 'E', -1)
                                         : samples[i].histogram);
  }
  return out;
}

bool FloatsEqual(double a, double b, bool fuzzy) {
  if (a == b) return true;
  return fuzzy && (std::nextafter(a, -INFINITY) == b || std::nextafter(a, INFINITY) == b);
}

bool SamplesEqual(const std::vector<SampleView>& a, const std::vector<SampleView>& b, bool fuzzy) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].labels != b[i].labels || a[i].histogram != b[i].histogram ||
        !FloatsEqual(a[i].value, b[i].value, fuzzy)) {
      return false;
    }
  }
  return true;
}

// The input series of a test group, appended to the storage as the evaluation reaches their
// timestamps (promql.LazyLoader's appendTill).
class LazySeries {
 public:
  LazySeries(const TestGroup& group, int64_t start_ms, int64_t step_ms) {
    for (const InputSeries& in : group.input_series) {
      std::string key = in.labels.Key();
      auto [it, inserted] = index_.emplace(key, series_.size());
      if (inserted) series_.push_back(Series{in.labels, {}, 0});
      Series& s = series_[it->second];
      s.samples.clear();  // a series given twice keeps its last definition, as promtool's map
      s.next = 0;
      for (size_t i = 0; i < in.samples.size(); ++i) {
        if (in.samples[i].omitted) continue;
        s.samples.push_back({start_ms + static_cast<int64_t>(i) * step_ms, in.samples[i].value});
      }
    }
  }

  void AppendTill(int64_t ts_ms, tsdb::MemoryStorage& storage) {
    promql::Vector batch;
    for (Series& s : series_) {
      for (; s.next < s.samples.size() && s.samples[s.next].t <= ts_ms; ++s.next) {
        batch.push_back(promql::Sample{s.labels, s.samples[s.next].t, s.samples[s.next].v});
      }
    }
    // With a step of 0 every sample of a series shares one timestamp: the storage keeps the
    // first and rejects the rest, as Prometheus's head does within one commit.
    if (!batch.empty()) storage.Append(batch);
  }

 private:
  struct Series {
    promql::Labels labels;
    std::vector<promql::Point> samples;
    size_t next;
  };
  std::map<std::string, size_t> index_;
  std::vector<Series> series_;
};

class TestGroupRun {
 public:
  TestGroupRun(const UnitTestFile& file, const TestGroup& group, int index,
               const std::vector<GroupSpec>& groups, const UnitTestRunOptions& options,
               std::vector<UnitTestFailure>* failures)
      : file_(file), group_(group), index_(index), options_(options), failures_(failures) {
    eval_ms_ = std::max<int64_t>(1, ToMs(file.evaluation_interval));
    // Prometheus 2.42 uses `interval` as written, 0 when absent; later versions fall back to
    // evaluation_interval.
    const core::Duration step = options.strict_prometheus2
                                    ? group.interval.value_or(core::Duration(0))
                                    : group.EffectiveInterval(file.evaluation_interval);
    start_ms_ = group.start_timestamp_ms.value_or(0);
    series_ = std::make_unique<LazySeries>(group, start_ms_, ToMs(step));

    eval_options_.lookback_delta = std::chrono::minutes(5);
    eval_options_.default_subquery_step = file.evaluation_interval;
    eval_options_.max_samples = kMaxSamples;
    eval_options_.compatibility = options.strict_prometheus2 ? promql::Compatibility::kPrometheus2
                                                             : promql::Compatibility::kPrometheus3;

    GroupOptions group_options;
    group_options.default_interval = step.count() > 0 ? step : file.evaluation_interval;
    group_options.eval_options = eval_options_;
    for (const auto& [name, value] : group.external_labels) {
      group_options.external_labels[name] = value;
    }
    group_options.external_url = group.external_url;
    group_options.spread_evaluation = false;
    for (const GroupSpec& spec : groups) {
      groups_.push_back(std::make_unique<Group>(spec, group_options));
    }
  }

  void Run() {
    int64_t max_eval_ms = 0;
    for (const AlertRuleTest& t : group_.alert_rule_tests) {
      max_eval_ms = std::max(max_eval_ms, ToMs(t.eval_time));
    }
    for (const PromqlExprTest& t : group_.promql_expr_tests) {
      max_eval_ms = std::max(max_eval_ms, ToMs(t.eval_time));
    }
    std::map<int64_t, std::vector<const AlertRuleTest*>> alert_tests;  // by eval_time, in order
    for (const AlertRuleTest& t : group_.alert_rule_tests) {
      alert_tests[ToMs(t.eval_time)].push_back(&t);
    }
    auto next_check = alert_tests.begin();

    for (int64_t ts = start_ms_; ts <= start_ms_ + max_eval_ms; ts += eval_ms_) {
      series_->AppendTill(ts, storage_);
      if (!Evaluate(ts)) return;  // promtool stops the test group at a rule evaluation error
      // Alerts expected at eval_time t are compared after the evaluation at the last step <= t.
      while (next_check != alert_tests.end() && ts - start_ms_ <= next_check->first &&
             next_check->first < ts + eval_ms_ - start_ms_) {
        CheckAlerts(next_check->second);
        ++next_check;
      }
    }
    for (const PromqlExprTest& t : group_.promql_expr_tests) CheckExpr(t);
  }

 private:
  // Evaluates every group at ts; false (and a failure per failing rule) if any rule failed.
  bool Evaluate(int64_t ts) {
    bool ok = true;
    for (const std::unique_ptr<Group>& g : groups_) {
      g->Eval(ts, storage_);
      for (const RuleStatus& r : g->Snapshot().rules) {
        if (r.health != RuleHealth::kErr) continue;
        ok = false;
        // promtool prints the time since the Unix epoch, start_timestamp or not.
        AddFailure(Kind::kRuleEvaluation, group_.pos,
                   "    rule: " + r.name + ", time: " + go::DurationString(ts * 1'000'000) +
                       ", err: " + r.last_error);
      }
    }
    return ok;
  }

  void CheckAlerts(const std::vector<const AlertRuleTest*>& tests) {
    std::set<std::string> names;
    for (const AlertRuleTest* t : tests) names.insert(t->alertname);
    // An alert name may be used by several rules, in several groups: their alerts add up.
    std::map<std::string, std::vector<AlertView>> got;
    for (const std::unique_ptr<Group>& g : groups_) {
      for (const RuleStatus& r : g->Snapshot().rules) {
        if (!r.alerting || names.count(r.name) == 0) continue;
        std::vector<AlertView>& out = got[r.name];
        for (const Alert& a : r.alerts) {
          if (a.state != AlertState::kFiring) continue;
          out.push_back(AlertView{ToList(a.labels), Annotations(a, r)});
        }
      }
    }
    for (const AlertRuleTest* t : tests) {
      std::vector<AlertView> actual = got[t->alertname];
      std::vector<AlertView> expected;
      for (const ExpectedAlert& e : t->exp_alerts) {
        StringPairs labels = e.exp_labels;
        labels.erase(std::remove_if(labels.begin(), labels.end(),
                                    [](const auto& kv) { return kv.first == "alertname"; }),
                     labels.end());
        labels.emplace_back("alertname", t->alertname);
        expected.push_back(AlertView{ToList(labels), ToList(e.exp_annotations)});
      }
      std::sort(actual.begin(), actual.end(), AlertLess);
      std::sort(expected.begin(), expected.end(), AlertLess);
      if (actual == expected) continue;
      std::string message;
      if (!group_.name.empty()) message = "    name: " + group_.name + ",\n";
      message += "    alertname: " + t->alertname +
                 ", time: " + promql::FormatModelDuration(t->eval_time) +
                 ", \n        exp:" + IndentLines(FormatAlerts(expected), "            ") +
                 ", \n        got:" + IndentLines(FormatAlerts(actual), "            ");
      AddFailure(Kind::kAlert, t->pos, std::move(message));
    }
  }

  void CheckExpr(const PromqlExprTest& t) {
    const std::string head = "    expr: " + promql::GoQuote(t.expr) +
                             ", time: " + promql::FormatModelDuration(t.eval_time);
    core::Result<std::vector<SampleView>> result = Query(t);
    if (!result.ok()) {
      AddFailure(Kind::kExpr, t.pos, head + ", err: " + result.status().message());
      return;
    }
    std::vector<SampleView> actual = std::move(result).value();
    std::vector<SampleView> expected;
    for (const ExpectedSample& s : t.exp_samples) {
      expected.push_back(SampleView{s.labels, s.value, s.histogram});
    }
    auto by_labels = [](const SampleView& a, const SampleView& b) {
      return promql::Labels::Compare(a.labels, b.labels) < 0;
    };
    std::stable_sort(actual.begin(), actual.end(), by_labels);
    std::stable_sort(expected.begin(), expected.end(), by_labels);
    if (SamplesEqual(expected, actual, file_.fuzzy_compare && !options_.strict_prometheus2)) {
      return;
    }
    AddFailure(Kind::kExpr, t.pos,
               head + ",\n        exp: " + FormatSamples(expected) +
                   "\n        got: " + FormatSamples(actual));
  }

  core::Result<std::vector<SampleView>> Query(const PromqlExprTest& t) const {
    core::Result<promql::ExprPtr> expr = promql::ParseExpr(t.expr);
    if (!expr.ok()) return expr.status();
    core::Result<promql::Value> value =
        promql::EvalInstant(**expr, storage_, start_ms_ + ToMs(t.eval_time), eval_options_);
    if (!value.ok()) return value.status();
    std::vector<SampleView> out;
    if (const auto* vec = std::get_if<promql::Vector>(&value.value())) {
      for (const promql::Sample& s : *vec) out.push_back(SampleView{s.labels, s.v, ""});
      return out;
    }
    if (const auto* scalar = std::get_if<promql::Scalar>(&value.value())) {
      out.push_back(SampleView{promql::Labels(), scalar->v, ""});
      return out;
    }
    return core::Status::Error("rule result is not a vector or scalar");
  }

  void AddFailure(Kind kind, const SourcePos& pos, std::string message) {
    failures_->push_back(UnitTestFailure{kind, index_, group_.name, pos, std::move(message)});
  }

  const UnitTestFile& file_;
  const TestGroup& group_;
  const int index_;
  const UnitTestRunOptions options_;
  std::vector<UnitTestFailure>* failures_;
  int64_t eval_ms_ = 0;
  int64_t start_ms_ = 0;
  promql::EvalOptions eval_options_;
  tsdb::MemoryStorage storage_;
  std::unique_ptr<LazySeries> series_;
  std::vector<std::unique_ptr<Group>> groups_;
};

// The groups of the rule files in evaluation order, or the errors of the first file that fails
// to load (promtool's LoadGroups stops there).
core::Result<std::vector<GroupSpec>> LoadOrderedGroups(const UnitTestFile& file,
                                                       const std::vector<std::string>& paths,
                                                       const UnitTestRunOptions& options) {
  std::vector<GroupSpec> groups;
  std::map<std::string, size_t> by_key;  // a file matched twice yields its groups once
  for (const std::string& path : paths) {
    core::Result<RuleFile> rules =
        LoadRuleFile(path, RuleLoadOptions{.strict_prometheus2 = options.strict_prometheus2});
    if (!rules.ok()) return rules.status();
    for (GroupSpec& g : rules->groups) {
      const std::string key = g.file + ";" + g.name;
      if (auto it = by_key.find(key); it != by_key.end()) {
        groups[it->second] = std::move(g);
      } else {
        by_key.emplace(key, groups.size());
        groups.push_back(std::move(g));
      }
    }
  }
  // group_eval_order is a partial order: a group it does not name ranks with its first entry.
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < file.group_eval_order.size(); ++i) {
    rank.emplace(file.group_eval_order[i], i);
  }
  auto rank_of = [&](const GroupSpec& g) {
    auto it = rank.find(g.name);
    return it == rank.end() ? size_t{0} : it->second;
  };
  std::stable_sort(groups.begin(), groups.end(),
                   [&](const GroupSpec& a, const GroupSpec& b) { return rank_of(a) < rank_of(b); });
  return groups;
}

}  // namespace

UnitTestFileResult RunUnitTests(const UnitTestFile& file, const UnitTestRunOptions& options) {
  UnitTestFileResult result;
  result.path = file.path;
  core::Result<ResolvedRuleFiles> resolved = ResolveRuleFiles(file);
  if (!resolved.ok()) {
    result.failures.push_back(
        UnitTestFailure{Kind::kFile, 0, "", SourcePos{file.path}, resolved.status().message()});
    return result;
  }
  result.warnings = resolved->warnings;
  if (file.tests.empty()) return result;
  core::Result<std::vector<GroupSpec>> groups = LoadOrderedGroups(file, resolved->paths, options);
  for (size_t i = 0; i < file.tests.size(); ++i) {
    const TestGroup& group = file.tests[i];
    const int index = static_cast<int>(i + 1);
    if (!groups.ok()) {
      // promtool loads the rule files for every test group, and so fails each of them.
      for (const std::string& line : SplitLines(groups.status().message())) {
        result.failures.push_back(
            UnitTestFailure{Kind::kRuleFiles, index, group.name, group.pos, line});
      }
      continue;
    }
    TestGroupRun(file, group, index, *groups, options, &result.failures).Run();
  }
  return result;
}

UnitTestFileResult RunUnitTestFile(const std::string& path, const UnitTestRunOptions& options) {
  core::Result<UnitTestFile> file =
      LoadUnitTestFile(path, UnitTestLoadOptions{.strict_prometheus2 = options.strict_prometheus2});
  if (!file.ok()) {
    UnitTestFileResult result;
    result.path = path;
    for (const std::string& line : SplitLines(file.status().message())) {
      result.failures.push_back(UnitTestFailure{Kind::kFile, 0, "", SourcePos{path}, line});
    }
    return result;
  }
  return RunUnitTests(*file, options);
}

}  // namespace smoke::ruler
