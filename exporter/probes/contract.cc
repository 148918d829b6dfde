#include "exporter/probes/contract.h"

#include <algorithm>
#include <tuple>

#include "exporter/probes/contract_checks.h"
#include "exporter/probes/contract_kinds.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {

namespace {

// Specs built in code may carry only the text form of a JSON path; the loader fills both.
core::Status FillPath(const std::string& what, const std::string& text, core::JsonPath& parsed) {
  if (text.empty() || text == "$" || !parsed.empty()) return core::Status::Ok();
  core::Result<core::JsonPath> path = core::ParseJsonPath(text);
  if (!path.ok()) return core::Status::Error(what + ": " + path.status().message());
  parsed = *path;
  return core::Status::Ok();
}

}  // namespace

core::Result<ContractPtr> MakeContract(const config::ContractSpec& input) {
  using Kind = config::ContractKind;
  config::ContractSpec spec = input;
  const std::string where = "contract \"" + spec.name + "\" ";
  for (auto [what, text, parsed] :
       {std::tuple{"error_field", &spec.error_field, &spec.error_field_parsed},
        std::tuple{"status_field", &spec.status_field, &spec.status_field_parsed},
        std::tuple{"dependencies_field", &spec.dependencies_field,
                   &spec.dependencies_field_parsed}}) {
    if (core::Status s = FillPath(where + what, *text, *parsed); !s.ok()) return s;
  }
  switch (spec.kind) {
    case Kind::kHealth:
      return MakeHealthContract(spec);
    case Kind::kOpenApi:
      return MakeOpenApiContract(spec);
    case Kind::kNotFound:
    case Kind::kInvalidInput:
    case Kind::kAuthRequired:
    case Kind::kWebhookSignature:
      return MakeRefusalContract(spec);
    case Kind::kSqlInjection:
      return MakeSqlInjectionContract(spec);
    case Kind::kSecurityHeaders:
      return MakeSecurityHeadersContract(spec);
    case Kind::kCors:
      return MakeCorsContract(spec);
  }
  return core::Status::Error("unknown contract kind");
}

core::AssertionResult Check(std::string name, core::Reason reason, core::Severity severity,
                            bool passed, std::string expected, std::string actual) {
  core::AssertionResult r;
  r.name = std::move(name);
  r.reason = reason;
  r.severity = severity;
  r.passed = passed;
  r.expected = std::move(expected);
  r.actual = std::move(actual);
  return r;
}

std::string StatusRangesText(const std::vector<std::pair<int, int>>& ranges) {
  std::string out;
  for (const auto& [lo, hi] : ranges) {
    if (!out.empty()) out += ", ";
    if (lo == hi) {
      out += std::to_string(lo);
    } else if (lo % 100 == 0 && hi == lo + 99) {
      out += std::to_string(lo / 100) + "xx";
    } else {
      out += std::to_string(lo) + "-" + std::to_string(hi);
    }
  }
  return out;
}

bool StatusIn(int code, const std::vector<std::pair<int, int>>& ranges) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const auto& r) { return code >= r.first && code <= r.second; });
}

std::vector<std::string> HeaderValues(const ResponseView& view, std::string_view name) {
  std::vector<std::string> values;
  if (view.headers == nullptr) return values;
  for (const auto& [n, v] : *view.headers) {
    if (EqualsIgnoreCase(n, name)) values.push_back(v);
  }
  return values;
}

std::string Shown(std::string_view text) {
  return "\"" + PrintableSnippet(text, kContractActualBytes) + "\"";
}

core::AssertionResult RefusalStatusCheck(const ResponseView& view,
                                         const std::vector<std::pair<int, int>>& expected,
                                         core::Severity severity, core::Reason accepted_reason,
                                         std::string_view accepted_note) {
  const int code = view.status_code;
  std::string actual = std::to_string(code);
  core::Reason reason = core::Reason::kStatus;
  const bool passed = StatusIn(code, expected);
  if (!passed && code >= 500) {
    reason = core::Reason::kServerError;
    actual += " (a server error instead of a refusal)";
  } else if (!passed && code >= 200 && code < 400) {
    reason = accepted_reason;
    actual += " (" + std::string(accepted_note) + ")";
  }
  return Check("status", reason, severity, passed, "status in " + StatusRangesText(expected),
               std::move(actual));
}

core::AssertionResult NotChecked(std::string name, core::Reason reason, core::Severity severity,
                                 std::string expected, std::string_view why) {
  return Check(std::move(name), reason, severity, false, std::move(expected),
               "not checked: " + std::string(why));
}

void SetHeader(clients::HeaderList& headers, const std::string& name, const std::string& value) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return EqualsIgnoreCase(h.first, name); }),
                headers.end());
  headers.emplace_back(name, value);
}

}  // namespace smoke::probes
