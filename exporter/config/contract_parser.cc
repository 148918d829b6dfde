#include "exporter/config/contract_parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "exporter/config/assertion_parser.h"
#include "exporter/config/did_you_mean.h"
#include "exporter/config/regex_check.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

using Kind = ContractKind;

struct KindInfo {
  std::string_view name;
  Kind kind;
  // Option keys besides "severity", which every kind takes.
  std::vector<std::string> options;
};

const std::vector<KindInfo>& Kinds() {
  static const std::vector<KindInfo> kKinds = {
      {"auth_required", Kind::kAuthRequired, {"expect_status"}},
      {"cors", Kind::kCors, {"credentials", "method", "origin", "preflight", "request_headers"}},
      {"health",
       Kind::kHealth,
       {"degraded_values", "dependencies_field", "expect_status", "healthy_values",
        "required_dependencies", "status_field"}},
      {"invalid_input", Kind::kInvalidInput, {"error_field", "expect_status"}},
      {"not_found", Kind::kNotFound, {"error_field", "expect_status"}},
      {"openapi", Kind::kOpenApi, {"expect_status", "min_paths", "required_paths"}},
      {"security_headers", Kind::kSecurityHeaders, {"exclude", "headers"}},
      {"sql_injection",
       Kind::kSqlInjection,
       {"expect_status", "extra_signatures", "param", "payload"}},
      {"webhook_signature",
       Kind::kWebhookSignature,
       {"body", "content_type", "expect_status", "method"}},
  };
  return kKinds;
}

const KindInfo* FindKind(std::string_view name) {
  for (const KindInfo& k : Kinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

const std::vector<std::string> kMethods = {"DELETE", "GET", "PATCH", "POST", "PUT"};

// The default injection payload: the classic tautology that breaks naive string concatenation
// in every SQL dialect (an unbalanced quote is what makes a vulnerable endpoint print its
// database's syntax error).
constexpr std::string_view kDefaultPayload = "' OR '1'='1";

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsHeaderName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), IsTokenChar);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A list of non-empty strings; `check` may report a bad item (returns false to drop it).
template <typename Check>
std::vector<std::string> ReadStringList(const MapReader& map, std::string_view key, Check check) {
  std::vector<std::string> out;
  const YamlNode* list = map.Sequence(key);
  if (list == nullptr) return out;
  std::set<std::string> seen;
  for (const YamlNodePtr& item : list->items) {
    std::optional<std::string> text = ReadString(*item, "an item of " + Quote(key), map.diag());
    if (!text) continue;
    if (text->empty()) {
      map.diag().Error(item->mark, "an item of " + Quote(key) + " must not be empty");
      continue;
    }
    if (!check(*item, *text)) continue;
    if (!seen.insert(*text).second) {
      map.diag().Error(item->mark, "duplicate item " + Quote(*text) + " in " + Quote(key));
      continue;
    }
    out.push_back(*text);
  }
  return out;
}

std::vector<std::string> ReadStringList(const MapReader& map, std::string_view key) {
  return ReadStringList(map, key, [](const YamlNode&, const std::string&) { return true; });
}

void ReadExpectStatus(const MapReader& map, ContractSpec& spec) {
  const YamlNode* node = map.Get("expect_status");
  if (node == nullptr) return;
  auto one = [&](const YamlNode& item) {
    std::optional<std::string> text = ReadString(item, Quote("expect_status"), map.diag());
    if (!text) return;
    core::Result<std::pair<int, int>> range = ParseStatusRange(*text);
    if (!range.ok()) {
      map.diag().Error(item.mark, range.status().message());
      return;
    }
    spec.expect_status.push_back(*range);
  };
  if (node->IsSequence()) {
    if (node->items.empty()) map.diag().Error(node->mark, "\"expect_status\" must not be empty");
    for (const YamlNodePtr& item : node->items) one(*item);
  } else {
    one(*node);
  }
}

// A JSON path option; a bare key ("detail") means "$.detail".
void ReadJsonPath(const MapReader& map, std::string_view key, std::string& text,
                  core::JsonPath& parsed) {
  std::optional<std::string> value = map.String(key);
  if (!value) return;
  text = *value;
  parsed.clear();
  if (text.empty()) return;  // "" switches the check off
  if (text[0] != '$') text = "$." + text;
  core::Result<core::JsonPath> path = core::ParseJsonPath(text);
  if (!path.ok()) {
    map.diag().Error(map.ValueMark(key), Quote(key) + ": " + path.status().message());
    return;
  }
  parsed = *path;
}

