#pragma once
// Contract probes for the contract tests, built the way users build them: from YAML through the
// config loader, so each test also covers the contract's config defaults.

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include "exporter/config/config.h"
#include "exporter/config/loader.h"
#include "exporter/core/probe_result.h"
#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes::testutil {

// The only probe of `yaml` (a whole config file); an empty spec (and a failed test) if it does
// not load. The environment is exactly `env`.
inline config::ProbeSpec LoadOnlyProbe(const std::string& yaml,
                                       std::map<std::string, std::string> env = {}) {
  config::LoadOptions options;
  options.getenv = [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  core::Result<config::ConfigPtr> cfg = config::LoadConfigText(yaml, "contract_test.yml", options);
  EXPECT_TRUE(cfg.ok()) << cfg.status().message();
  if (!cfg.ok() || (*cfg)->probes.size() != 1) return {};
  return (*cfg)->probes[0];
}

// An http probe "api" on `url` whose http block is `http_flow` (YAML flow style), e.g.
// "{contract: security_headers}".
inline config::ProbeSpec ContractSpecFor(const std::string& url, const std::string& http_flow,
                                         std::map<std::string, std::string> env = {}) {
  return LoadOnlyProbe("probes:\n  - name: api\n    kind: http\n    timeout: 5s\n    target: \"" +
                           url + "\"\n    http: " + http_flow + "\n",
                       std::move(env));
}

// Runs the probe once against the contract's config.
inline core::ProbeResult RunContract(const std::string& url, const std::string& http_flow) {
  return RunProbe(ContractSpecFor(url, http_flow));
}

// The names of the failed checks, in order: "a, b".
inline std::string FailedChecks(const core::ProbeResult& r) {
  std::string out;
  for (const core::AssertionResult& a : r.assertions) {
    if (!a.passed) out += (out.empty() ? "" : ", ") + a.name;
  }
  return out;
}

}  // namespace smoke::probes::testutil
