// Contracts whose request must be refused cleanly, with a 4xx and never a 5xx:
//   not_found          an unknown path: 404 with a JSON error field (default $.detail)
//   invalid_input      an invalid id or ticker: any 4xx (optionally with a JSON error field)
//   auth_required      no credentials: 401 or 403; the probe's own credentials are not sent
//   webhook_signature  an unsigned webhook (POST {} by default): 400, 401, 403 or 422, not the
//                      500 of seed 003; no credentials are sent either
// A 5xx fails with reason server_error (the handler crashed on input it should have refused); a
// 2xx/3xx with status (not_found, invalid_input) or auth_not_enforced (the other two).

#include <nlohmann/json.hpp>

#include "exporter/probes/contract_checks.h"
#include "exporter/probes/contract_kinds.h"
#include "exporter/probes/json_path_eval.h"

namespace smoke::probes {
namespace {

using core::Reason;
using Kind = config::ContractKind;

class RefusalContract : public Contract {
 public:
  explicit RefusalContract(config::ContractSpec spec) : spec_(std::move(spec)) {
    if (!spec_.expect_status.empty()) return;
    switch (spec_.kind) {
      case Kind::kNotFound:
        spec_.expect_status = {{404, 404}};
        break;
      case Kind::kAuthRequired:
        spec_.expect_status = {{401, 401}, {403, 403}};
        break;
      case Kind::kWebhookSignature:
        spec_.expect_status = {{400, 400}, {401, 401}, {403, 403}, {422, 422}};
        break;
      default:
        spec_.expect_status = {{400, 499}};
        break;
    }
  }

  bool SendsCredentials() const override {
    return spec_.kind != Kind::kAuthRequired && spec_.kind != Kind::kWebhookSignature;
  }

  void Prepare(clients::HttpRequest& request) const override {
    if (spec_.kind != Kind::kWebhookSignature) return;
    request.method = spec_.method.empty() ? "POST" : spec_.method;
    request.body = spec_.body.value_or("{}");
    if (!spec_.content_type.empty()) SetHeader(request.headers, "Content-Type", spec_.content_type);
  }

  void Check(const ResponseView& view, ContractReport& report) const override {
    const bool auth = !SendsCredentials();
    const char* note = spec_.kind == Kind::kNotFound       ? "the unknown path was served"
                       : spec_.kind == Kind::kInvalidInput ? "the invalid input was accepted"
                       : spec_.kind == Kind::kAuthRequired ? "served without credentials"
                                                           : "the unsigned webhook was accepted";
    report.results.push_back(RefusalStatusCheck(view, spec_.expect_status, spec_.severity,
                                                auth ? Reason::kAuthNotEnforced : Reason::kStatus,
                                                note));
    if (spec_.error_field.empty()) return;
    const std::string expected = "a JSON error body with " + spec_.error_field;
    nlohmann::json doc;
    std::string error;
    if (!ParseJsonBody(view.body, &doc, &error)) {
      report.results.push_back(probes::Check("error_field", Reason::kJson, spec_.severity, false,
                                             expected, "not JSON: " + error));
      return;
    }
    const nlohmann::json* value = ResolveJsonPath(doc, spec_.error_field_parsed);
    const bool present = value != nullptr && !value->is_null();
    if (present) report.details.emplace_back("error", JsonValueText(*value, kContractActualBytes));
    report.results.push_back(probes::Check(
        "error_field", Reason::kJson, spec_.severity, present, expected,
        present ? JsonValueText(*value, kContractActualBytes)
                : spec_.error_field + " absent in " + JsonValueText(doc, kContractActualBytes)));
  }

 private:
  config::ContractSpec spec_;
};

}  // namespace

core::Result<ContractPtr> MakeRefusalContract(const config::ContractSpec& spec) {
  return ContractPtr(std::make_shared<RefusalContract>(spec));
}

}  // namespace smoke::probes