void SetDefaults(ContractSpec& spec) {
  if (spec.kind == Kind::kNotFound) spec.error_field = "$.detail";
  for (auto [text, parsed] :
       {std::pair{&spec.error_field, &spec.error_field_parsed},
        std::pair{&spec.status_field, &spec.status_field_parsed},
        std::pair{&spec.dependencies_field, &spec.dependencies_field_parsed}}) {
    if (text->empty()) continue;
    core::Result<core::JsonPath> path = core::ParseJsonPath(*text);
    if (path.ok()) *parsed = *path;
  }
  if (spec.kind == Kind::kHealth) {
    spec.healthy_values = {"healthy", "ok", "up", "pass", "passing"};
    spec.degraded_values = {"degraded", "warn", "warning"};
  }
  if (spec.kind == Kind::kSqlInjection) spec.payload = std::string(kDefaultPayload);
  if (spec.kind == Kind::kSecurityHeaders) spec.headers = DefaultSecurityHeaders();
  if (spec.kind == Kind::kWebhookSignature) {
    spec.method = "POST";
    spec.body = "{}";
    spec.content_type = "application/json";
  }
}

void ParseHealth(const MapReader& map, ContractSpec& spec) {
  ReadJsonPath(map, "status_field", spec.status_field, spec.status_field_parsed);
  ReadJsonPath(map, "dependencies_field", spec.dependencies_field, spec.dependencies_field_parsed);
  if (map.Has("dependencies_field") && spec.dependencies_field.empty()) {
    map.diag().Error(map.ValueMark("dependencies_field"),
                     "\"dependencies_field\" must not be empty (it is what the health contract "
                     "checks)");
  }
  if (map.Has("healthy_values")) {
    spec.healthy_values = ReadStringList(map, "healthy_values");
    if (spec.healthy_values.empty()) {
      map.diag().Error(map.ValueMark("healthy_values"), "\"healthy_values\" must not be empty");
    }
  }
  if (map.Has("degraded_values")) spec.degraded_values = ReadStringList(map, "degraded_values");
  for (const std::string& v : spec.degraded_values) {
    for (const std::string& h : spec.healthy_values) {
      if (Lower(v) == Lower(h)) {
        map.diag().Error(map.ValueMark("degraded_values"), "value " + Quote(v) +
                                                               " is in both \"healthy_values\" and "
                                                               "\"degraded_values\"");
      }
    }
  }
  spec.required_dependencies = ReadStringList(map, "required_dependencies");
}

void ParseOpenApi(const MapReader& map, ContractSpec& spec) {
  spec.required_paths =
      ReadStringList(map, "required_paths", [&](const YamlNode& item, const std::string& path) {
        if (path[0] == '/') return true;
        map.diag().Error(item.mark, "required path " + Quote(path) +
                                        " must start with \"/\" (as in the document's paths)");
        return false;
      });
  if (std::optional<int64_t> min = map.Int("min_paths")) {
    if (*min < 0) {
      map.diag().Error(map.ValueMark("min_paths"),
                       "\"min_paths\" must be 0 or more, got " + std::to_string(*min));
    } else {
      spec.min_paths = *min;
    }
  }
}

void ParseSqlInjection(const MapReader& map, ContractSpec& spec) {
  if (std::optional<std::string> payload = map.String("payload")) {
    if (payload->empty()) {
      map.diag().Error(map.ValueMark("payload"), "\"payload\" must not be empty");
    } else {
      spec.payload = *payload;
    }
  }
  if (std::optional<std::string> param = map.String("param")) {
    const bool valid = !param->empty() && std::all_of(param->begin(), param->end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) ||
             std::string_view("-._~[]").find(c) != std::string_view::npos;
    });
    if (!valid) {
      map.diag().Error(map.ValueMark("param"),
                       "invalid query parameter name " + Quote(*param) +
                           " for \"param\" (letters, digits and -._~[] only)");
    } else {
      spec.param = *param;
    }
  }
  if (const YamlNode* list = map.Sequence("extra_signatures")) {
    for (const YamlNodePtr& item : list->items) {
      std::optional<std::string> re =
          ReadRegex(*item, "an item of \"extra_signatures\"", map.diag());
      if (re && re->empty()) {
        map.diag().Error(item->mark, "an item of \"extra_signatures\" must not be empty");
      } else if (re) {
        spec.extra_signatures.push_back(*re);
      }
    }
  }
}

