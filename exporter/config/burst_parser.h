#pragma once
// The blocks of a `kind: burst` probe: `burst:` (load shape, hard caps, baseline, bounds) and an
// optional `http:` block for the request (method, headers, body, credentials, TLS; the keys of an
// http probe except assertions and contract, because a burst judges requests by expect_status and
// its bounds). Also checks that the burst fits the probe's timeout and that the interval is at
// least kBurstMinInterval.
// Thread-safety: stateless functions.

#include "exporter/config/config.h"
#include "exporter/config/secret_reader.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// Either node may be null. spec.interval, spec.timeout and spec.pos must be set.
void ParseBurstBlocks(ProbeSpec& spec, const YamlNode* http, const YamlNode* burst,
                      ParseContext& ctx);

}  // namespace smoke::config
