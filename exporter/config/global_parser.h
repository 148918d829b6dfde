#pragma once
// The `global:` and `probe_endpoint:` sections.
// Thread-safety: stateless functions.

#include "exporter/config/config.h"
#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// `node` may be null (defaults). If only `interval` is set and it is shorter than the default
// timeout, the timeout shrinks to the interval (Prometheus's scrape_timeout rule); an explicit
// timeout longer than the interval is an error.
GlobalSpec ParseGlobal(const YamlNode* node, Diagnostics& diag);

// Every allowed_targets pattern must compile as RE2.
ProbeEndpointSpec ParseProbeEndpoint(const YamlNode* node, Diagnostics& diag);

}  // namespace smoke::config
