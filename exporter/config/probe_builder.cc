#include "exporter/config/probe_builder.h"

#include <algorithm>
#include <cctype>

#include "exporter/config/burst_parser.h"
#include "exporter/config/did_you_mean.h"
#include "exporter/config/http_parser.h"
#include "exporter/config/labels.h"
#include "exporter/config/monitoring_kinds.h"
#include "exporter/config/postgres_parser.h"
#include "exporter/config/redis_parser.h"
#include "exporter/config/target.h"
#include "exporter/config/tcp_parser.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

// Probe and module names appear in the `probe` label and in URLs (/probe?module=).
bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_.:-").find(c) != std::string_view::npos;
  });
}

constexpr std::string_view kNamePattern = "^[a-zA-Z_][a-zA-Z0-9_.:-]*$";

}  // namespace

const std::vector<std::string>& KnownKinds() {
  static const std::vector<std::string> kKinds = [] {
    std::vector<std::string> kinds = {"burst", "http", "postgres", "redis", "tcp"};
    kinds.insert(kinds.end(), MonitoringKinds().begin(), MonitoringKinds().end());
    std::sort(kinds.begin(), kinds.end());
    return kinds;
  }();
  return kKinds;
}

ProbeBuilder::Layer ProbeBuilder::ReadLayer(const YamlNode& map_node, const MapReader& map) {
  Layer layer;
  if (const YamlNode* kind = map.Get("kind")) {
    layer.kind_mark = kind->mark;
    if (std::optional<std::string> k = ReadString(*kind, Quote("kind"), diag_)) {
      const std::vector<std::string>& known = KnownKinds();
      if (std::find(known.begin(), known.end(), *k) == known.end()) {
        diag_.Error(kind->mark, "unknown kind " + Quote(*k) + " (expected one of: " +
                                    JoinNames(known) + ")" + DidYouMean(*k, known));
        layer.kind_invalid = true;
      } else {
        layer.kind = *k;
      }
    } else {
      layer.kind_invalid = true;
    }
  }
  if (std::optional<std::string> component = map.String("component")) {
    if (component->empty()) {
      diag_.Error(map.ValueMark("component"), "\"component\" must not be empty");
    } else {
      layer.component = *component;
    }
  }
  layer.interval = map.Duration("interval");
  layer.interval_mark = map.ValueMark("interval");
  layer.timeout = map.Duration("timeout");
  layer.timeout_mark = map.ValueMark("timeout");
  if (const YamlNode* labels = map.Get("labels")) layer.labels = ParseLabels(*labels, diag_);
  for (const std::string& kind : KnownKinds()) {
    if (const YamlEntry* block = map_node.Find(kind)) {
      layer.blocks[kind] = block->value;
      layer.block_marks[kind] = block->key_mark;
    }
  }
  return layer;
}

void ProbeBuilder::CheckBlocks(const Layer& layer, const std::string& kind) {
  for (const auto& [block, mark] : layer.block_marks) {
    if (block != kind && !(block == "http" && (TakesHttpTransport(kind) || kind == "burst"))) {
      diag_.Error(mark, Quote(block) + " block is not allowed for kind " + Quote(kind));
    }
  }
}

