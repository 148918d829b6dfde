#include "exporter/ruler/rule_file.h"

#include <cstdint>
#include <map>

#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/atomic_file.h"
#include "exporter/promql/labels.h"
#include "exporter/promql/parser.h"
#include "exporter/promql/quote.h"
#include "exporter/ruler/rule_file_yaml.h"
#include "exporter/ruler/template.h"

namespace smoke::ruler {
namespace {

using config::Diagnostics;
using config::Mark;
using config::Quote;
using config::YamlEntry;
using config::YamlNode;

const std::vector<std::string> kFileKeys = {"groups"};
const std::vector<std::string> kGroupKeysPrometheus2 = {"interval", "limit", "name", "rules"};
const std::vector<std::string> kGroupKeys = {"interval", "labels",       "limit",
                                             "name",     "query_offset", "rules"};
const std::vector<std::string> kRuleKeys = {"alert",           "annotations", "expr",  "for",
                                            "keep_firing_for", "labels",      "record"};
// Said instead of "did you mean" when a Prometheus 3 key meets strict Prometheus 2 loading.
const std::map<std::string, std::string> kPrometheus3Hints = {
    {"labels", "group labels need Prometheus 3; Prometheus 2.42 rejects them"},
    {"query_offset", "query_offset needs Prometheus 3; Prometheus 2.42 rejects it"},
};

// model.IsValidMetricName in Prometheus 2: [a-zA-Z_:][a-zA-Z0-9_:]*.
bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!start && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// model.LabelValue.IsValid: any valid UTF-8.
bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    int width = 0;
    const uint32_t rune = promql::DecodeRune(s, i, &width);
    if (rune == promql::kRuneError && width <= 1) return false;
    i += static_cast<size_t>(width);
  }
  return true;
}

// Reads one rule file into specs. Every finding goes to `diag_` with the context (group, rule)
// written first, so that a user reads where before what.
class Loader {
 public:
  Loader(const std::string& path, const RuleLoadOptions& options)
      : path_(path), options_(options), diag_(path), reader_(diag_) {}

  core::Result<RuleFile> Load(const std::string& text) {
    RuleFile file;
    file.path = path_;
    config::YamlNodePtr root = ParseFirstYamlDocument(text, diag_);
    if (root) ParseFile(*root, &file);
    if (diag_.has_errors()) return core::Status::Error(diag_.FormatErrors());
    file.warnings = diag_.FormatWarnings();
    return file;
  }

 private:
  void Error(Mark at, const std::string& context, const std::string& message) {
    reader_.Error(at, context, message);
  }
  void Warning(Mark at, const std::string& context, const std::string& message) {
    reader_.Warning(at, context, message);
  }
  void TypeError(const YamlNode& node, const std::string& type, const std::string& what,
                 const std::string& context) {
    reader_.TypeError(node, type, what, context);
  }

  // A map of strings. Keys are validated as label names; values as label values or templates.
  enum class PairKind { kGroupLabel, kRuleLabel, kAnnotation };
  StringPairs ReadPairs(const YamlNode& node, const std::string& key, PairKind kind,
                        const std::string& alert, const std::string& context) {
    StringPairs out;
    if (node.IsNull()) return out;
    if (!node.IsMap()) {
      TypeError(node, "a mapping", Quote(key), context);
      return out;
    }
    const std::string noun = kind == PairKind::kAnnotation ? "annotation" : "label";
    for (const YamlEntry& e : node.entries) {
      if (!promql::IsValidLabelName(e.key)) {
        Error(e.key_mark, context, "invalid " + noun + " name: " + e.key);
      } else if (kind != PairKind::kAnnotation && e.key == promql::kMetricNameLabel) {
        Error(e.key_mark, context, "invalid label name: __name__ (reserved for the metric name)");
      }
      std::optional<std::string> value =
          reader_.String(*e.value, noun + " " + Quote(e.key), context);
      if (!value) continue;
      if (kind != PairKind::kAnnotation && !IsValidUtf8(*value)) {
        Error(e.value->mark, context, "invalid label value: " + *value);
      }
      // Prometheus parse-checks the templates of alerting rules only; recording rule labels are
      // never expanded.
      if (!alert.empty()) {
        core::Status s = CheckTemplate("__alert_" + alert, *value);
        if (!s.ok()) Error(e.value->mark, context, noun + " " + Quote(e.key) + ": " + s.message());
      }
      out.emplace_back(e.key, std::move(*value));
    }
    return out;
  }