void ParseSecurityHeaders(const MapReader& map, ContractSpec& spec) {
  if (const YamlNode* list = map.Sequence("headers")) {
    spec.headers.clear();
    std::map<std::string, int> seen;  // lower-cased name -> line
    if (list->items.empty()) map.diag().Error(list->mark, "\"headers\" must not be empty");
    for (const YamlNodePtr& item : list->items) {
      SecurityHeaderSpec header;
      header.severity = spec.severity;
      Mark name_mark = item->mark;
      if (item->IsMap()) {
        MapReader h(*item, "security header", {"name", "regex", "severity"}, map.diag());
        if (!h.Has("name")) {
          map.diag().Error(item->mark, "missing required key \"name\" in security header");
          continue;
        }
        header.name = h.String("name").value_or("");
        name_mark = h.ValueMark("name");
        if (const YamlNode* regex = h.Get("regex")) {
          header.pattern = ReadRegex(*regex, Quote("regex"), map.diag()).value_or("");
        }
        if (std::optional<std::string> sev = h.Enum("severity", {"fail", "warn"})) {
          header.severity = *sev == "warn" ? core::Severity::kWarn : core::Severity::kFail;
        }
      } else if (std::optional<std::string> name =
                     ReadString(*item, "an item of \"headers\"", map.diag())) {
        header.name = *name;
        // A bare name keeps the built-in value check for a header we know.
        for (const SecurityHeaderSpec& d : DefaultSecurityHeaders()) {
          if (Lower(d.name) == Lower(*name)) header.pattern = d.pattern;
        }
      } else {
        continue;
      }
      if (!IsHeaderName(header.name)) {
        map.diag().Error(name_mark, "invalid header name " + Quote(header.name));
        continue;
      }
      auto [it, inserted] = seen.emplace(Lower(header.name), item->mark.line);
      if (!inserted) {
        map.diag().Error(name_mark, "duplicate security header " + Quote(header.name) +
                                        " (first listed on line " + std::to_string(it->second) +
                                        ")");
        continue;
      }
      spec.headers.push_back(std::move(header));
    }
  } else {
    for (SecurityHeaderSpec& h : spec.headers) h.severity = spec.severity;
  }
  if (const YamlNode* list = map.Sequence("exclude")) {
    for (const YamlNodePtr& item : list->items) {
      std::optional<std::string> name = ReadString(*item, "an item of \"exclude\"", map.diag());
      if (!name) continue;
      auto it =
          std::find_if(spec.headers.begin(), spec.headers.end(),
                       [&](const SecurityHeaderSpec& h) { return Lower(h.name) == Lower(*name); });
      if (it == spec.headers.end()) {
        std::vector<std::string> names;
        for (const SecurityHeaderSpec& h : spec.headers) names.push_back(h.name);
        map.diag().Error(item->mark, "cannot exclude " + Quote(*name) +
                                         ": it is not a checked header (checked: " +
                                         JoinNames(names) + ")" + DidYouMean(*name, names));
        continue;
      }
      spec.headers.erase(it);
    }
    if (spec.headers.empty()) {
      map.diag().Error(map.ValueMark("exclude"),
                       "\"exclude\" leaves no header to check; remove the contract instead");
    }
  }
}

// What a browser sends as Origin: scheme://host[:port], nothing else.
bool IsOrigin(const std::string& origin) {
  static const re2::RE2 kOrigin(
      R"(^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$)");
  return re2::RE2::FullMatch(origin, kOrigin);
}

void ParseCors(const MapReader& map, Mark contract_mark, ContractSpec& spec) {
  if (!map.Has("origin")) {
    map.diag().Error(contract_mark,
                     "contract \"cors\" needs \"origin\" (the Origin a browser would send, e.g. "
                     "https://app.example.com)");
  } else if (std::optional<std::string> origin = map.String("origin")) {
    if (!IsOrigin(*origin)) {
      map.diag().Error(map.ValueMark("origin"),
                       "invalid origin " + Quote(*origin) +
                           " (expected scheme://host[:port] with no path, e.g. "
                           "https://app.example.com)");
    } else {
      spec.origin = *origin;
    }
  }
  if (const YamlNode* node = map.Get("method")) {
    if (std::optional<std::string> method = ReadString(*node, Quote("method"), map.diag())) {
      std::string upper = *method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper.empty() || !std::all_of(upper.begin(), upper.end(), IsTokenChar)) {
        map.diag().Error(node->mark, "invalid method " + node->Describe() + " for \"method\"");
      } else {
        spec.request_method = upper;
      }
    }
  }
  spec.request_headers =
      ReadStringList(map, "request_headers", [&](const YamlNode& item, const std::string& name) {
        if (IsHeaderName(name)) return true;
        map.diag().Error(item.mark, "invalid header name " + Quote(name));
        return false;
      });
  spec.credentials = map.Bool("credentials").value_or(false);
  spec.preflight = map.Bool("preflight").value_or(true);
  if (!spec.preflight) {
    for (const char* key : {"method", "request_headers"}) {
      if (map.Has(key)) {
        map.diag().Error(map.KeyMark(key), Quote(key) +
                                               " is only sent in a preflight; it cannot be "
                                               "combined with \"preflight: false\"");
      }
    }
  }
}

