// The openapi contract: the target (e.g. /openapi.json) serves a valid OpenAPI 3.x or Swagger
// 2.0 JSON document: a version field, an info object with title and version, a paths object with
// at least min_paths entries, and every required path. Each part is a check of its own, so a
// report says "openapi_paths: 0 paths" rather than "invalid document".

#include <re2/re2.h>

#include <nlohmann/json.hpp>

#include "exporter/config/contract_parser.h"
#include "exporter/probes/contract_checks.h"
#include "exporter/probes/contract_kinds.h"
#include "exporter/probes/json_path_eval.h"

namespace smoke::probes {
namespace {

using core::Reason;
using nlohmann::json;

class OpenApiContract : public Contract {
 public:
  explicit OpenApiContract(config::ContractSpec spec) : spec_(std::move(spec)) {
    if (spec_.expect_status.empty()) spec_.expect_status = {{200, 299}};
  }

  void Check(const ResponseView& view, ContractReport& report) const override {
    const core::Severity sev = spec_.severity;
    report.results.push_back(probes::Check(
        "status", Reason::kStatus, sev, StatusIn(view.status_code, spec_.expect_status),
        "status in " + StatusRangesText(spec_.expect_status), std::to_string(view.status_code)));

    json doc;
    std::string error;
    const bool parsed = ParseJsonBody(view.body, &doc, &error);
    const bool is_object = parsed && doc.is_object();
    report.results.push_back(probes::Check("openapi_json", Reason::kOpenApiInvalid, sev, is_object,
                                           "a JSON object",
                                           !parsed     ? "not JSON: " + error
                                           : is_object ? "a JSON object"
                                                       : "JSON " + TypeName(doc)));

    const std::string version_expected = "\"openapi\": \"3.x\" or \"swagger\": \"2.0\"";
    const std::string info_expected = "an \"info\" object with string \"title\" and \"version\"";
    const std::string paths_expected =
        "a \"paths\" object with at least " + std::to_string(spec_.min_paths) + " path(s)";
    if (!is_object) {
      const std::string why = "the body is not a JSON object";
      report.results.push_back(
          NotChecked("openapi_version", Reason::kOpenApiInvalid, sev, version_expected, why));
      report.results.push_back(
          NotChecked("openapi_info", Reason::kOpenApiInvalid, sev, info_expected, why));
      report.results.push_back(
          NotChecked("openapi_paths", Reason::kOpenApiInvalid, sev, paths_expected, why));
      for (const std::string& path : spec_.required_paths) {
        report.results.push_back(NotChecked(PathCheckName(path), Reason::kOpenApiInvalid, sev,
                                            "path " + Shown(path) + " documented", why));
      }
      return;
    }

    report.results.push_back(Version(doc, version_expected, report));

    auto info = doc.find("info");
    const bool info_ok = info != doc.end() && info->is_object() && info->contains("title") &&
                         (*info)["title"].is_string() && info->contains("version") &&
                         (*info)["version"].is_string();
    report.results.push_back(probes::Check(
        "openapi_info", Reason::kOpenApiInvalid, sev, info_ok, info_expected,
        info == doc.end() ? "no \"info\"" : JsonValueText(*info, kContractActualBytes)));

    auto paths = doc.find("paths");
    const bool paths_object = paths != doc.end() && paths->is_object();
    const int64_t count = paths_object ? static_cast<int64_t>(paths->size()) : 0;
    report.results.push_back(probes::Check("openapi_paths", Reason::kOpenApiInvalid, sev,
                                           paths_object && count >= spec_.min_paths, paths_expected,
                                           paths == doc.end() ? "no \"paths\""
                                           : paths_object     ? std::to_string(count) + " path(s)"
                                                          : "\"paths\" is " + TypeName(*paths)));
    if (paths_object) report.details.emplace_back("openapi_paths", std::to_string(count));
    std::string missing;
    for (const std::string& path : spec_.required_paths) {
      const bool found = paths_object && paths->contains(path);
      if (!found) missing += (missing.empty() ? "" : ", ") + path;
      report.results.push_back(probes::Check(PathCheckName(path), Reason::kOpenApiInvalid, sev,
                                             found, "path " + Shown(path) + " documented",
                                             found ? "documented" : "not in \"paths\""));
    }
    if (!missing.empty()) report.details.emplace_back("openapi_missing_paths", missing);
  }

 private:
  static std::string TypeName(const json& v) {
    if (v.is_array()) return "an array";
    if (v.is_string()) return "a string";
    if (v.is_number()) return "a number";
    if (v.is_boolean()) return "a boolean";
    if (v.is_null()) return "null";
    return "an object";
  }
  static std::string PathCheckName(const std::string& path) {
    return "openapi_path_" + config::ContractNameFragment(path);
  }

  core::AssertionResult Version(const json& doc, const std::string& expected,
                                ContractReport& report) const {
    static const re2::RE2 kOpenApi3(R"(^3\.[0-9]+(\.[0-9]+)?$)");
    auto openapi = doc.find("openapi");
    auto swagger = doc.find("swagger");
    std::string actual = "neither \"openapi\" nor \"swagger\"";
    bool ok = false;
    if (openapi != doc.end()) {
      ok = openapi->is_string() && re2::RE2::FullMatch(openapi->get<std::string>(), kOpenApi3);
      actual = "\"openapi\": " + JsonValueText(*openapi, kContractActualBytes);
      if (openapi->is_string())
        report.details.emplace_back("openapi_version", openapi->get<std::string>());
    } else if (swagger != doc.end()) {
      ok = swagger->is_string() && swagger->get<std::string>() == "2.0";
      actual = "\"swagger\": " + JsonValueText(*swagger, kContractActualBytes);
      if (swagger->is_string())
        report.details.emplace_back("swagger_version", swagger->get<std::string>());
    }
    return probes::Check("openapi_version", Reason::kOpenApiInvalid, spec_.severity, ok, expected,
                         actual);
  }

  config::ContractSpec spec_;
};

}  // namespace

core::Result<ContractPtr> MakeOpenApiContract(const config::ContractSpec& spec) {
  return ContractPtr(std::make_shared<OpenApiContract>(spec));
}

}  // namespace smoke::probes
