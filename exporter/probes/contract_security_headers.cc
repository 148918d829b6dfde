// The security_headers contract: every configured header is present with a safe value. Each
// header is a check of its own (security_header_<name>, reason security_header) with its own
// severity, so a report lists exactly which ones are missing (seed 003 listed four by hand).

#include <re2/re2.h>

#include "exporter/config/contract_parser.h"
#include "exporter/probes/contract_checks.h"
#include "exporter/probes/contract_kinds.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {
namespace {

using core::Reason;

// What the built-in value patterns mean, in words: a report should say "DENY or SAMEORIGIN",
// not show the regex.
std::string DescribeDefault(const config::SecurityHeaderSpec& h) {
  for (const config::SecurityHeaderSpec& d : config::DefaultSecurityHeaders()) {
    if (!EqualsIgnoreCase(d.name, h.name) || d.pattern != h.pattern) continue;
    if (EqualsIgnoreCase(h.name, "X-Content-Type-Options")) return h.name + ": nosniff";
    if (EqualsIgnoreCase(h.name, "X-Frame-Options")) return h.name + ": DENY or SAMEORIGIN";
    if (EqualsIgnoreCase(h.name, "Strict-Transport-Security")) {
      return h.name + " with max-age > 0";
    }
    return h.name + " present and non-empty";
  }
  if (h.pattern.empty()) return h.name + " present and non-empty";
  return h.name + " matching " + Shown(h.pattern);
}

class SecurityHeadersContract : public Contract {
 public:
  struct Header {
    config::SecurityHeaderSpec spec;
    std::string check_name;
    std::string expected;
    std::shared_ptr<const re2::RE2> regex;  // null: present and non-empty
  };

  explicit SecurityHeadersContract(std::vector<Header> headers) : headers_(std::move(headers)) {}

  void Check(const ResponseView& view, ContractReport& report) const override {
    std::string missing;
    std::string unsafe;
    for (const Header& h : headers_) {
      const std::vector<std::string> values = HeaderValues(view, h.spec.name);
      bool ok = false;
      std::string shown;
      for (const std::string& v : values) {
        const bool match = h.regex ? re2::RE2::PartialMatch(v, *h.regex)
                                   : v.find_first_not_of(" \t") != std::string::npos;
        ok = ok || match;
        shown += (shown.empty() ? "" : ", ") + Shown(v);
      }
      if (values.empty()) {
        missing += (missing.empty() ? "" : ", ") + h.spec.name;
      } else if (!ok) {
        unsafe += (unsafe.empty() ? "" : ", ") + h.spec.name;
      }
      report.results.push_back(
          probes::Check(h.check_name, Reason::kSecurityHeader, h.spec.severity, ok, h.expected,
                        values.empty() ? "absent" : PrintableSnippet(shown, kContractActualBytes)));
    }
    if (!missing.empty()) report.details.emplace_back("missing_security_headers", missing);
    if (!unsafe.empty()) report.details.emplace_back("unsafe_security_headers", unsafe);
  }

 private:
  std::vector<Header> headers_;
};

}  // namespace

core::Result<ContractPtr> MakeSecurityHeadersContract(const config::ContractSpec& spec) {
  const std::vector<config::SecurityHeaderSpec> specs =
      spec.headers.empty() ? config::DefaultSecurityHeaders() : spec.headers;
  std::vector<SecurityHeadersContract::Header> headers;
  for (const config::SecurityHeaderSpec& s : specs) {
    SecurityHeadersContract::Header h;
    h.spec = s;
    h.check_name = config::SecurityHeaderCheckName(s.name);
    h.expected = DescribeDefault(s);
    if (!s.pattern.empty()) {
      h.regex = std::make_shared<const re2::RE2>(s.pattern, re2::RE2::Quiet);
      if (!h.regex->ok()) {
        return core::Status::Error("contract \"security_headers\": invalid regex for " + s.name +
                                   ": " + h.regex->error());
      }
    }
    headers.push_back(std::move(h));
  }
  return ContractPtr(std::make_shared<SecurityHeadersContract>(std::move(headers)));
}

}  // namespace smoke::probes
