#include "exporter/ruler/unit_test_file.h"

#include <glob.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <set>

#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/atomic_file.h"
#include "exporter/promql/duration.h"
#include "exporter/promql/parser.h"
#include "exporter/promql/quote.h"
#include "exporter/ruler/rule_file_yaml.h"

namespace smoke::ruler {
namespace {

using config::Diagnostics;
using config::Mark;
using config::Quote;
using config::YamlEntry;
using config::YamlNode;

const std::vector<std::string> kFileKeysPrometheus2 = {"evaluation_interval", "group_eval_order",
                                                       "rule_files", "tests"};
const std::vector<std::string> kFileKeys = {"evaluation_interval", "fuzzy_compare",
                                            "group_eval_order", "rule_files", "tests"};
const std::vector<std::string> kGroupKeysPrometheus2 = {
    "alert_rule_test", "external_labels", "external_url", "input_series", "interval", "name",
    "promql_expr_test"};
const std::vector<std::string> kGroupKeys = {"alert_rule_test",  "external_labels", "external_url",
                                             "input_series",     "interval",        "name",
                                             "promql_expr_test", "start_timestamp"};
const std::vector<std::string> kSeriesKeys = {"series", "values"};
const std::vector<std::string> kAlertTestKeys = {"alertname", "eval_time", "exp_alerts"};
const std::vector<std::string> kAlertKeys = {"exp_annotations", "exp_labels"};
const std::vector<std::string> kExprTestKeys = {"eval_time", "exp_samples", "expr"};
const std::vector<std::string> kSampleKeysPrometheus2 = {"labels", "value"};
const std::vector<std::string> kSampleKeys = {"histogram", "labels", "value"};
const std::map<std::string, std::string> kLaterKeyHints = {
    {"fuzzy_compare", "fuzzy_compare needs Prometheus 3.5; promtool 2.42 rejects it"},
    {"start_timestamp", "start_timestamp needs Prometheus 3.9; promtool 2.42 rejects it"},
    {"histogram", "histogram needs Prometheus 2.47; promtool 2.42 rejects it"},
};

SourcePos Pos(const std::string& path, Mark m) { return SourcePos{path, m.line, m.column}; }

class Loader {
 public:
  Loader(const std::string& path, const UnitTestLoadOptions& options)
      : path_(path), options_(options), diag_(path), reader_(diag_) {}

  core::Result<UnitTestFile> Load(const std::string& text) {
    UnitTestFile file;
    file.path = path_;
    config::YamlNodePtr root = ParseFirstYamlDocument(text, diag_);
    if (root) ParseFile(*root, &file);
    if (diag_.has_errors()) return core::Status::Error(diag_.FormatErrors());
    return file;
  }

 private:
  const std::vector<std::string>& Keys(const std::vector<std::string>& prometheus2,
                                       const std::vector<std::string>& all) const {
    return options_.strict_prometheus2 ? prometheus2 : all;
  }

  void ParseFile(const YamlNode& root, UnitTestFile* file) {
    if (root.IsNull()) return;
    if (!root.IsMap()) {
      reader_.TypeError(root, "a mapping", "a unit-test file", "");
      return;
    }
    reader_.CheckKeys(root, Keys(kFileKeysPrometheus2, kFileKeys), "", kLaterKeyHints);
    if (const YamlEntry* e = root.Find("rule_files")) {
      file->rule_files =
          reader_.Strings(*e->value, Quote("rule_files"), "").value_or(std::vector<std::string>{});
    }
    if (const YamlEntry* e = root.Find("evaluation_interval")) {
      std::optional<core::Duration> d =
          reader_.Duration(*e->value, Quote("evaluation_interval"), "");
      if (d && d->count() > 0) file->evaluation_interval = *d;  // 0 means the default, 1m
    }
    if (const YamlEntry* e = root.Find("group_eval_order")) {
      std::optional<std::vector<std::string>> order =
          reader_.Strings(*e->value, Quote("group_eval_order"), "");
      if (order) {
        std::set<std::string> seen;
        for (size_t i = 0; i < order->size(); ++i) {
          if (!seen.insert((*order)[i]).second) {
            reader_.Error(e->value->items[i]->mark, "",
                          "group name repeated in evaluation order: " + (*order)[i]);
          }
        }
        file->group_eval_order = std::move(*order);
      }
    }
    if (const YamlEntry* e = root.Find("fuzzy_compare"); e && !options_.strict_prometheus2) {
      file->fuzzy_compare = reader_.Bool(*e->value, Quote("fuzzy_compare"), "").value_or(false);
    }
    if (const YamlEntry* e = root.Find("tests")) {
      const YamlNode& tests = *e->value;
      if (tests.IsSequence()) {
        for (size_t i = 0; i < tests.items.size(); ++i) {
          TestGroup group;
          if (ParseGroup(*tests.items[i], static_cast<int>(i + 1), &group)) {
            file->tests.push_back(std::move(group));
          }
        }
      } else if (!tests.IsNull()) {
        reader_.TypeError(tests, "a sequence of test groups", Quote("tests"), "");
      }
    }
  }

