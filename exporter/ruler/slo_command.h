#pragma once
// `smoke_exporter slo generate [--config.file F] [--output FILE]`: writes the recording rules
// and burn-rate alerts of the config's `slos:` as a Prometheus rule file (slo_rules.h), so the
// same SLOs run in Prometheus or Thanos Ruler as in the embedded engine.
//   exit 0  written (to stdout when no --output, or "-")
//   exit 1  the config or an SLO is invalid (errors as FILE:LINE:COL: message on stderr), or the
//           output cannot be written (the old file is left intact)
// Thread-safety: reentrant; writes only to the given streams and the output file.

#include <ostream>
#include <string>

namespace smoke::ruler {

struct SloGenerateOptions {
  std::string config_file = "smoke.yml";
  std::string output;  // "" or "-": stdout
};

int RunSloGenerate(const SloGenerateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace smoke::ruler
