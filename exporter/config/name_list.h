#pragma once
// Small readers shared by the monitoring-stack block parsers: a list of unique non-empty names
// (jobs, services, addresses), a fail/warn severity, and a {name: value} label map for things we
// send (alert labels) or look for (series labels).
// Thread-safety: stateless functions.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/yaml_reader.h"

namespace smoke::config {

// The sequence at `key` as strings, in order. Reports a non-string item, an empty one and a
// repeated one ("duplicate job "api" in "required_jobs" (first listed on line 7)"), naming each
// item `noun` in messages.
std::vector<std::string> ReadNameList(const MapReader& map, std::string_view key,
                                      std::string_view noun);

// `key` as fail (default) or warn.
core::Severity ReadSeverity(const MapReader& map, std::string_view key);

// Prometheus label names: ^[a-zA-Z_][a-zA-Z0-9_]*$.
bool IsLabelName(std::string_view name);

// A {label: value} mapping, sorted by name. Names must be valid label names and must not start
// with "__"; names in `reserved` are reported with `reserved_why`. `what` names the mapping in
// messages (Quote("labels")).
std::vector<std::pair<std::string, std::string>> ReadLabelMap(
    const YamlNode& node, const std::string& what, const std::vector<std::string>& reserved,
    std::string_view reserved_why, Diagnostics& diag);

}  // namespace smoke::config