  // Calls `parse(item, index, context)` for each mapping in the sequence under `key`.
  template <typename F>
  void ForEachMap(const YamlNode& parent, std::string_view key, const std::string& context,
                  const std::string& item_noun, F parse) {
    const YamlEntry* e = parent.Find(key);
    if (e == nullptr || e->value->IsNull()) return;
    if (!e->value->IsSequence()) {
      reader_.TypeError(*e->value, "a sequence", Quote(key), context);
      return;
    }
    for (size_t i = 0; i < e->value->items.size(); ++i) {
      const YamlNode& item = *e->value->items[i];
      const std::string item_context = context + ", " + item_noun + " " + std::to_string(i + 1);
      if (!item.IsMap()) {
        reader_.TypeError(item, "a mapping", "an item of " + Quote(key), item_context);
        continue;
      }
      parse(item, item_context);
    }
  }

  std::string StringField(const YamlNode& map, std::string_view key, const std::string& context) {
    const YamlEntry* e = map.Find(key);
    if (e == nullptr) return "";
    return reader_.String(*e->value, Quote(key), context).value_or("");
  }

  core::Duration DurationField(const YamlNode& map, std::string_view key,
                               const std::string& context) {
    const YamlEntry* e = map.Find(key);
    if (e == nullptr) return core::Duration(0);
    return reader_.Duration(*e->value, Quote(key), context).value_or(core::Duration(0));
  }

  StringPairs PairsField(const YamlNode& map, const std::string& key, const std::string& context) {
    StringPairs out;
    const YamlEntry* e = map.Find(key);
    if (e == nullptr || e->value->IsNull()) return out;
    if (!e->value->IsMap()) {
      reader_.TypeError(*e->value, "a mapping", Quote(key), context);
      return out;
    }
    for (const YamlEntry& kv : e->value->entries) {
      std::optional<std::string> v = reader_.String(*kv.value, Quote(key + "." + kv.key), context);
      if (v) out.emplace_back(kv.key, std::move(*v));
    }
    return out;
  }

  bool ParseGroup(const YamlNode& node, int index, TestGroup* group) {
    std::string context = "test " + std::to_string(index);
    if (!node.IsMap()) {
      reader_.TypeError(node, "a mapping", "a test group", context);
      return false;
    }
    group->pos = Pos(path_, node.mark);
    group->name = StringField(node, "name", context);
    if (!group->name.empty()) context += " (" + promql::GoQuote(group->name) + ")";
    reader_.CheckKeys(node, Keys(kGroupKeysPrometheus2, kGroupKeys), context, kLaterKeyHints);
    if (const YamlEntry* e = node.Find("interval")) {
      std::optional<core::Duration> d = reader_.Duration(*e->value, Quote("interval"), context);
      if (d && d->count() > 0) group->interval = *d;
    }
    group->external_labels = PairsField(node, "external_labels", context);
    group->external_url = StringField(node, "external_url", context);
    if (const YamlEntry* e = node.Find("start_timestamp"); e && !options_.strict_prometheus2) {
      if (std::optional<std::string> text =
              reader_.String(*e->value, Quote("start_timestamp"), context)) {
        core::Result<int64_t> ms = ParseStartTimestamp(*text);
        if (ms.ok()) {
          group->start_timestamp_ms = *ms;
        } else {
          reader_.Error(e->value->mark, context,
                        "invalid \"start_timestamp\": " + ms.status().message());
        }
      }
    }
    ForEachMap(node, "input_series", context, "input_series",
               [&](const YamlNode& item, const std::string& ctx) {
                 group->input_series.push_back(ParseSeries(item, ctx));
               });
    ForEachMap(node, "alert_rule_test", context, "alert_rule_test",
               [&](const YamlNode& item, const std::string& ctx) {
                 group->alert_rule_tests.push_back(ParseAlertTest(item, ctx));
               });
    ForEachMap(node, "promql_expr_test", context, "promql_expr_test",
               [&](const YamlNode& item, const std::string& ctx) {
                 group->promql_expr_tests.push_back(ParseExprTest(item, ctx));
               });
    return true;
  }

