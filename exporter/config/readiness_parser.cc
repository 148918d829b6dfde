#include "exporter/config/readiness_parser.h"

#include "exporter/config/byte_size.h"
#include "exporter/config/regex_check.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && (i == 0 || c < '0' || c > '9')) return false;
  }
  return true;
}

// Splits at commas outside double quotes (a quoted regex may hold one: "a{1,2}").
core::Result<std::vector<std::string_view>> SplitMatchers(std::string_view text) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == ',') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (quoted) {
    return core::Status::Error("unterminated quoted value in \"" + std::string(text) + "\"");
  }
  parts.push_back(text.substr(start));
  return parts;
}

// `quoted` starts and ends with '"'. \" \\ \n \t are unescaped; any other backslash stays, so
// regexes keep their \d and \. as written.
core::Result<std::string> Unquote(std::string_view quoted, std::string_view whole) {
  std::string out;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    char c = quoted[i];
    if (c == '"') {
      return core::Status::Error("unexpected quote inside the value of \"" + std::string(whole) +
                                 "\" (escape it as \\\")");
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i + 2 >= quoted.size()) {
      return core::Status::Error("unterminated quoted value in \"" + std::string(whole) + "\"");
    }
    c = quoted[++i];
    if (c == 'n') {
      out += '\n';
    } else if (c == 't') {
      out += '\t';
    } else if (c == '\\' || c == '"') {
      out += c;
    } else {
      out += '\\';
      out += c;
    }
  }
  return out;
}

MatcherSetSpec MatcherSetAt(const YamlNode& node, Diagnostics& diag) {
  const std::string what = "an item of \"block_on\"";
  MatcherSetSpec set;
  if (node.IsSequence()) {
    if (node.items.empty()) {
      diag.Error(node.mark, what + " must not be an empty list");
      return set;
    }
    for (const YamlNodePtr& item : node.items) {
      std::optional<std::string> text = ReadString(*item, "a matcher in \"block_on\"", diag);
      if (!text) continue;
      core::Result<MatcherSetSpec> parsed = ParseMatcherSetText(*text);
      if (!parsed.ok()) {
        diag.Error(item->mark, "invalid matcher in \"block_on\": " + parsed.status().message());
        continue;
      }
      set.insert(set.end(), parsed->begin(), parsed->end());
    }
    return set;
  }
  std::optional<std::string> text = ReadString(node, what, diag);
  if (!text) return set;
  core::Result<MatcherSetSpec> parsed = ParseMatcherSetText(*text);
  if (!parsed.ok()) {
    diag.Error(node.mark, "invalid matcher in \"block_on\": " + parsed.status().message());
    return set;
  }
  return std::move(parsed).value();
}

}  // namespace

std::string_view MatcherOpString(LabelMatcherSpec::Op op) {
  switch (op) {
    case LabelMatcherSpec::Op::kEqual:
      return "=";
    case LabelMatcherSpec::Op::kNotEqual:
      return "!=";
    case LabelMatcherSpec::Op::kRegexMatch:
      return "=~";
    case LabelMatcherSpec::Op::kRegexNoMatch:
      return "!~";
  }
  return "=";
}

core::Result<LabelMatcherSpec> ParseMatcherText(std::string_view text) {
  const std::string_view whole = Trim(text);
  if (whole.empty()) return core::Status::Error("empty matcher");
  const size_t op_pos = whole.find_first_of("=!");
  if (op_pos == std::string_view::npos) {
    return core::Status::Error("missing operator in \"" + std::string(whole) +
                               "\" (expected name=value, name!=value, name=~regex or "
                               "name!~regex)");
  }
  LabelMatcherSpec m;
  m.name = std::string(Trim(whole.substr(0, op_pos)));
  if (!IsLabelName(m.name)) {
    return core::Status::Error("invalid label name \"" + m.name + "\" in \"" + std::string(whole) +
                               "\"");
  }
  std::string_view rest = whole.substr(op_pos);
  if (rest.rfind("=~", 0) == 0) {
    m.op = LabelMatcherSpec::Op::kRegexMatch;
    rest.remove_prefix(2);
  } else if (rest.rfind("!~", 0) == 0) {
    m.op = LabelMatcherSpec::Op::kRegexNoMatch;
    rest.remove_prefix(2);
  } else if (rest.rfind("!=", 0) == 0) {
    m.op = LabelMatcherSpec::Op::kNotEqual;
    rest.remove_prefix(2);
  } else if (rest.rfind("=", 0) == 0) {
    m.op = LabelMatcherSpec::Op::kEqual;
    rest.remove_prefix(1);
  } else {
    return core::Status::Error("invalid operator in \"" + std::string(whole) +
                               "\" (expected =, !=, =~ or !~)");
  }
  rest = Trim(rest);
  if (!rest.empty() && rest.front() == '"') {
    if (rest.size() < 2 || rest.back() != '"') {
      return core::Status::Error("unterminated quoted value in \"" + std::string(whole) + "\"");
    }
    core::Result<std::string> unquoted = Unquote(rest, whole);
    if (!unquoted.ok()) return unquoted.status();
    m.value = std::move(unquoted).value();
  } else {
    m.value = std::string(rest);
  }
  if (m.op == LabelMatcherSpec::Op::kRegexMatch || m.op == LabelMatcherSpec::Op::kRegexNoMatch) {
    if (std::optional<std::string> error = RegexError("^(?:" + m.value + ")$")) {
      return core::Status::Error("invalid regular expression in \"" + std::string(whole) +
                                 "\": " + *error);
    }
  }
  return m;
}

