#pragma once
// The /config rendering of the monitoring-stack kinds (render.cc calls it inside a probe's or
// module's mapping): their `http:` transport settings and the block named after the kind.
// Secrets appear as Secret::Redacted(), never their values.
// Thread-safety: writes only to the given emitter.

#include <yaml-cpp/yaml.h>

#include "exporter/config/config.h"

namespace smoke::config {

// Emits the keys `http` (for kinds that take it) and `<kind>` into the open mapping.
void RenderMonitoringBlocks(YAML::Emitter& out, const ProbeSpec& spec);

}  // namespace smoke::config
