// The sql_injection contract: a request carrying an injection payload (in query parameter
// `param`, or as a new last path segment) must be answered without a 5xx and without database
// error text in the body. Seed 000 counted a connection error as "request rejected"; here the
// probe fails with the transport's reason instead, because nothing was learned.

#include <cctype>

#include "exporter/probes/contract_checks.h"
#include "exporter/probes/contract_kinds.h"
#include "exporter/probes/sql_error_signatures.h"

namespace smoke::probes {
namespace {

using core::Reason;

// RFC 3986: everything but the unreserved characters is percent-encoded, so the payload reaches
// the application exactly as written whatever quotes, spaces or semicolons it holds.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

class SqlInjectionContract : public Contract {
 public:
  SqlInjectionContract(config::ContractSpec spec, SqlErrorScanner scanner)
      : spec_(std::move(spec)), scanner_(std::move(scanner)) {
    if (spec_.expect_status.empty()) spec_.expect_status = {{200, 299}, {400, 499}};
  }

  std::string Url(const std::string& target) const override {
    std::string base = target.substr(0, target.find('#'));  // fragments are never sent
    const std::string encoded = PercentEncode(spec_.payload);
    if (!spec_.param.empty()) {
      return base + (base.find('?') == std::string::npos ? "?" : "&") + spec_.param + "=" + encoded;
    }
    const size_t query = base.find('?');
    std::string path = base.substr(0, query);
    const std::string rest = query == std::string::npos ? "" : base.substr(query);
    if (path.empty() || path.back() != '/') path += '/';
    return path + encoded + rest;
  }

  void Check(const ResponseView& view, ContractReport& report) const override {
    report.details.emplace_back("payload", spec_.payload);
    std::optional<SqlErrorMatch> leak = scanner_.Find(view.body);
    if (leak) report.details.emplace_back("sql_error_signature", leak->database);
    // The leak first: a 500 that prints the SQL error is an injection finding, not just an error.
    report.results.push_back(
        probes::Check("sql_error_text", Reason::kSqlErrorLeak, spec_.severity, !leak,
                      "no database error text in the body",
                      leak ? leak->database + " error text: " + Shown(leak->text) : "none found"));
    report.results.push_back(RefusalStatusCheck(view, spec_.expect_status, spec_.severity,
                                                Reason::kStatus, "the payload was accepted"));
  }

 private:
  config::ContractSpec spec_;
  SqlErrorScanner scanner_;
};

}  // namespace

core::Result<ContractPtr> MakeSqlInjectionContract(const config::ContractSpec& spec) {
  if (spec.payload.empty()) {
    return core::Status::Error("contract \"sql_injection\": payload must not be empty");
  }
  core::Result<SqlErrorScanner> scanner = SqlErrorScanner::Create(spec.extra_signatures);
  if (!scanner.ok())
    return core::Status::Error("contract \"sql_injection\": " + scanner.status().message());
  return ContractPtr(std::make_shared<SqlInjectionContract>(spec, std::move(scanner).value()));
}

}  // namespace smoke::probes