core::Result<MatcherSetSpec> ParseMatcherSetText(std::string_view text) {
  std::string_view body = Trim(text);
  if (!body.empty() && body.front() == '{') {
    if (body.back() != '}') {
      return core::Status::Error("missing closing } in \"" + std::string(body) + "\"");
    }
    body = Trim(body.substr(1, body.size() - 2));
  }
  if (body.empty()) return core::Status::Error("empty matcher set");
  core::Result<std::vector<std::string_view>> parts = SplitMatchers(body);
  if (!parts.ok()) return parts.status();
  MatcherSetSpec set;
  for (size_t i = 0; i < parts->size(); ++i) {
    // A trailing comma, as in `{a="b",}`, is allowed the way PromQL allows it.
    if (i + 1 == parts->size() && i > 0 && Trim((*parts)[i]).empty()) continue;
    core::Result<LabelMatcherSpec> m = ParseMatcherText((*parts)[i]);
    if (!m.ok()) return m.status();
    set.push_back(std::move(m).value());
  }
  return set;
}

ReadinessSpec ParseReadiness(const YamlNode* node, ParseContext& ctx, const RulesSpec& rules,
                             const AlertingSpec& alerting) {
  ReadinessSpec spec;
  spec.stale_after = 3 * rules.evaluation_interval;
  if (node == nullptr || !CheckMap(*node, Quote("readiness"), ctx.diag) || node->IsNull()) {
    return spec;
  }
  Diagnostics& diag = ctx.diag;
  MapReader map(
      *node, "readiness",
      {"allow_skipped", "block_on", "decision_log", "min_evaluations", "stale_after", "waivers"},
      diag);
  if (const YamlNode* list = map.Sequence("block_on")) {
    if (list->items.empty()) {
      diag.Error(map.ValueMark("block_on"),
                 "\"block_on\" must not be empty (leave it out for the default: gate=\"release\" "
                 "or severity=\"critical\")");
    } else {
      spec.block_on.clear();
      for (const YamlNodePtr& item : list->items) {
        MatcherSetSpec set = MatcherSetAt(*item, diag);
        if (!set.empty()) spec.block_on.push_back(std::move(set));
      }
    }
  }
  if (std::optional<int64_t> n = map.Int("min_evaluations")) {
    // 0 would call a freshly started exporter ready before it has looked at anything.
    if (*n < 1 || *n > 10000) {
      diag.Error(map.ValueMark("min_evaluations"),
                 "\"min_evaluations\" must be between 1 and 10000, got " + std::to_string(*n));
    } else {
      spec.min_evaluations = *n;
    }
  }
  if (std::optional<core::Duration> d = map.Duration("stale_after")) {
    if (*d < rules.evaluation_interval) {
      diag.Error(map.ValueMark("stale_after"), "\"stale_after\" " + core::FormatDuration(*d) +
                                                   " must be at least rules.evaluation_interval " +
                                                   core::FormatDuration(rules.evaluation_interval) +
                                                   ", or the data would always be stale");
    } else {
      spec.stale_after = *d;
    }
  }
  spec.allow_skipped = map.Bool("allow_skipped").value_or(false);
  if (const YamlNode* w = map.Map("waivers")) {
    MapReader waivers(*w, "waivers", {"cache", "enabled", "timeout"}, diag);
    spec.waivers.enabled = waivers.Bool("enabled").value_or(false);
    if (auto d = waivers.Duration("cache")) spec.waivers.cache = *d;
    if (auto d = waivers.Duration("timeout")) spec.waivers.timeout = *d;
    if (spec.waivers.enabled && alerting.alertmanagers.empty()) {
      diag.Error(waivers.ValueMark("enabled"),
                 "waivers are Alertmanager silences: \"enabled\" needs alerting.alertmanagers");
    }
  }
  if (const YamlNode* l = map.Map("decision_log")) {
    MapReader log(*l, "decision_log", {"keep", "max_bytes", "path"}, diag);
    if (std::optional<std::string> p = log.String("path"); p && !p->empty()) {
      spec.decision_log.path = ctx.secrets.ResolvePath(*p);
    }
    if (const YamlNode* size = log.Get("max_bytes")) {
      if (auto bytes = ReadByteSize(*size, Quote("max_bytes"), diag)) {
        spec.decision_log.max_bytes = *bytes;
      }
    }
    if (std::optional<int64_t> keep = log.Int("keep")) {
      if (*keep < 0 || *keep > 1000) {
        diag.Error(log.ValueMark("keep"),
                   "\"keep\" must be between 0 and 1000, got " + std::to_string(*keep));
      } else {
        spec.decision_log.keep = static_cast<int>(*keep);
      }
    }
  }
  return spec;
}

}  // namespace smoke::config
