// The cors contract: what a browser on `origin` needs to call the API. By default the probe sends
// the browser's preflight (OPTIONS with Origin and Access-Control-Request-Method/-Headers, never
// credentials, as the Fetch standard requires) and checks that the answer allows the origin, the
// method, the headers and, if configured, credentials. With preflight: false it sends a plain
// request with Origin and checks Access-Control-Allow-Origin only. Seed 003's "CORS headers
// present" passed on any header at all; this names which permission is missing.

#include <algorithm>
#include <cctype>

#include "exporter/probes/contract_checks.h"
#include "exporter/probes/contract_kinds.h"
#include "exporter/probes/redaction.h"

namespace smoke::probes {
namespace {

using core::Reason;

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// A comma-separated header value (every occurrence of the header joined), items trimmed.
std::vector<std::string> Items(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const std::string& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      const size_t comma = v.find(',', start);
      std::string item = Trim(std::string_view(v).substr(
          start, comma == std::string::npos ? std::string::npos : comma - start));
      if (!item.empty()) items.push_back(std::move(item));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return items;
}

bool Lists(const std::vector<std::string>& items, std::string_view wanted) {
  return std::any_of(items.begin(), items.end(),
                     [&](const std::string& i) { return EqualsIgnoreCase(i, wanted); });
}

std::string JoinShown(const std::vector<std::string>& values) {
  if (values.empty()) return "absent";
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + Shown(v);
  return PrintableSnippet(out, kContractActualBytes);
}

class CorsContract : public Contract {
 public:
  explicit CorsContract(config::ContractSpec spec) : spec_(std::move(spec)) {}

  bool SendsCredentials() const override { return false; }

  void Prepare(clients::HttpRequest& request) const override {
    SetHeader(request.headers, "Origin", spec_.origin);
    if (!spec_.preflight) return;
    request.method = "OPTIONS";
    request.body.clear();
    SetHeader(request.headers, "Access-Control-Request-Method", spec_.request_method);
    if (!spec_.request_headers.empty()) {
      std::string names;
      for (const std::string& h : spec_.request_headers) {
        std::string lower = h;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        names += (names.empty() ? "" : ",") + lower;
      }
      SetHeader(request.headers, "Access-Control-Request-Headers", names);
    }
  }

  void Check(const ResponseView& view, ContractReport& report) const override {
    const core::Severity sev = spec_.severity;
    report.details.emplace_back("cors_origin", spec_.origin);
    const bool status_ok = spec_.preflight ? view.status_code >= 200 && view.status_code < 300
                                           : view.status_code > 0 && view.status_code < 500;
    report.results.push_back(
        probes::Check("cors_status", Reason::kCors, sev, status_ok,
                      spec_.preflight ? "the preflight answered with 2xx" : "a response below 500",
                      std::to_string(view.status_code)));

    const std::vector<std::string> origin = HeaderValues(view, "Access-Control-Allow-Origin");
    const bool wildcard = origin.size() == 1 && Trim(origin[0]) == "*";
    bool origin_ok = origin.size() == 1 && (Trim(origin[0]) == spec_.origin || wildcard);
    std::string origin_actual = JoinShown(origin);
    if (origin.size() > 1) origin_actual += " (browsers reject more than one value)";
    if (wildcard && spec_.credentials) {
      origin_ok = false;
      origin_actual += " (a wildcard is not allowed with credentials)";
    }
    report.results.push_back(probes::Check(
        "cors_allow_origin", Reason::kCors, sev, origin_ok,
        "Access-Control-Allow-Origin: " + spec_.origin + (spec_.credentials ? "" : " (or *)"),
        origin_actual));

    if (spec_.preflight) {
      const std::vector<std::string> raw = HeaderValues(view, "Access-Control-Allow-Methods");
      const std::vector<std::string> methods = Items(raw);
      // GET, HEAD and POST are CORS-safelisted: a preflight that does not list them still allows
      // them (Fetch standard, "CORS-preflight fetch").
      const bool safelisted = spec_.request_method == "GET" || spec_.request_method == "HEAD" ||
                              spec_.request_method == "POST";
      const bool ok = Lists(methods, spec_.request_method) ||
                      (!spec_.credentials && Lists(methods, "*")) || (raw.empty() && safelisted);
      report.results.push_back(probes::Check(
          "cors_allow_methods", Reason::kCors, sev, ok,
          "Access-Control-Allow-Methods allows " + spec_.request_method, JoinShown(raw)));
    }
    if (!spec_.request_headers.empty()) {
      const std::vector<std::string> raw = HeaderValues(view, "Access-Control-Allow-Headers");
      const std::vector<std::string> allowed = Items(raw);
      std::string missing;
      for (const std::string& h : spec_.request_headers) {
        if (!Lists(allowed, h) && !(Lists(allowed, "*") && !spec_.credentials)) {
          missing += (missing.empty() ? "" : ", ") + h;
        }
      }
      std::string wanted;
      for (const std::string& h : spec_.request_headers) wanted += (wanted.empty() ? "" : ", ") + h;
      report.results.push_back(
          probes::Check("cors_allow_headers", Reason::kCors, sev, missing.empty(),
                        "Access-Control-Allow-Headers allows " + wanted,
                        JoinShown(raw) + (missing.empty() ? "" : " (missing: " + missing + ")")));
    }
    if (spec_.credentials) {
      const std::vector<std::string> creds = HeaderValues(view, "Access-Control-Allow-Credentials");
      const bool ok = creds.size() == 1 && Trim(creds[0]) == "true";
      report.results.push_back(probes::Check("cors_allow_credentials", Reason::kCors, sev, ok,
                                             "Access-Control-Allow-Credentials: true",
                                             JoinShown(creds)));
    }
    if (!origin.empty()) {
      report.details.emplace_back("access_control_allow_origin",
                                  PrintableSnippet(origin[0], kContractActualBytes));
    }
  }

 private:
  config::ContractSpec spec_;
};

}  // namespace

core::Result<ContractPtr> MakeCorsContract(const config::ContractSpec& spec) {
  if (spec.origin.empty()) return core::Status::Error("contract \"cors\": origin is required");
  return ContractPtr(std::make_shared<CorsContract>(spec));
}

}  // namespace smoke::probes
