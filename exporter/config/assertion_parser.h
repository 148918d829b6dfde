#pragma once
// `assertions:` lists. Each item is a mapping with exactly one kind key (status, body_regex,
// body_not_regex, json, header, latency, cert_expiry, all_of, any_of) plus optional `name:` and
// `severity: fail|warn`. Items without a name get one derived from their content (see
// DefaultAssertionName) because names become the `assertion` label value.
// Thread-safety: stateless functions.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"
#include "exporter/core/status.h"

namespace smoke::config {

enum class AssertionScope {
  kHttp,  // every kind
  kTcp,   // latency and cert_expiry only: there is no status, body or header to check
};

// Parses a list (null = empty). Names must be unique among the list's items; children of
// all_of/any_of are validated recursively but named independently.
std::vector<Assertion> ParseAssertions(const YamlNode& list, AssertionScope scope,
                                       Diagnostics& diag);

// "200" -> {200,200}, "2xx" -> {200,299}, "200-299" -> {200,299}; codes must be 100..599.
core::Result<std::pair<int, int>> ParseStatusRange(std::string_view text);
// The inverse: "200", "2xx", "200-204".
std::string FormatStatusRange(const std::pair<int, int>& range);

// The name an assertion gets without `name:`: "status", "body_regex", "body_not_regex",
// "json_<keys joined by _>" ("json_root" for "$"), "header_<lower-cased name, - as _>" (plus
// "_absent"), "latency", "cert_expiry", "all_of", "any_of".
std::string DefaultAssertionName(const Assertion& assertion);

}  // namespace smoke::config
