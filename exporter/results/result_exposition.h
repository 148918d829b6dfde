#pragma once
// The blackbox_exporter-compatible series of one probe result: probe_success,
// probe_duration_seconds and the kind-specific measurements (probe_http_status_code, ...). Used
// for the scheduled probes in /metrics (with identity labels) and for /probe (without).

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/results/family_builder.h"

namespace smoke::results {

void AppendResultSeries(const core::ProbeResult& result, const config::LabelPairs& base_labels,
                        FamilyBuilder& out);

}  // namespace smoke::results
