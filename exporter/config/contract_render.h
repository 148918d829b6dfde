#pragma once
// The /config rendering of an http block's `contract:` and of a burst probe's `burst:` block
// (render.cc calls these inside the open mapping). Always the mapping form with every option,
// defaults included, so /config shows what the probe really checks.
// Thread-safety: writes only to the given emitter.

#include <yaml-cpp/yaml.h>

#include "exporter/config/config.h"

namespace smoke::config {

// Emits the key `contract` with its options.
void RenderContract(YAML::Emitter& out, const ContractSpec& contract);
// Emits the key `burst` with its options.
void RenderBurst(YAML::Emitter& out, const BurstSpec& burst);

}  // namespace smoke::config
