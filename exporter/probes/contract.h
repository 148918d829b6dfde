#pragma once
// API contracts on top of the HTTP probe: named, reusable checks such as "an unknown path answers
// 404 with a JSON error" or "every security header is set". A contract shapes the one request the
// probe sends (method, headers, payload, whether credentials go along) and judges the response
// with named checks, each failing with a bounded reason and an "actual" that names what is wrong
// (the dependency, the header, the SQL error signature). The HTTP probe puts the contract's
// results before its configured assertions, so SettleOutcome reports the contract's most specific
// failure first. One file per contract kind (contract_health.cc, contract_cors.cc, ...).
// Thread-safety: immutable after MakeContract; every method may be called concurrently.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/assertion_evaluator.h"

namespace smoke::probes {

struct ContractReport {
  // In the order a person should read them: the most specific check first.
  std::vector<core::AssertionResult> results;
  // Evidence facts ("missing_security_headers" -> "X-Frame-Options, ..."), unredacted: the probe
  // masks secrets in them.
  std::vector<std::pair<std::string, std::string>> details;
};

class Contract {
 public:
  virtual ~Contract() = default;

  // The URL requested for the probe's target: the target itself, or with a payload added.
  virtual std::string Url(const std::string& target) const { return target; }
  // False for contracts that test what happens without credentials (auth_required,
  // webhook_signature, cors): the probe then sends none of its configured ones, and a secret
  // that cannot be read does not skip the probe.
  virtual bool SendsCredentials() const { return true; }
  // Sets what the contract needs on the request (method, headers, body).
  virtual void Prepare(clients::HttpRequest& /*request*/) const {}
  // Judges a complete response (transport failures never reach a contract).
  virtual void Check(const ResponseView& response, ContractReport& report) const = 0;
};

using ContractPtr = std::shared_ptr<const Contract>;

// Fails for a spec the loader would have rejected (a bad regex, a missing CORS origin).
core::Result<ContractPtr> MakeContract(const config::ContractSpec& spec);

}  // namespace smoke::probes
