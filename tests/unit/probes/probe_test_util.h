#pragma once
// Builders for probe specs and lookups in probe results, shared by the probe tests. Specs are
// built in code (as the config loader would produce them) so these tests do not depend on YAML.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/probe_result.h"
#include "exporter/probes/probe.h"

#include "tests/support/probe_result_inspect.h"
namespace smoke::probes::testutil {

using config::Assertion;
using ::smoke::testing::Detail;
using ::smoke::testing::FindAssertion;
using ::smoke::testing::Measured;
using ::smoke::testing::PhaseSeconds;

inline config::ProbeSpec HttpSpec(const std::string& url) {
  config::ProbeSpec spec;
  spec.name = "api";
  spec.kind = "http";
  spec.target = url;
  spec.timeout = std::chrono::seconds(5);
  return spec;
}

inline config::ProbeSpec TcpSpec(const std::string& host_port) {
  config::ProbeSpec spec;
  spec.name = "socket";
  spec.kind = "tcp";
  spec.target = host_port;
  spec.timeout = std::chrono::seconds(5);
  return spec;
}

inline RunContext WithTimeout(std::chrono::milliseconds timeout) {
  RunContext ctx;
  ctx.deadline = ctx.clock->Now() + timeout;
  return ctx;
}

// Builds the probe through the public factory; fails the test (and returns null) if it cannot.
inline ProbePtr MustCreate(const config::ProbeSpec& spec) {
  core::Result<ProbePtr> probe = MakeProbe(spec);
  EXPECT_TRUE(probe.ok()) << probe.status().message();
  return probe.ok() ? std::move(probe).value() : nullptr;
}

inline core::ProbeResult RunProbe(const config::ProbeSpec& spec,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  ProbePtr probe = MustCreate(spec);
  if (probe == nullptr) return {};
  return probe->Run(WithTimeout(timeout));
}

inline Assertion StatusIn(std::string name, int lo, int hi,
                          core::Severity severity = core::Severity::kFail) {
  Assertion a;
  a.name = std::move(name);
  a.kind = Assertion::Kind::kStatus;
  a.severity = severity;
  a.status_ranges = {{lo, hi}};
  return a;
}

inline Assertion BodyMatches(std::string name, std::string pattern, bool negate = false) {
  Assertion a;
  a.name = std::move(name);
  a.kind = Assertion::Kind::kBodyRegex;
  a.pattern = std::move(pattern);
  a.negate = negate;
  return a;
}

inline Assertion HeaderPresent(std::string name, std::string header,
                               core::Severity severity = core::Severity::kFail) {
  Assertion a;
  a.name = std::move(name);
  a.kind = Assertion::Kind::kHeader;
  a.header_name = std::move(header);
  a.severity = severity;
  return a;
}

inline Assertion HeaderMatches(std::string name, std::string header, std::string pattern,
                               core::Severity severity = core::Severity::kFail) {
  Assertion a = HeaderPresent(std::move(name), std::move(header), severity);
  a.pattern = std::move(pattern);
  return a;
}

inline Assertion HeaderAbsent(std::string name, std::string header,
                              core::Severity severity = core::Severity::kFail) {
  Assertion a = HeaderPresent(std::move(name), std::move(header), severity);
  a.header_absent = true;
  return a;
}

inline config::JsonScalar JString(std::string s) {
  config::JsonScalar v;
  v.type = config::JsonScalar::Type::kString;
  v.string_value = std::move(s);
  return v;
}

inline config::JsonScalar JNumber(double d) {
  config::JsonScalar v;
  v.type = config::JsonScalar::Type::kNumber;
  v.number_value = d;
  return v;
}

inline config::JsonScalar JBool(bool b) {
  config::JsonScalar v;
  v.type = config::JsonScalar::Type::kBool;
  v.bool_value = b;
  return v;
}

inline config::JsonScalar JNull() { return config::JsonScalar{}; }

// A json assertion with its path parsed, as the loader delivers it.
inline Assertion Json(std::string name, const std::string& path, config::JsonOp op,
                      std::vector<config::JsonScalar> values = {}, std::string pattern = "") {
  Assertion a;
  a.name = std::move(name);
  a.kind = Assertion::Kind::kJson;
  a.json_path = path;
  core::Result<core::JsonPath> parsed = core::ParseJsonPath(path);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  if (parsed.ok()) a.json_path_parsed = parsed.value();
  a.json_op = op;
  a.json_values = std::move(values);
  a.pattern = std::move(pattern);
  return a;
}

inline Assertion Composite(std::string name, Assertion::Kind kind, std::vector<Assertion> children,
                           core::Severity severity = core::Severity::kFail) {
  Assertion a;
  a.name = std::move(name);
  a.kind = kind;
  a.severity = severity;
  a.children = std::move(children);
  return a;
}

}  // namespace smoke::probes::testutil
