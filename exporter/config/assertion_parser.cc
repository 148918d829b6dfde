#include "exporter/config/assertion_parser.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "exporter/config/did_you_mean.h"
#include "exporter/config/json_expression.h"
#include "exporter/config/regex_check.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

using Kind = Assertion::Kind;

struct KindKey {
  std::string_view key;
  Kind kind;
  bool tcp;  // allowed for tcp probes
};

constexpr KindKey kKindKeys[] = {
    {"all_of", Kind::kAllOf, false},
    {"any_of", Kind::kAnyOf, false},
    {"body_not_regex", Kind::kBodyRegex, false},
    {"body_regex", Kind::kBodyRegex, false},
    {"cert_expiry", Kind::kCertExpiry, true},
    {"header", Kind::kHeader, false},
    {"json", Kind::kJson, false},
    {"latency", Kind::kLatency, true},
    {"status", Kind::kStatus, false},
};

std::vector<std::string> KindKeyNames(bool tcp_only) {
  std::vector<std::string> out;
  for (const KindKey& k : kKindKeys) {
    if (!tcp_only || k.tcp) out.emplace_back(k.key);
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A JSON-path key as a name fragment: letters, digits and '_' only.
std::string NameFragment(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return out;
}

void ParseStatus(const YamlNode& node, Assertion& a, Diagnostics& diag) {
  auto one = [&](const YamlNode& item) {
    std::optional<std::string> text = ReadString(item, Quote("status"), diag);
    if (!text) return;
    core::Result<std::pair<int, int>> range = ParseStatusRange(*text);
    if (!range.ok()) {
      diag.Error(item.mark, range.status().message());
      return;
    }
    a.status_ranges.push_back(*range);
  };
  if (node.IsSequence()) {
    if (node.items.empty()) diag.Error(node.mark, "\"status\" must not be empty");
    for (const YamlNodePtr& item : node.items) one(*item);
  } else {
    one(node);
  }
}

void ParseHeader(const YamlNode& node, Assertion& a, Diagnostics& diag) {
  if (!node.IsMap()) {
    if (!node.poisoned) {
      diag.Error(node.mark,
                 "expected a mapping for \"header\" (e.g. {name: X-Frame-Options}), "
                 "got " +
                     node.Describe());
    }
    return;
  }
  MapReader map(node, "header assertion", {"absent", "name", "regex"}, diag);
  if (!map.Has("name")) {
    diag.Error(node.mark, "missing required key \"name\" in header assertion");
  } else if (std::optional<std::string> name = map.String("name")) {
    if (name->empty()) diag.Error(map.ValueMark("name"), "header name must not be empty");
    a.header_name = *name;
  }
  a.header_absent = map.Bool("absent").value_or(false);
  if (const YamlNode* regex = map.Get("regex")) {
    if (a.header_absent) {
      diag.Error(map.KeyMark("regex"), "\"regex\" cannot be combined with \"absent: true\"");
    } else if (std::optional<std::string> pattern = ReadRegex(*regex, Quote("regex"), diag)) {
      a.pattern = *pattern;
    }
  }
}

void ParseJson(const YamlNode& node, Assertion& a, Diagnostics& diag) {
  std::optional<std::string> text = ReadString(node, Quote("json"), diag);
  if (!text) return;
  core::Result<JsonExpression> expr = ParseJsonExpression(*text);
  if (!expr.ok()) {
    diag.Error(node.mark, expr.status().message());
    return;
  }
  a.json_path = expr->path;
  a.json_path_parsed = expr->parsed;
  a.json_op = expr->op;
  a.json_values = expr->values;
  a.pattern = expr->pattern;
}

std::optional<Assertion> ParseItem(const YamlNode& item, AssertionScope scope, Diagnostics& diag);

void ParseChildren(const YamlNode& node, const std::string& key, AssertionScope scope, Assertion& a,
                   Diagnostics& diag) {
  if (!CheckSequence(node, Quote(key), diag)) return;
  if (node.items.empty()) {
    diag.Error(node.mark, Quote(key) + " needs at least one assertion");
    return;
  }
  for (const YamlNodePtr& child : node.items) {
    if (std::optional<Assertion> c = ParseItem(*child, scope, diag)) {
      a.children.push_back(std::move(*c));
    }
  }
}

std::optional<Assertion> ParseItem(const YamlNode& item, AssertionScope scope, Diagnostics& diag) {
  if (!item.IsMap()) {
    if (!item.poisoned) {
      diag.Error(item.mark, "expected a mapping for an assertion (e.g. {status: 200}), got " +
                                item.Describe());
    }
    return std::nullopt;
  }
  std::vector<std::string> allowed = KindKeyNames(false);
  allowed.insert(allowed.end(), {"name", "severity"});
  MapReader map(item, "assertion", allowed, diag);

  const YamlEntry* kind_entry = nullptr;
  const KindKey* kind = nullptr;
  for (const YamlEntry& e : item.entries) {
    auto k = std::find_if(std::begin(kKindKeys), std::end(kKindKeys),
                          [&](const KindKey& kk) { return kk.key == e.key; });
    if (k == std::end(kKindKeys)) continue;
    if (kind_entry != nullptr) {
      diag.Error(e.key_mark, "assertion has more than one kind (" + Quote(kind_entry->key) +
                                 " and " + Quote(e.key) + "); write one kind per list item");
      return std::nullopt;
    }
    kind_entry = &e;
    kind = &*k;
  }
  if (kind == nullptr) {
    // An unknown key (already reported) was probably the kind, misspelt.
    if (item.entries.size() == static_cast<size_t>(map.Has("name") + map.Has("severity"))) {
      diag.Error(item.mark, "assertion needs exactly one of: " + JoinNames(KindKeyNames(false)));
    }
    return std::nullopt;
  }
  if (scope == AssertionScope::kTcp && !kind->tcp) {
    diag.Error(kind_entry->key_mark, "assertion kind " + Quote(kind->key) +
                                         " is not supported for tcp probes (supported: " +
                                         JoinNames(KindKeyNames(true)) + ")");
    return std::nullopt;
  }

  Assertion a;
  a.kind = kind->kind;
  a.pos = diag.Position(item.mark);
  const YamlNode& value = *kind_entry->value;
  const std::string what = Quote(kind->key);
  switch (kind->kind) {
    case Kind::kStatus:
      ParseStatus(value, a, diag);
      break;
    case Kind::kBodyRegex:
      a.negate = kind->key == "body_not_regex";
      a.pattern = ReadRegex(value, what, diag).value_or("");
      break;
    case Kind::kJson:
      ParseJson(value, a, diag);
      break;
    case Kind::kHeader:
      ParseHeader(value, a, diag);
      break;
    case Kind::kLatency:
      a.max_latency = ReadDuration(value, what, diag).value_or(core::Duration(0));
      break;
    case Kind::kCertExpiry:
      a.min_validity = ReadDuration(value, what, diag).value_or(core::Duration(0));
      break;
    case Kind::kAllOf:
    case Kind::kAnyOf:
      ParseChildren(value, std::string(kind->key), scope, a, diag);
      break;
  }
  if (std::optional<std::string> severity = map.Enum("severity", {"fail", "warn"})) {
    a.severity = *severity == "warn" ? core::Severity::kWarn : core::Severity::kFail;
  }
  if (map.Has("name")) {
    std::optional<std::string> name = map.String("name");
    if (name && name->empty()) diag.Error(map.ValueMark("name"), "\"name\" must not be empty");
    a.name = name.value_or("");
  }
  if (a.name.empty()) a.name = DefaultAssertionName(a);
  return a;
}

}  // namespace

std::vector<Assertion> ParseAssertions(const YamlNode& list, AssertionScope scope,
                                       Diagnostics& diag) {
  std::vector<Assertion> out;
  if (!CheckSequence(list, Quote("assertions"), diag)) return out;
  std::map<std::string, int> first_line;
  for (const YamlNodePtr& item : list.items) {
    const int errors_before = diag.error_calls();
    std::optional<Assertion> a = ParseItem(*item, scope, diag);
    // A broken item's derived name is meaningless; a duplicate-name error would only add noise.
    if (!a || diag.error_calls() != errors_before) continue;
    auto [it, inserted] = first_line.emplace(a->name, a->pos.line);
    if (!inserted) {
      diag.Error(item->mark, "duplicate assertion name " + Quote(a->name) +
                                 " (first defined on line " + std::to_string(it->second) +
                                 "); add name: to tell them apart");
      continue;
    }
    out.push_back(std::move(*a));
  }
  return out;
}

core::Result<std::pair<int, int>> ParseStatusRange(std::string_view text) {
  auto invalid = [&] {
    return core::Status::Error("invalid status \"" + std::string(text) +
                               "\" (expected a code like 200, a class like 2xx or a range like "
                               "200-299)");
  };
  auto code = [](std::string_view s) -> std::optional<int> {
    if (s.size() != 3 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    return std::stoi(std::string(s));
  };
  std::pair<int, int> range;
  if (text.size() == 3 && (text.substr(1) == "xx" || text.substr(1) == "XX")) {
    std::optional<int> c = code(std::string(1, text[0]) + "00");
    if (!c) return invalid();
    range = {*c, *c + 99};
  } else if (size_t dash = text.find('-'); dash != std::string_view::npos) {
    std::optional<int> lo = code(text.substr(0, dash));
    std::optional<int> hi = code(text.substr(dash + 1));
    if (!lo || !hi) return invalid();
    if (*lo > *hi) {
      return core::Status::Error("invalid status range \"" + std::string(text) +
                                 "\" (the lower bound comes first)");
    }
    range = {*lo, *hi};
  } else {
    std::optional<int> c = code(text);
    if (!c) return invalid();
    range = {*c, *c};
  }
  if (range.first < 100 || range.second > 599) {
    return core::Status::Error("invalid status \"" + std::string(text) +
                               "\" (status codes are 100-599)");
  }
  return range;
}

std::string FormatStatusRange(const std::pair<int, int>& range) {
  if (range.first == range.second) return std::to_string(range.first);
  if (range.first % 100 == 0 && range.second == range.first + 99) {
    return std::to_string(range.first / 100) + "xx";
  }
  return std::to_string(range.first) + "-" + std::to_string(range.second);
}

std::string DefaultAssertionName(const Assertion& a) {
  switch (a.kind) {
    case Kind::kStatus:
      return "status";
    case Kind::kBodyRegex:
      return a.negate ? "body_not_regex" : "body_regex";
    case Kind::kJson: {
      std::string name = "json";
      for (const core::JsonPathSegment& s : a.json_path_parsed) {
        if (s.kind == core::JsonPathSegment::Kind::kKey) {
          name += "_" + NameFragment(s.key);
        } else if (s.index >= 0) {
          name += "_" + std::to_string(s.index);
        } else {
          name += s.index == -1 ? "_last" : "_last" + std::to_string(-s.index);
        }
      }
      return a.json_path_parsed.empty() ? "json_root" : name;
    }
    case Kind::kHeader: {
      std::string name = "header_" + Lower(a.header_name);
      std::replace(name.begin(), name.end(), '-', '_');
      return a.header_absent ? name + "_absent" : name;
    }
    case Kind::kLatency:
      return "latency";
    case Kind::kCertExpiry:
      return "cert_expiry";
    case Kind::kAllOf:
      return "all_of";
    case Kind::kAnyOf:
      return "any_of";
  }
  return "assertion";
}

}  // namespace smoke::config
