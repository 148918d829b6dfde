#include "exporter/config/engine_parser.h"

#include "exporter/config/http_parser.h"
#include "exporter/config/labels.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

bool Present(const YamlNode* node, const char* what, Diagnostics& diag) {
  return node != nullptr && CheckMap(*node, Quote(what), diag) && !node->IsNull();
}

void PositiveDuration(const MapReader& map, std::string_view key, core::Duration* out) {
  std::optional<core::Duration> d = map.Duration(key);
  if (!d) return;
  if (d->count() <= 0) {
    map.diag().Error(map.ValueMark(key), Quote(key) + " must be greater than 0");
    return;
  }
  *out = *d;
}

std::string HttpUrl(const MapReader& map, std::string_view key) {
  std::optional<std::string> url = map.String(key);
  if (!url) return "";
  if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
    map.diag().Error(map.ValueMark(key),
                     Quote(key) + " must be an http:// or https:// URL, got \"" + *url + "\"");
  }
  if (url->find('@') != std::string::npos) {
    map.diag().Error(map.ValueMark(key),
                     Quote(key) + " must not contain credentials; use basic_auth with "
                                  "password_file or password_env");
  }
  while (!url->empty() && url->back() == '/') url->pop_back();
  return *url;
}

AlertmanagerTargetSpec ParseAlertmanager(const YamlNode& node, ParseContext& ctx) {
  AlertmanagerTargetSpec am;
  if (!CheckMap(node, "an item of \"alertmanagers\"", ctx.diag)) return am;
  MapReader map(node, "alertmanagers",
                {"basic_auth", "bearer_token_env", "bearer_token_file", "timeout", "url"}, ctx.diag,
                {{"bearer_token", "secrets are read from bearer_token_file or bearer_token_env, "
                                  "never inline"}});
  if (!map.Has("url")) ctx.diag.Error(node.mark, "missing required key \"url\" in alertmanagers");
  am.url = HttpUrl(map, "url");
  PositiveDuration(map, "timeout", &am.timeout);
  if (const YamlNode* auth = map.Get("basic_auth")) {
    if (std::optional<BasicAuth> parsed = ParseBasicAuthBlock(*auth, ctx)) {
      am.basic_auth_username = parsed->username;
      am.basic_auth_password = parsed->password;
    }
  }
  am.bearer_token = ReadSecretPair(map, "bearer_token", ctx);
  if (am.bearer_token && am.basic_auth_username) {
    ctx.diag.Error(map.KeyMark("basic_auth"), "at most one of basic_auth and bearer_token_* may be set");
  }
  return am;
}

}  // namespace

RulesSpec ParseRules(const YamlNode* node, ParseContext& ctx) {
  RulesSpec rules;
  if (!Present(node, "rules", ctx.diag)) return rules;
  MapReader map(*node, "rules",
                {"evaluation_interval", "external_labels", "external_url", "files",
                 "for_grace_period", "for_outage_tolerance", "query_offset", "resend_delay",
                 "state_file"},
                ctx.diag);
  if (const YamlNode* files = map.Sequence("files")) {
    for (const YamlNodePtr& item : files->items) {
      if (std::optional<std::string> f = ReadString(*item, "an item of \"files\"", ctx.diag)) {
        rules.files.push_back(ctx.secrets.ResolvePath(*f));
      }
    }
  }
  PositiveDuration(map, "evaluation_interval", &rules.evaluation_interval);
  PositiveDuration(map, "resend_delay", &rules.resend_delay);
  PositiveDuration(map, "for_outage_tolerance", &rules.for_outage_tolerance);
  PositiveDuration(map, "for_grace_period", &rules.for_grace_period);
  if (std::optional<core::Duration> d = map.Duration("query_offset")) rules.query_offset = *d;
  if (const YamlNode* labels = map.Get("external_labels")) {
    for (auto& [name, value] : ParseLabels(*labels, ctx.diag)) rules.external_labels[name] = value;
  }
  if (map.Has("external_url")) rules.external_url = HttpUrl(map, "external_url");
  if (std::optional<std::string> f = map.String("state_file"); f && !f->empty()) {
    rules.state_file = ctx.secrets.ResolvePath(*f);
  }
  return rules;
}

AlertingSpec ParseAlerting(const YamlNode* node, ParseContext& ctx) {
  AlertingSpec alerting;
  if (!Present(node, "alerting", ctx.diag)) return alerting;
  MapReader map(*node, "alerting", {"alertmanagers", "queue_capacity", "required"}, ctx.diag);
  if (const YamlNode* list = map.Sequence("alertmanagers")) {
    for (const YamlNodePtr& item : list->items) {
      alerting.alertmanagers.push_back(ParseAlertmanager(*item, ctx));
    }
  }
  if (std::optional<int64_t> cap = map.Int("queue_capacity")) {
    if (*cap < 1 || *cap > 1'000'000) {
      ctx.diag.Error(map.ValueMark("queue_capacity"),
                     "\"queue_capacity\" must be between 1 and 1000000, got " +
                         std::to_string(*cap));
    } else {
      alerting.queue_capacity = static_cast<int>(*cap);
    }
  }
  alerting.required = map.Bool("required").value_or(false);
  if (alerting.required && alerting.alertmanagers.empty()) {
    ctx.diag.Error(map.ValueMark("required"),
                   "\"required\" is true but no alertmanagers are configured");
  }
  return alerting;
}

StorageSpec ParseStorage(const YamlNode* node, ParseContext& ctx) {
  StorageSpec storage;
  if (!Present(node, "storage", ctx.diag)) return storage;
  MapReader map(*node, "storage", {"retention", "snapshot_file", "snapshot_interval"}, ctx.diag);
  PositiveDuration(map, "retention", &storage.retention);
  PositiveDuration(map, "snapshot_interval", &storage.snapshot_interval);
  if (std::optional<std::string> f = map.String("snapshot_file"); f && !f->empty()) {
    storage.snapshot_file = ctx.secrets.ResolvePath(*f);
  }
  return storage;
}

}  // namespace smoke::config