  void ParseFile(const YamlNode& root, RuleFile* file) {
    if (root.IsNull()) return;  // an empty file holds no groups, as for Prometheus
    if (!root.IsMap()) {
      Error(root.mark, "",
            "expected a mapping with the key \"groups\" at the top of a rule file, got " +
                root.Describe());
      return;
    }
    reader_.CheckKeys(root, kFileKeys, "");
    const YamlEntry* groups = root.Find("groups");
    if (groups == nullptr || groups->value->IsNull()) return;
    if (!groups->value->IsSequence()) {
      TypeError(*groups->value, "a sequence of rule groups", Quote("groups"), "");
      return;
    }
    std::map<std::string, int> first_line_of_name;
    int index = 0;
    for (const config::YamlNodePtr& item : groups->value->items) {
      ++index;
      GroupSpec group;
      if (ParseGroup(*item, index, &group)) {
        if (!group.name.empty()) {
          auto [it, inserted] = first_line_of_name.emplace(group.name, group.pos.line);
          if (!inserted) {
            Error(Mark{group.pos.line, group.pos.column}, "group " + promql::GoQuote(group.name),
                  "group name is repeated in the same file (first used on line " +
                      std::to_string(it->second) + ")");
          }
        }
        file->groups.push_back(std::move(group));
      }
    }
  }

  // Returns false when the item is not a group at all.
  bool ParseGroup(const YamlNode& node, int index, GroupSpec* group) {
    const std::string unnamed = "group " + std::to_string(index);
    if (!node.IsMap()) {
      TypeError(node, "a mapping", "a rule group", unnamed);
      return false;
    }
    group->file = path_;
    group->pos = SourcePos{path_, node.mark.line, node.mark.column};
    const YamlEntry* name = node.Find("name");
    if (name != nullptr) {
      if (std::optional<std::string> n = reader_.String(*name->value, Quote("name"), unnamed)) {
        group->name = *n;
      }
    }
    const std::string context =
        group->name.empty() ? unnamed : "group " + promql::GoQuote(group->name);
    if (group->name.empty()) {
      Error(name ? name->value->mark : node.mark, context, "group name must not be empty");
    }
    if (options_.strict_prometheus2) {
      reader_.CheckKeys(node, kGroupKeysPrometheus2, context, kPrometheus3Hints);
    } else {
      reader_.CheckKeys(node, kGroupKeys, context);
    }
    if (const YamlEntry* e = node.Find("interval")) {
      std::optional<core::Duration> d = reader_.Duration(*e->value, Quote("interval"), context);
      // 0 means the global evaluation interval, as in Prometheus.
      if (d && d->count() > 0) group->interval = *d;
    }
    if (const YamlEntry* e = node.Find("query_offset"); e && !options_.strict_prometheus2) {
      bool set = false;
      std::optional<core::Duration> d =
          reader_.Duration(*e->value, Quote("query_offset"), context, &set);
      if (d && set) group->query_offset = *d;
    }
    if (const YamlEntry* e = node.Find("limit")) {
      std::optional<int64_t> limit = reader_.Int(*e->value, Quote("limit"), context);
      if (limit && (*limit > INT32_MAX || *limit < INT32_MIN)) {
        Error(e->value->mark, context, "\"limit\" is out of range: " + e->value->scalar);
      } else if (limit) {
        group->limit = static_cast<int>(*limit);
      }
    }
    if (const YamlEntry* e = node.Find("labels"); e && !options_.strict_prometheus2) {
      group->labels = ReadPairs(*e->value, "labels", PairKind::kGroupLabel, "", context);
    }
    if (const YamlEntry* e = node.Find("rules")) {
      if (e->value->IsSequence()) {
        int rule_index = 0;
        for (const config::YamlNodePtr& item : e->value->items) {
          RuleSpec rule;
          if (ParseRule(*item, context, ++rule_index, &rule)) {
            group->rules.push_back(std::move(rule));
          }
        }
      } else if (!e->value->IsNull()) {
        TypeError(*e->value, "a sequence of rules", Quote("rules"), context);
      }
    }
    return true;
  }

