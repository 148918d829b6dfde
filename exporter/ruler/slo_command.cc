#include "exporter/ruler/slo_command.h"

#include "exporter/config/loader.h"
#include "exporter/core/atomic_file.h"
#include "exporter/ruler/slo_rules.h"

namespace smoke::ruler {

int RunSloGenerate(const SloGenerateOptions& options, std::ostream& out, std::ostream& err) {
  core::Result<config::ConfigPtr> cfg = config::LoadConfigFile(options.config_file);
  if (!cfg.ok()) {
    err << cfg.status().message() << "\n";
    return 1;
  }
  const std::vector<config::SloSpec>& slos = (*cfg)->slos;
  if (slos.empty()) {
    err << "warning: " << options.config_file
        << " has no slos: section; the rule file has no groups\n";
  }
  core::Result<std::string> text = GenerateSloRuleText(slos, options.config_file);
  if (!text.ok()) {
    err << text.status().message() << "\n";
    return 1;
  }
  if (options.output.empty() || options.output == "-") {
    out << *text;
    return 0;
  }
  if (core::Status s = core::WriteFileAtomically(options.output, *text); !s.ok()) {
    err << s.message() << "\n";
    return 1;
  }
  err << "wrote the rules of " << slos.size() << (slos.size() == 1 ? " SLO" : " SLOs") << " to "
      << options.output << "\n";
  return 0;
}

}  // namespace smoke::ruler