void ParseWebhook(const MapReader& map, ContractSpec& spec) {
  if (const YamlNode* node = map.Get("method")) {
    if (std::optional<std::string> method = ReadString(*node, Quote("method"), map.diag())) {
      std::string upper = *method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (std::find(kMethods.begin(), kMethods.end(), upper) == kMethods.end()) {
        map.diag().Error(node->mark,
                         "invalid value " + node->Describe() +
                             " for \"method\" (expected one of: " + JoinNames(kMethods) + ")");
      } else {
        spec.method = upper;
      }
    }
  }
  if (std::optional<std::string> body = map.String("body")) spec.body = *body;
  if (std::optional<std::string> type = map.String("content_type")) {
    if (type->find_first_of("\r\n") != std::string::npos) {
      map.diag().Error(map.ValueMark("content_type"), "\"content_type\" must be one line");
    } else {
      spec.content_type = *type;
    }
  }
}

}  // namespace

const std::vector<std::string>& ContractKindNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const KindInfo& k : Kinds()) names.emplace_back(k.name);
    return names;
  }();
  return kNames;
}

std::string_view ContractKindName(ContractKind kind) {
  for (const KindInfo& k : Kinds()) {
    if (k.kind == kind) return k.name;
  }
  return "contract";
}

ContractSpec DefaultContractSpec(ContractKind kind) {
  ContractSpec spec;
  spec.kind = kind;
  spec.name = std::string(ContractKindName(kind));
  SetDefaults(spec);
  return spec;
}

std::optional<ContractSpec> ParseContract(const YamlNode& node, Diagnostics& diag) {
  if (node.poisoned || node.IsNull()) return std::nullopt;
  const YamlNode* options = nullptr;
  std::string name;
  Mark name_mark = node.mark;
  if (node.IsScalar()) {
    name = node.scalar;
  } else if (node.IsMap()) {
    if (node.entries.size() != 1) {
      diag.Error(node.mark,
                 "a contract is one kind with its options (e.g. {security_headers: {severity: "
                 "warn}}), got " +
                     std::to_string(node.entries.size()) + " keys; one probe checks one contract");
      return std::nullopt;
    }
    name = node.entries[0].key;
    name_mark = node.entries[0].key_mark;
    options = node.entries[0].value.get();
  } else {
    diag.Error(node.mark,
               "expected a contract name (e.g. security_headers) or a mapping of one contract to "
               "its options for \"contract\", got " +
                   node.Describe());
    return std::nullopt;
  }
  const KindInfo* info = FindKind(name);
  if (info == nullptr) {
    diag.Error(name_mark, "unknown contract " + Quote(name) +
                              " (expected one of: " + JoinNames(ContractKindNames()) + ")" +
                              DidYouMean(name, ContractKindNames()));
    return std::nullopt;
  }
  ContractSpec spec = DefaultContractSpec(info->kind);

  static const YamlNode kEmpty = [] {
    YamlNode map;
    map.type = YamlNode::Type::kMap;
    return map;
  }();
  if (options != nullptr && !CheckMap(*options, "contract " + Quote(name), diag)) {
    return std::nullopt;
  }
  const YamlNode& opts = options != nullptr && options->IsMap() ? *options : kEmpty;
  std::vector<std::string> allowed = info->options;
  allowed.push_back("severity");
  MapReader map(opts, "contract " + Quote(name), allowed, diag);
  if (!opts.IsMap() || opts.entries.empty()) {
    if (spec.kind == Kind::kCors) ParseCors(map, name_mark, spec);  // reports the missing origin
    return spec;
  }
  if (std::optional<std::string> sev = map.Enum("severity", {"fail", "warn"})) {
    spec.severity = *sev == "warn" ? core::Severity::kWarn : core::Severity::kFail;
  }
  ReadExpectStatus(map, spec);
  switch (spec.kind) {
    case Kind::kHealth:
      ParseHealth(map, spec);
      break;
    case Kind::kOpenApi:
      ParseOpenApi(map, spec);
      break;
    case Kind::kNotFound:
    case Kind::kInvalidInput:
      ReadJsonPath(map, "error_field", spec.error_field, spec.error_field_parsed);
      break;
    case Kind::kAuthRequired:
      break;
    case Kind::kSqlInjection:
      ParseSqlInjection(map, spec);
      break;
    case Kind::kSecurityHeaders:
      ParseSecurityHeaders(map, spec);
      break;
    case Kind::kCors:
      ParseCors(map, name_mark, spec);
      break;
    case Kind::kWebhookSignature:
      ParseWebhook(map, spec);
      break;
  }
  return spec;
}

