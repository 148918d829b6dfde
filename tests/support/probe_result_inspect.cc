#include "tests/support/probe_result_inspect.h"

namespace smoke::testing {

const core::AssertionResult* FindAssertion(const core::ProbeResult& r, std::string_view name) {
  for (const core::AssertionResult& a : r.assertions) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::optional<double> Measured(const core::ProbeResult& r, std::string_view name,
                               const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const core::Measurement& m : r.measurements) {
    if (m.name == name && m.labels == labels) return m.value;
  }
  return std::nullopt;
}

std::optional<double> PhaseSeconds(const core::ProbeResult& r, std::string_view name) {
  for (const core::Phase& p : r.phases) {
    if (p.name == name) return p.seconds;
  }
  return std::nullopt;
}

std::string Detail(const core::ProbeResult& r, std::string_view key) {
  for (const auto& [k, v] : r.evidence.details) {
    if (k == key) return v;
  }
  return "";
}

std::string EverythingShown(const core::ProbeResult& r) {
  std::string all = r.message + "\n" + r.evidence.resolved_address + "\n" + r.evidence.body_snippet;
  for (const auto& [k, v] : r.evidence.headers) all += "\n" + k + ": " + v;
  for (const auto& [k, v] : r.evidence.details) all += "\n" + k + "=" + v;
  for (const core::AssertionResult& a : r.assertions) {
    all += "\n" + a.name + " " + a.expected + " " + a.actual;
  }
  for (const core::Phase& p : r.phases) all += "\n" + p.name;
  for (const core::Measurement& m : r.measurements) {
    all += "\n" + m.name;
    for (const auto& [k, v] : m.labels) all += " " + k + "=" + v;
  }
  return all;
}

std::string Describe(const core::ProbeResult& r) {
  return std::string(core::OutcomeName(r.outcome)) + "/" + std::string(core::ReasonName(r.reason)) +
         ": " + EverythingShown(r);
}

}  // namespace smoke::testing