  InputSeries ParseSeries(const YamlNode& node, const std::string& context) {
    InputSeries s;
    s.pos = Pos(path_, node.mark);
    reader_.CheckKeys(node, kSeriesKeys, context);
    s.series = StringField(node, "series", context);
    s.values = StringField(node, "values", context);
    const YamlEntry* series = node.Find("series");
    const Mark series_mark = series ? series->value->mark : node.mark;
    if (s.series.empty()) {
      reader_.Error(series_mark, context, "\"series\" must be set, e.g. 'up{job=\"api\"}'");
    } else {
      core::Result<promql::Labels> labels = ParseSeriesLabels(s.series);
      if (!labels.ok()) {
        reader_.Error(
            series_mark, context,
            "invalid series " + promql::GoQuote(s.series) + ": " + labels.status().message());
      } else if (labels->empty()) {
        reader_.Error(series_mark, context,
                      "series " + promql::GoQuote(s.series) + " has no labels and no metric name");
      } else {
        s.labels = std::move(labels).value();
      }
    }
    if (const YamlEntry* values = node.Find("values")) {
      core::Result<std::vector<SequenceValue>> parsed = ParseSeriesValues(s.values);
      if (parsed.ok()) {
        s.samples = std::move(parsed).value();
      } else {
        reader_.Error(
            values->value->mark, context,
            "invalid values " + promql::GoQuote(s.values) + ": " + parsed.status().message());
      }
    }
    return s;
  }

  AlertRuleTest ParseAlertTest(const YamlNode& node, const std::string& context) {
    AlertRuleTest t;
    t.pos = Pos(path_, node.mark);
    reader_.CheckKeys(node, kAlertTestKeys, context);
    t.eval_time = DurationField(node, "eval_time", context);
    t.alertname = StringField(node, "alertname", context);
    if (t.alertname.empty()) {
      // promtool fails the whole test group with this when it runs it.
      reader_.Error(node.mark, context,
                    "an item under alert_rule_test misses required attribute alertname at "
                    "eval_time " +
                        promql::FormatModelDuration(t.eval_time));
    }
    ForEachMap(node, "exp_alerts", context, "exp_alerts",
               [&](const YamlNode& item, const std::string& ctx) {
                 ExpectedAlert a;
                 a.pos = Pos(path_, item.mark);
                 reader_.CheckKeys(item, kAlertKeys, ctx);
                 a.exp_labels = PairsField(item, "exp_labels", ctx);
                 a.exp_annotations = PairsField(item, "exp_annotations", ctx);
                 t.exp_alerts.push_back(std::move(a));
               });
    return t;
  }

  PromqlExprTest ParseExprTest(const YamlNode& node, const std::string& context) {
    PromqlExprTest t;
    t.pos = Pos(path_, node.mark);
    reader_.CheckKeys(node, kExprTestKeys, context);
    t.expr = StringField(node, "expr", context);
    t.eval_time = DurationField(node, "eval_time", context);
    const YamlEntry* expr = node.Find("expr");
    const Mark expr_mark = expr ? expr->value->mark : node.mark;
    if (t.expr.empty()) {
      reader_.Error(expr_mark, context, "\"expr\" must be set");
    } else if (core::Result<promql::ExprPtr> parsed = promql::ParseExpr(t.expr); !parsed.ok()) {
      reader_.Error(expr_mark, context, "could not parse expression: " + parsed.status().message());
    }
    ForEachMap(node, "exp_samples", context, "exp_samples",
               [&](const YamlNode& item, const std::string& ctx) {
                 t.exp_samples.push_back(ParseSample(item, ctx));
               });
    return t;
  }

