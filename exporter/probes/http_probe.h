#pragma once
// The http probe: one request on a fresh connection, like blackbox_exporter's prober/http.go,
// then the configured assertions on the response. Transport failures are reported with a bounded
// reason (dns, connection_refused, connect, tls, timeout, http_protocol, body_too_large);
// assertion failures with the failing assertion's reason. A configured secret that could not be
// read skips the probe (credentials_missing) without sending anything.
// Thread-safety: immutable after Create; Run may be called concurrently.

#include <string>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/core/status.h"
#include "exporter/probes/assertion_evaluator.h"
#include "exporter/probes/contract.h"
#include "exporter/probes/probe.h"

namespace smoke::probes {

class HttpProbe : public Probe {
 public:
  // Fails for a target libcurl cannot parse, an invalid regex or JSON path, an unsupported TLS
  // setting, or both basic_auth and bearer_token set.
  static core::Result<ProbePtr> Create(const config::ProbeSpec& spec);

  core::ProbeResult Run(const RunContext& ctx) const override;
  // One libcurl transfer; the rest is computation (secrets were resolved with the config).
  bool RunsOnCurlLoop() const override { return true; }

 private:
  HttpProbe(config::ProbeSpec spec, AssertionEvaluator evaluator, clients::ConnectOptions connect,
            ContractPtr contract);

  // The first configured secret that could not be read, described for people ("bearer_token
  // <secret from env:API_TOKEN> is unavailable: ..."); "" if all are present.
  std::string MissingSecret() const;
  clients::HttpRequest BuildRequest() const;

  config::ProbeSpec spec_;
  AssertionEvaluator evaluator_;
  clients::ConnectOptions connect_;
  // The configured contract (contract.h), or null. It may change the URL, the request and
  // whether credentials are sent; its checks come before the configured assertions.
  ContractPtr contract_;
  std::string url_;  // the target, or the contract's URL for it
  bool sends_configured_credentials_ = true;
  // Names of request headers carrying secrets: redacted if the target echoes them back.
  std::vector<std::string> secret_header_names_;
  bool sends_credentials_ = false;
  clients::CurlHttpClient client_;
};

}  // namespace smoke::probes
