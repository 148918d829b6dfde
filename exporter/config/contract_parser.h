#pragma once
// `contract:` inside an `http:` block. Two forms:
//   contract: security_headers                      # the contract with its defaults
//   contract: {security_headers: {severity: warn}}  # one kind key, its options beneath
// The mapping form merges like any block, so a module can set a contract and a probe can override
// one option of it. Every option is validated here (regexes compiled, JSON paths parsed, origins
// and header names checked), so the probe never sees an invalid contract.
// Thread-safety: stateless functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// The contract kinds as written in YAML, sorted.
const std::vector<std::string>& ContractKindNames();
std::string_view ContractKindName(ContractKind kind);

std::optional<ContractSpec> ParseContract(const YamlNode& node, Diagnostics& diag);

// A contract of `kind` with every option at its default (what `contract: <kind>` gives), JSON
// paths parsed. cors still needs an origin.
ContractSpec DefaultContractSpec(ContractKind kind);

// Whether the contract checks the HTTP status itself (every kind but security_headers): a
// `status` assertion next to it would contradict it.
bool ContractChecksStatus(ContractKind kind);

// The assertion names the contract reports whatever the response ("status", "cors_allow_origin",
// "security_header_x_frame_options", ...). Names derived from the response (health's
// "dependency_<name>") start with ContractDynamicPrefix.
std::vector<std::string> ContractCheckNames(const ContractSpec& contract);
// "dependency_" for health, "" for the others.
std::string_view ContractDynamicPrefix(ContractKind kind);

// Reports every user assertion that clashes with the contract: a status assertion when the
// contract checks the status, and any name the contract uses itself.
void CheckAssertionsAgainstContract(const ContractSpec& contract,
                                    const std::vector<Assertion>& assertions, Diagnostics& diag);

// The built-in security headers with their value patterns: X-Content-Type-Options (nosniff),
// X-Frame-Options (DENY or SAMEORIGIN), Strict-Transport-Security (max-age > 0) and
// Content-Security-Policy (non-empty).
std::vector<SecurityHeaderSpec> DefaultSecurityHeaders();

// A piece of an assertion name made from text: lower case, each run of characters other than
// [a-z0-9] as one '_', no '_' at either end; "root" when nothing is left ("/" -> "root",
// "/api/v1/companies" -> "api_v1_companies", "X-Frame-Options" -> "x_frame_options").
std::string ContractNameFragment(std::string_view text);
// "security_header_" + ContractNameFragment(header).
std::string SecurityHeaderCheckName(std::string_view header);

}  // namespace smoke::config