  ExpectedSample ParseSample(const YamlNode& node, const std::string& context) {
    ExpectedSample s;
    s.pos = Pos(path_, node.mark);
    reader_.CheckKeys(node, Keys(kSampleKeysPrometheus2, kSampleKeys), context, kLaterKeyHints);
    s.labels_text = StringField(node, "labels", context);
    core::Result<promql::Labels> labels = ParseSeriesLabels(s.labels_text);
    if (labels.ok()) {
      s.labels = std::move(labels).value();
    } else {
      const YamlEntry* e = node.Find("labels");
      reader_.Error(
          e ? e->value->mark : node.mark, context,
          "invalid labels " + promql::GoQuote(s.labels_text) + ": " + labels.status().message());
    }
    if (const YamlEntry* e = node.Find("value")) {
      s.value = reader_.Float(*e->value, Quote("value"), context).value_or(0);
    }
    if (!options_.strict_prometheus2) s.histogram = StringField(node, "histogram", context);
    return s;
  }

  const std::string path_;
  const UnitTestLoadOptions options_;
  Diagnostics diag_;
  YamlFieldReader reader_;
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// time.RFC3339Nano as time.Parse reads it: 2006-01-02T15:04:05[.999999999](Z|±07:00).
std::optional<int64_t> ParseRfc3339Millis(std::string_view s) {
  auto digits = [&](size_t pos, size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!digits(0, 4, &year) || s.size() < 19 || s[4] != '-' || !digits(5, 2, &month) ||
      s[7] != '-' || !digits(8, 2, &day) || s[10] != 'T' || !digits(11, 2, &hour) || s[13] != ':' ||
      !digits(14, 2, &minute) || s[16] != ':' || !digits(17, 2, &second)) {
    return std::nullopt;
  }
  static constexpr int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > kDaysInMonth[month - 1] ||
      (month == 2 && day == 29 && !leap) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int64_t scale = 100'000'000;
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start || pos - start > 9) return std::nullopt;
  }
  int offset_seconds = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(pos + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_seconds = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t seconds =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
      hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * 1000 + nanos / 1'000'000;
}

}  // namespace

core::Result<int64_t> ParseStartTimestamp(std::string_view text) {
  const std::string s(text);
  // strconv.ParseFloat; NaN and infinities are no time.
  const bool numeric = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
  });
  if (numeric) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (errno == 0 && end == s.c_str() + s.size() && std::isfinite(v) && std::fabs(v) < 9.2e15) {
      // time.Unix(int64(sec), int64(frac*1e9)), then milliseconds as Prometheus stores them.
      double whole = 0;
      const double frac = std::modf(v, &whole);
      const int64_t nanos =
          static_cast<int64_t>(whole) * 1'000'000'000 + static_cast<int64_t>(frac * 1e9);
      int64_t ms = nanos / 1'000'000;
      if (nanos % 1'000'000 < 0) --ms;  // floor, as timestamp.FromTime does for times before 1970
      return ms;
    }
  }
  if (std::optional<int64_t> ms = ParseRfc3339Millis(text)) return *ms;
  return core::Status::Error("cannot parse " + promql::GoQuote(text) + " to a valid timestamp");
}

core::Result<UnitTestFile> LoadUnitTestText(const std::string& text, const std::string& path,
                                            const UnitTestLoadOptions& options) {
  return Loader(path, options).Load(text);
}

core::Result<UnitTestFile> LoadUnitTestFile(const std::string& path,
                                            const UnitTestLoadOptions& options) {
  core::Result<std::string> text = core::ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return LoadUnitTestText(*text, path, options);
}

core::Result<ResolvedRuleFiles> ResolveRuleFiles(const UnitTestFile& file) {
  ResolvedRuleFiles out;
  const std::filesystem::path base = std::filesystem::path(file.path).parent_path();
  for (const std::string& pattern : file.rule_files) {
    std::string full = pattern;
    if (!pattern.empty() && pattern[0] != '/') full = (base / pattern).lexically_normal().string();
    glob_t matches{};
    const int rc = glob(full.c_str(), 0, nullptr, &matches);
    if (rc == 0) {
      for (size_t i = 0; i < matches.gl_pathc; ++i) out.paths.emplace_back(matches.gl_pathv[i]);
    } else if (rc == GLOB_NOMATCH) {
      out.warnings.push_back("no file match pattern " + full);
    } else {
      globfree(&matches);
      return core::Status::Error("cannot expand rule_files pattern " + promql::GoQuote(full));
    }
    globfree(&matches);
  }
  return out;
}

}  // namespace smoke::ruler
