#include "exporter/config/stack_parsers.h"

#include <algorithm>

#include "exporter/config/name_list.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {
namespace {

// A block that is absent or null yields the defaults; a block of the wrong type is reported.
bool HasBlock(const YamlNode* node, const char* name, ParseContext& ctx) {
  return node != nullptr && CheckMap(*node, Quote(name), ctx.diag) && !node->IsNull();
}

}  // namespace

PrometheusSpec ParsePrometheusSpec(const YamlNode* node, ParseContext& ctx) {
  PrometheusSpec spec;
  if (!HasBlock(node, "prometheus", ctx)) return spec;
  MapReader map(*node, "prometheus",
                {"check_ready", "check_rules", "check_targets", "ignore_jobs", "required_jobs",
                 "rules_severity", "targets_severity"},
                ctx.diag);
  spec.check_ready = map.Bool("check_ready").value_or(spec.check_ready);
  spec.check_targets = map.Bool("check_targets").value_or(spec.check_targets);
  spec.check_rules = map.Bool("check_rules").value_or(spec.check_rules);
  spec.required_jobs = ReadNameList(map, "required_jobs", "job");
  spec.ignore_jobs = ReadNameList(map, "ignore_jobs", "job");
  spec.targets_severity = ReadSeverity(map, "targets_severity");
  spec.rules_severity = ReadSeverity(map, "rules_severity");
  for (const std::string& job : spec.required_jobs) {
    if (std::find(spec.ignore_jobs.begin(), spec.ignore_jobs.end(), job) !=
        spec.ignore_jobs.end()) {
      ctx.diag.Error(map.ValueMark("ignore_jobs"),
                     "job " + Quote(job) +
                         " is both required and ignored; list it in one of "
                         "\"required_jobs\" and \"ignore_jobs\"");
    }
  }
  if (!spec.check_targets) {
    for (const char* key : {"required_jobs", "ignore_jobs", "targets_severity"}) {
      if (map.Has(key)) {
        ctx.diag.Error(map.KeyMark(key),
                       Quote(key) + " has no effect with \"check_targets: false\"");
      }
    }
  }
  if (!spec.check_rules && map.Has("rules_severity")) {
    ctx.diag.Error(map.KeyMark("rules_severity"),
                   "\"rules_severity\" has no effect with \"check_rules: false\"");
  }
  return spec;
}

AlertmanagerSpec ParseAlertmanagerSpec(const YamlNode* node, ParseContext& ctx) {
  AlertmanagerSpec spec;
  if (!HasBlock(node, "alertmanager", ctx)) return spec;
  MapReader map(*node, "alertmanager",
                {"check_cluster", "check_ready", "cluster_severity", "min_peers"}, ctx.diag);
  spec.check_ready = map.Bool("check_ready").value_or(spec.check_ready);
  spec.check_cluster = map.Bool("check_cluster").value_or(spec.check_cluster);
  spec.cluster_severity = ReadSeverity(map, "cluster_severity");
  if (std::optional<int64_t> peers = map.Int("min_peers")) {
    if (*peers < 0 || *peers > 1000) {
      ctx.diag.Error(map.ValueMark("min_peers"),
                     "\"min_peers\" must be between 0 and 1000, got " + std::to_string(*peers));
    } else {
      spec.min_peers = *peers;
    }
  }
  if (!spec.check_cluster) {
    for (const char* key : {"min_peers", "cluster_severity"}) {
      if (map.Has(key)) {
        ctx.diag.Error(map.KeyMark(key),
                       Quote(key) + " has no effect with \"check_cluster: false\"");
      }
    }
  }
  return spec;
}

GrafanaSpec ParseGrafanaSpec(const YamlNode* node, ParseContext& ctx) {
  GrafanaSpec spec;
  if (!HasBlock(node, "grafana", ctx)) return spec;
  MapReader map(*node, "grafana", {"check_database"}, ctx.diag);
  spec.check_database = map.Bool("check_database").value_or(spec.check_database);
  return spec;
}

JaegerSpec ParseJaegerSpec(const YamlNode* node, ParseContext& ctx) {
  JaegerSpec spec;
  if (!HasBlock(node, "jaeger", ctx)) return spec;
  MapReader map(*node, "jaeger", {"check_ui", "required_services", "services_severity"}, ctx.diag);
  spec.check_ui = map.Bool("check_ui").value_or(spec.check_ui);
  spec.required_services = ReadNameList(map, "required_services", "service");
  spec.services_severity = ReadSeverity(map, "services_severity");
  return spec;
}

}  // namespace smoke::config