bool ContractChecksStatus(ContractKind kind) { return kind != Kind::kSecurityHeaders; }

std::vector<std::string> ContractCheckNames(const ContractSpec& c) {
  std::vector<std::string> names;
  if (ContractChecksStatus(c.kind) && c.kind != Kind::kCors) names.push_back("status");
  switch (c.kind) {
    case Kind::kHealth:
      names.push_back("health_json");
      if (!c.status_field.empty()) names.push_back("health_status");
      break;
    case Kind::kOpenApi:
      names.insert(names.end(),
                   {"openapi_json", "openapi_version", "openapi_info", "openapi_paths"});
      for (const std::string& p : c.required_paths) {
        names.push_back("openapi_path_" + ContractNameFragment(p));
      }
      break;
    case Kind::kNotFound:
    case Kind::kInvalidInput:
      if (!c.error_field.empty()) names.push_back("error_field");
      break;
    case Kind::kAuthRequired:
    case Kind::kWebhookSignature:
      break;
    case Kind::kSqlInjection:
      names.push_back("sql_error_text");
      break;
    case Kind::kSecurityHeaders:
      for (const SecurityHeaderSpec& h : c.headers)
        names.push_back(SecurityHeaderCheckName(h.name));
      break;
    case Kind::kCors:
      names.insert(names.end(), {"cors_status", "cors_allow_origin"});
      if (c.preflight) names.push_back("cors_allow_methods");
      if (!c.request_headers.empty()) names.push_back("cors_allow_headers");
      if (c.credentials) names.push_back("cors_allow_credentials");
      break;
  }
  return names;
}

std::string_view ContractDynamicPrefix(ContractKind kind) {
  return kind == Kind::kHealth ? "dependency_" : "";
}

void CheckAssertionsAgainstContract(const ContractSpec& contract,
                                    const std::vector<Assertion>& assertions, Diagnostics& diag) {
  const std::vector<std::string> names = ContractCheckNames(contract);
  const std::string_view prefix = ContractDynamicPrefix(contract.kind);
  for (const Assertion& a : assertions) {
    const Mark at{a.pos.line, a.pos.column};
    if (a.kind == Assertion::Kind::kStatus && ContractChecksStatus(contract.kind)) {
      diag.Error(at, "a \"status\" assertion cannot be combined with contract " +
                         Quote(contract.name) +
                         ", which checks the status itself (set the contract's expect_status "
                         "instead)");
      continue;
    }
    const bool taken = std::find(names.begin(), names.end(), a.name) != names.end() ||
                       (!prefix.empty() && a.name.rfind(prefix, 0) == 0);
    if (taken) {
      diag.Error(at, "assertion name " + Quote(a.name) + " is used by contract " +
                         Quote(contract.name) + "; give this assertion another name");
    }
  }
}

std::vector<SecurityHeaderSpec> DefaultSecurityHeaders() {
  return {
      {"X-Content-Type-Options", R"((?i)^\s*nosniff\s*$)", core::Severity::kFail},
      {"X-Frame-Options", R"((?i)^\s*(DENY|SAMEORIGIN)\s*$)", core::Severity::kFail},
      {"Strict-Transport-Security", R"((?i)max-age\s*=\s*"?0*[1-9])", core::Severity::kFail},
      {"Content-Security-Policy", R"(\S)", core::Severity::kFail},
  };
}

std::string ContractNameFragment(std::string_view text) {
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "root" : out;
}

std::string SecurityHeaderCheckName(std::string_view header) {
  return "security_header_" + ContractNameFragment(header);
}

}  // namespace smoke::config
