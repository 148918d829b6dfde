#pragma once
// Who a result belongs to: the labels every per-probe series carries. Built from the validated
// spec; the target is redacted (no userinfo, no query string) because it becomes a label value.

#include <string>
#include <string_view>

#include "exporter/config/config.h"

namespace smoke::results {

struct ProbeIdentity {
  std::string name;
  std::string component;
  std::string kind;
  std::string target;  // redacted
  config::LabelPairs static_labels;

  // probe, component, target, then the static labels (sorted by the loader).
  config::LabelPairs Labels() const;
};

ProbeIdentity IdentityFromSpec(const config::ProbeSpec& spec);

// "https://user:pw@host:8443/path?token=x#f" -> "https://host:8443/path". Non-URL targets
// (host:port) are returned unchanged except for anything after '?'.
std::string RedactTarget(std::string_view target);

}  // namespace smoke::results
