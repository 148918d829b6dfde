#include "exporter/probes/postgres_reasons.h"

namespace smoke::probes {
namespace {

using clients::PgErrorKind;

constexpr std::string_view kRoleLookup = "InitializeSessionUserId";

bool IsRoleLookupFailure(const clients::PgError& e) {
  return e.sqlstate == "28000" && e.routine == kRoleLookup;
}

core::Reason ReasonForSqlstate(const std::string& code, const std::string& routine, PgPhase phase) {
  if (code == "28P01") return core::Reason::kAuthFailed;
  if (code == "28000") {
    return routine == kRoleLookup ? core::Reason::kRoleMissing : core::Reason::kAuthFailed;
  }
  if (code == "3D000") return core::Reason::kDatabaseMissing;
  if (code == "42501") return core::Reason::kPermissionDenied;
  if (code == "42P01") return core::Reason::kTableMissing;
  if (code == "57014") return core::Reason::kTimeout;
  if (code.rfind("08", 0) == 0 || code == "53300" || code == "57P01" || code == "57P02" ||
      code == "57P03") {
    return core::Reason::kConnect;
  }
  return phase == PgPhase::kConnect ? core::Reason::kConnect : core::Reason::kQueryFailed;
}

}  // namespace

core::Reason ReasonForPgError(const clients::PgError& error, PgPhase phase) {
  switch (error.kind) {
    case PgErrorKind::kNone:
      return core::Reason::kNone;
    case PgErrorKind::kDns:
      return core::Reason::kDns;
    case PgErrorKind::kConnectionRefused:
      return core::Reason::kConnectionRefused;
    case PgErrorKind::kConnect:
      return core::Reason::kConnect;
    case PgErrorKind::kTls:
      return core::Reason::kTls;
    case PgErrorKind::kTimeout:
      return core::Reason::kTimeout;
    case PgErrorKind::kPasswordRequired:
      return core::Reason::kAuthRequired;
    case PgErrorKind::kConnectionLost:
      return core::Reason::kConnect;
    case PgErrorKind::kInternal:
      return core::Reason::kInternal;
    case PgErrorKind::kServer:
      if (error.sqlstate.empty()) {
        return phase == PgPhase::kConnect ? core::Reason::kConnect : core::Reason::kQueryFailed;
      }
      return ReasonForSqlstate(error.sqlstate, error.routine, phase);
  }
  return core::Reason::kInternal;
}

std::string DescribePgError(const clients::PgError& error, const std::string& user) {
  std::string out =
      error.message.empty() ? std::string(clients::PgErrorKindName(error.kind)) : error.message;
  if (!error.sqlstate.empty()) out += " (SQLSTATE " + error.sqlstate + ")";
  if (error.kind == PgErrorKind::kServer && error.sqlstate == "28P01") {
    out +=
        "; with password authentication PostgreSQL reports a missing role the same way, so "
        "role \"" +
        user + "\" may also not exist";
  } else if (IsRoleLookupFailure(error)) {
    out += "; role \"" + user + "\" does not exist or is not allowed to log in";
  } else if (error.kind == PgErrorKind::kPasswordRequired) {
    out +=
        "; the server asks for a password and none is configured (set password_file or "
        "password_env)";
  } else if (error.kind == PgErrorKind::kTimeout && !error.stage.empty() &&
             error.message.find(error.stage) == std::string::npos) {
    out += " (while " + error.stage + ")";
  }
  return out;
}

}  // namespace smoke::probes
