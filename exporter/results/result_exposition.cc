#include "exporter/results/result_exposition.h"

namespace smoke::results {

void AppendResultSeries(const core::ProbeResult& result, const config::LabelPairs& base_labels,
                        FamilyBuilder& out) {
  out.AddGauge("probe_success", "Displays whether or not the probe was a success", base_labels,
               result.passed() ? 1 : 0);
  out.AddGauge("probe_duration_seconds", "Returns how long the probe took to complete in seconds",
               base_labels, result.duration_seconds);
  for (const core::Measurement& m : result.measurements) {
    config::LabelPairs labels = base_labels;
    labels.insert(labels.end(), m.labels.begin(), m.labels.end());
    out.AddGauge(m.name, m.help, labels, m.value);
  }
}

}  // namespace smoke::results