ProbeSpec ProbeBuilder::Build(ProbeSpec spec, const Layer* module, const Layer& own,
                              const std::string& owner) {
  // Each setting comes from the innermost layer that sets it; `level` 2 = own, 1 = module,
  // 0 = global, to decide where a timeout/interval conflict is reported.
  int interval_level = 0;
  int timeout_level = 0;
  Mark interval_mark;
  Mark timeout_mark;
  spec.interval = global_.interval;
  spec.timeout = global_.timeout;
  auto apply = [&](const Layer& layer, int level) {
    if (layer.interval) {
      spec.interval = *layer.interval;
      interval_level = level;
      interval_mark = layer.interval_mark;
    }
    if (layer.timeout) {
      spec.timeout = *layer.timeout;
      timeout_level = level;
      timeout_mark = layer.timeout_mark;
    }
    if (layer.component) spec.component = *layer.component;
  };
  if (module != nullptr) apply(*module, 1);
  apply(own, 2);
  if (spec.timeout > spec.interval) {
    if (timeout_level == 0) {
      // As Prometheus does for scrape_timeout: an inherited timeout shrinks to a shorter
      // interval instead of failing the load.
      spec.timeout = spec.interval;
    } else {
      // Reported where the later layer set its value; the other value's origin is named when
      // it comes from the module, where the user would not look for it.
      const std::string from_module = " (from module " + Quote(spec.module) + ")";
      diag_.Error(interval_level > timeout_level ? interval_mark : timeout_mark,
                  "timeout " + core::FormatDuration(spec.timeout) +
                      (timeout_level == 1 && interval_level == 2 ? from_module : "") +
                      " must not be greater than interval " + core::FormatDuration(spec.interval) +
                      (interval_level == 1 && timeout_level == 2 ? from_module : ""));
    }
  }

  static const LabelPairs kNone;
  spec.labels = MergeLabels({&global_.labels, module ? &module->labels : &kNone, &own.labels});

  auto block = [&](const std::string& kind) -> YamlNodePtr {
    YamlNodePtr base;
    if (module != nullptr) {
      auto it = module->blocks.find(kind);
      if (it != module->blocks.end()) base = it->second;
    }
    auto it = own.blocks.find(kind);
    return MergeYaml(base, it != own.blocks.end() ? it->second : nullptr);
  };
  ParseContext ctx{diag_, secrets_, owner};
  if (spec.kind == "http") {
    YamlNodePtr http = block("http");
    spec.http = ParseHttpSpec(http.get(), spec.pos, ctx);
  } else if (spec.kind == "tcp") {
    YamlNodePtr tcp = block("tcp");
    spec.tcp = ParseTcpSpec(tcp.get(), ctx);
  } else if (spec.kind == "redis") {
    YamlNodePtr redis = block("redis");
    spec.redis = ParseRedisSpec(redis.get(), ctx);
  } else if (spec.kind == "postgres") {
    YamlNodePtr postgres = block("postgres");
    spec.postgres =
        ParsePostgresSpec(postgres.get(), spec.target, Mark{spec.pos.line, spec.pos.column}, ctx);
  } else if (spec.kind == "burst") {
    YamlNodePtr http = block("http");
    YamlNodePtr burst = block("burst");
    ParseBurstBlocks(spec, http.get(), burst.get(), ctx);
  } else if (IsMonitoringKind(spec.kind)) {
    YamlNodePtr http = block("http");
    YamlNodePtr own_block = block(spec.kind);
    ParseMonitoringBlocks(spec, http.get(), own_block.get(), ctx);
  }
  return spec;
}

void ProbeBuilder::AddModules(const YamlNode& modules) {
  if (!CheckMap(modules, Quote("modules"), diag_)) return;
  for (const YamlEntry& e : modules.entries) {
    if (!IsValidName(e.key)) {
      diag_.Error(e.key_mark, "invalid module name " + Quote(e.key) + " (must match " +
                                  std::string(kNamePattern) + ")");
      continue;
    }
    const YamlNode& node = *e.value;
    if (!node.IsMap()) {
      if (!node.poisoned) {
        diag_.Error(node.mark,
                    "expected a mapping for module " + Quote(e.key) + ", got " + node.Describe());
      }
      continue;
    }
    MapReader map(
        node, "module",
        {"alert_pipeline", "alertmanager", "burst", "component", "dns", "grafana", "http",
         "interval", "jaeger", "kind", "labels", "metrics", "postgres", "prometheus", "redis",
         "tcp", "timeout"},
        diag_);
    Layer layer = ReadLayer(node, map);
    if (!layer.kind && !layer.kind_invalid) {
      diag_.Error(node.mark, "missing required key \"kind\" in module " + Quote(e.key));
    }
    if (layer.kind == "burst") {
      // /probe runs modules for whoever can reach it: a burst module would let any scraper start
      // a load burst on demand.
      diag_.Error(layer.kind_mark,
                  "kind \"burst\" cannot be a module (/probe would let anyone start a load burst); "
                  "configure burst probes under probes:");
      layer.kind.reset();
      layer.kind_invalid = true;
    }
    if (layer.kind) {
      CheckBlocks(layer, *layer.kind);
      ProbeSpec spec;
      spec.name = e.key;
      spec.module = e.key;
      spec.kind = *layer.kind;
      spec.pos = diag_.Position(node.mark);
      module_specs_[e.key] = Build(std::move(spec), nullptr, layer, "module " + Quote(e.key));
    }
    module_layers_[e.key] = std::move(layer);
  }
}