  bool ParseRule(const YamlNode& node, const std::string& group_context, int index,
                 RuleSpec* rule) {
    std::string context = group_context + ", rule " + std::to_string(index);
    if (!node.IsMap()) {
      TypeError(node, "a mapping", "a rule", context);
      return false;
    }
    rule->pos = SourcePos{path_, node.mark.line, node.mark.column};
    const YamlEntry* record = node.Find("record");
    const YamlEntry* alert = node.Find("alert");
    if (record)
      rule->record = reader_.String(*record->value, Quote("record"), context).value_or("");
    if (alert) rule->alert = reader_.String(*alert->value, Quote("alert"), context).value_or("");
    if (!rule->alert.empty()) {
      context += " (alert " + promql::GoQuote(rule->alert) + ")";
    } else if (!rule->record.empty()) {
      context += " (record " + promql::GoQuote(rule->record) + ")";
    }
    reader_.CheckKeys(node, kRuleKeys, context);

    if (!rule->record.empty() && !rule->alert.empty()) {
      Error(record->value->mark, context, "only one of 'record' and 'alert' must be set");
    } else if (rule->record.empty() && rule->alert.empty()) {
      Error(node.mark, context, "one of 'record' or 'alert' must be set");
    }
    if (!rule->record.empty()) {
      if (!IsValidMetricName(rule->record)) {
        std::string message = "invalid recording rule name: " + rule->record;
        if (rule->record.find_first_of("{}") != std::string::npos) {
          message += " (braces: should this be in expr?)";
        }
        Error(record->value->mark, context, message);
      }
    }
    if (!rule->alert.empty() && !IsValidUtf8(rule->alert)) {
      Error(alert->value->mark, context, "invalid alert name: " + rule->alert);
    }

    ParseExpr(node, context, rule);

    const bool recording = !rule->record.empty() && rule->alert.empty();
    for (const char* key : {"for", "keep_firing_for"}) {
      const YamlEntry* e = node.Find(key);
      if (e == nullptr) continue;
      std::optional<core::Duration> d = reader_.Duration(*e->value, Quote(key), context);
      if (!d) continue;
      if (std::string_view(key) == "for") {
        rule->for_duration = *d;
      } else {
        rule->keep_firing_for = *d;
      }
      if (!recording) continue;
      if (d->count() != 0) {
        Error(e->key_mark, context, "invalid field '" + std::string(key) + "' in recording rule");
      } else {
        Warning(
            e->key_mark, context,
            Quote(key) + " has no effect on a recording rule (only alerts wait or keep firing)");
      }
    }
    const std::string template_name = recording ? "" : rule->alert;
    if (const YamlEntry* e = node.Find("labels")) {
      rule->labels = ReadPairs(*e->value, "labels", PairKind::kRuleLabel, template_name, context);
    }
    if (const YamlEntry* e = node.Find("annotations")) {
      rule->annotations =
          ReadPairs(*e->value, "annotations", PairKind::kAnnotation, template_name, context);
      if (recording && !rule->annotations.empty()) {
        Error(e->key_mark, context, "invalid field 'annotations' in recording rule");
      }
    }
    return true;
  }

  void ParseExpr(const YamlNode& node, const std::string& context, RuleSpec* rule) {
    const YamlEntry* e = node.Find("expr");
    if (e != nullptr) {
      std::optional<std::string> text = reader_.String(*e->value, Quote("expr"), context);
      if (!text) return;
      rule->expr = *text;
    }
    const Mark at = e ? e->value->mark : node.mark;
    if (rule->expr.empty()) {
      Error(at, context, "field 'expr' must be set in rule");
      return;
    }
    core::Result<promql::ExprPtr> parsed = promql::ParseExpr(rule->expr);
    if (!parsed.ok()) {
      Error(at, context, "could not parse expression: " + parsed.status().message());
      return;
    }
    const promql::ValueType type = (*parsed)->Type();
    if (type != promql::ValueType::kVector && type != promql::ValueType::kScalar) {
      // Prometheus accepts this at load time and then fails every evaluation.
      const std::string message =
          "expression has type " + std::string(promql::DocumentedType(type)) +
          "; a rule needs an instant vector or scalar (Prometheus fails every evaluation of it "
          "with \"rule result is not a vector or scalar\")";
      if (options_.strict_prometheus2) {
        Warning(at, context, message);
      } else {
        Error(at, context, message);
      }
    }
    rule->parsed = std::shared_ptr<const promql::Expr>(std::move(parsed).value());
  }

  const std::string path_;
  const RuleLoadOptions options_;
  Diagnostics diag_;
  YamlFieldReader reader_;
};

}  // namespace

size_t RuleFile::rule_count() const {
  size_t n = 0;
  for (const GroupSpec& g : groups) n += g.rules.size();
  return n;
}

core::Result<RuleFile> LoadRuleText(const std::string& text, const std::string& path,
                                    const RuleLoadOptions& options) {
  return Loader(path, options).Load(text);
}

core::Result<RuleFile> LoadRuleFile(const std::string& path, const RuleLoadOptions& options) {
  core::Result<std::string> text = core::ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return LoadRuleText(*text, path, options);
}

}  // namespace smoke::ruler
