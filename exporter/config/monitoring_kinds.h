#pragma once
// The monitoring-stack probe kinds in the config: which kinds there are, which of them take an
// `http:` block for their transport settings, what their targets look like, and the parsing of
// their blocks into a ProbeSpec. ProbeBuilder calls these for every kind IsMonitoringKind()
// accepts, so adding a kind here is the whole of its config plumbing.
// Thread-safety: stateless functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// alert_pipeline, alertmanager, dns, grafana, jaeger, metrics, prometheus.
const std::vector<std::string>& MonitoringKinds();
bool IsMonitoringKind(std::string_view kind);

// Every monitoring kind but dns talks HTTP and takes an `http:` block for its transport:
// headers, basic_auth, bearer_token_file/_env, tls, redirects, ip_protocol, body_size_limit.
// method, body and assertions are rejected there: the probe makes its own requests.
bool TakesHttpTransport(std::string_view kind);

// dns: a host name. metrics: an http(s) URL (the /metrics page). The others: the service's
// http(s) base URL without query or fragment; API paths are appended to it. nullopt when valid.
std::optional<std::string> MonitoringTargetError(std::string_view kind, std::string_view target);

// Parses the `http:` block (transport keys only) and the block named after spec.kind into
// `spec`. Either node may be null. spec.kind, spec.name and spec.timeout must be set.
void ParseMonitoringBlocks(ProbeSpec& spec, const YamlNode* http, const YamlNode* block,
                           ParseContext& ctx);

}  // namespace smoke::config