void ProbeBuilder::AddProbes(const YamlNode& probes) {
  if (!CheckSequence(probes, Quote("probes"), diag_)) return;
  for (const YamlNodePtr& item : probes.items) AddProbe(*item);
}

void ProbeBuilder::AddProbe(const YamlNode& item) {
  if (!item.IsMap()) {
    if (!item.poisoned) {
      diag_.Error(item.mark,
                  "expected a mapping for a probe (e.g. {name: api, kind: http, target: ...}), "
                  "got " +
                      item.Describe());
    }
    return;
  }
  MapReader map(item, "probe",
                {"alert_pipeline", "alertmanager", "burst", "component", "dns", "grafana", "http",
                 "interval", "jaeger", "kind", "labels", "metrics", "module", "name", "postgres",
                 "prometheus", "redis", "target", "tcp", "timeout"},
                diag_);
  ProbeSpec spec;
  spec.pos = diag_.Position(item.mark);

  if (!map.Has("name")) diag_.Error(item.mark, "missing required key \"name\" in probe");
  if (std::optional<std::string> name = map.String("name")) {
    const Mark mark = map.ValueMark("name");
    if (!IsValidName(*name)) {
      diag_.Error(mark, "invalid probe name " + Quote(*name) + " (must match " +
                            std::string(kNamePattern) + ")");
    } else if (auto [it, inserted] = probe_lines_.emplace(*name, mark.line); !inserted) {
      diag_.Error(mark, "duplicate probe name " + Quote(*name) + " (first defined on line " +
                            std::to_string(it->second) + ")");
    }
    spec.name = *name;
  }
  const std::string owner = spec.name.empty() ? "probe at line " + std::to_string(item.mark.line)
                                              : "probe " + Quote(spec.name);

  const Layer* module = nullptr;
  bool module_unknown = false;
  if (std::optional<std::string> module_name = map.String("module")) {
    auto it = module_layers_.find(*module_name);
    if (it == module_layers_.end()) {
      module_unknown = true;
      std::vector<std::string> names;
      for (const auto& [n, layer] : module_layers_) names.push_back(n);
      diag_.Error(map.ValueMark("module"),
                  "unknown module " + Quote(*module_name) + DidYouMean(*module_name, names));
    } else {
      module = &it->second;
      spec.module = *module_name;
    }
  } else if (map.Has("module")) {
    module_unknown = true;
  }

  Layer own = ReadLayer(item, map);
  if (own.kind && module != nullptr && module->kind && *own.kind != *module->kind) {
    diag_.Error(own.kind_mark, "kind " + Quote(*own.kind) + " does not match kind " +
                                   Quote(*module->kind) + " of module " + Quote(spec.module));
    return;
  }
  std::optional<std::string> kind = own.kind ? own.kind : module ? module->kind : std::nullopt;
  // The module's own error already covers a module without a (valid) kind.
  const bool kind_unknowable = own.kind_invalid || module_unknown || module != nullptr;
  if (!kind) {
    if (!kind_unknowable) {
      diag_.Error(item.mark,
                  "missing required key \"kind\" in " + owner + " (set it here or in its module)");
    }
    return;
  }
  spec.kind = *kind;
  CheckBlocks(own, spec.kind);

  if (!map.Has("target")) {
    diag_.Error(item.mark, "missing required key \"target\" in " + owner);
  } else if (std::optional<std::string> target = map.String("target")) {
    std::optional<std::string> error = spec.kind == "http" || spec.kind == "burst"
                                           ? HttpTargetError(*target)
                                       : spec.kind == "redis"    ? RedisTargetError(*target)
                                       : spec.kind == "postgres" ? PostgresTargetError(*target)
                                       : IsMonitoringKind(spec.kind)
                                           ? MonitoringTargetError(spec.kind, *target)
                                           : TcpTargetError(*target);
    if (error) diag_.Error(map.ValueMark("target"), *error);
    spec.target = *target;
  }
  probes_.push_back(Build(std::move(spec), module, own, owner));
}

}  // namespace smoke::config
