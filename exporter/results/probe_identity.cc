#include "exporter/results/probe_identity.h"

namespace smoke::results {

config::LabelPairs ProbeIdentity::Labels() const {
  config::LabelPairs labels = {{"probe", name}, {"component", component}, {"target", target}};
  labels.insert(labels.end(), static_labels.begin(), static_labels.end());
  return labels;
}

ProbeIdentity IdentityFromSpec(const config::ProbeSpec& spec) {
  return ProbeIdentity{spec.name, spec.component, spec.kind, RedactTarget(spec.target),
                       spec.labels};
}

std::string RedactTarget(std::string_view target) {
  std::string_view rest = target.substr(0, target.find_first_of("?#"));
  size_t scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) return std::string(rest);
  size_t authority_start = scheme_end + 3;
  size_t authority_end = rest.find('/', authority_start);
  std::string_view authority = rest.substr(authority_start, authority_end - authority_start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(rest);
  std::string out(rest.substr(0, authority_start));
  out += authority.substr(at + 1);
  if (authority_end != std::string_view::npos) out += rest.substr(authority_end);
  return out;
}

}  // namespace smoke::results
