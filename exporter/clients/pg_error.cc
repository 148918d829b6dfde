#include "exporter/clients/pg_error.h"

#include <cctype>
#include <vector>

namespace smoke::clients {
namespace {

bool IsSqlstateChar(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string TrimRight(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// "<label>:  <routine>, <file>:<line>" (libpq's LOCATION line); returns the routine or "".
std::string LocationRoutine(std::string_view line) {
  const size_t sep = line.find(":  ");
  if (sep == std::string_view::npos) return "";
  std::string_view rest = line.substr(sep + 3);
  const size_t comma = rest.find(", ");
  if (comma == std::string_view::npos || comma == 0) return "";
  const std::string_view routine = rest.substr(0, comma);
  for (char c : routine) {
    if (!IsIdentChar(c)) return "";
  }
  const std::string where = TrimRight(rest.substr(comma + 2));
  const size_t colon = where.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == where.size()) return "";
  for (char c : where.substr(colon + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return "";
  }
  return std::string(routine);
}

}  // namespace

std::string_view PgErrorKindName(PgErrorKind kind) {
  switch (kind) {
    case PgErrorKind::kNone:
      return "none";
    case PgErrorKind::kDns:
      return "dns";
    case PgErrorKind::kConnectionRefused:
      return "connection_refused";
    case PgErrorKind::kConnect:
      return "connect";
    case PgErrorKind::kTls:
      return "tls";
    case PgErrorKind::kTimeout:
      return "timeout";
    case PgErrorKind::kPasswordRequired:
      return "password_required";
    case PgErrorKind::kServer:
      return "server";
    case PgErrorKind::kConnectionLost:
      return "connection_lost";
    case PgErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

bool ParseVerboseServerError(std::string_view text, PgError& out) {
  // The SQLSTATE sits right after the severity: ":  " + 5 characters + ": ".
  size_t found = std::string_view::npos;
  for (size_t pos = text.find(":  "); pos != std::string_view::npos;
       pos = text.find(":  ", pos + 1)) {
    const size_t code = pos + 3;
    if (code + 7 > text.size()) break;
    bool is_code = text.compare(code + 5, 2, ": ") == 0;
    for (size_t i = 0; is_code && i < 5; ++i) is_code = IsSqlstateChar(text[code + i]);
    if (is_code) found = code;
  }
  if (found == std::string_view::npos) return false;
  out.sqlstate = std::string(text.substr(found, 5));
  std::string_view rest = text.substr(found + 7);
  const size_t eol = rest.find('\n');
  out.message = TrimRight(rest.substr(0, eol));
  out.detail.clear();
  out.routine.clear();
  if (eol == std::string_view::npos) return true;
  rest = rest.substr(eol + 1);
  std::vector<std::string_view> lines;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    lines.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest = rest.substr(end + 1);
  }
  for (std::string_view line : lines) {
    if (TrimRight(line).empty()) continue;
    if (std::string routine = LocationRoutine(line); !routine.empty()) {
      out.routine = std::move(routine);
      break;  // LOCATION is the last line of one error
    }
    // DETAIL and HINT lines are indented by libpq; keep them as one line each.
    if (!out.detail.empty()) out.detail += " ";
    out.detail += TrimRight(line);
  }
  return true;
}

std::string FirstLine(std::string_view text, size_t max_bytes) {
  std::string line = TrimRight(text.substr(0, text.find('\n')));
  if (line.size() > max_bytes) line.resize(max_bytes);
  return line;
}

std::string LastErrorLine(std::string_view text, size_t max_bytes) {
  std::string last;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    if (!line.empty() && !std::isspace(static_cast<unsigned char>(line[0])) &&
        !TrimRight(line).empty()) {
      last = TrimRight(line);
    }
    if (end == std::string_view::npos) break;
    text = text.substr(end + 1);
  }
  if (last.size() > max_bytes) last.resize(max_bytes);
  return last;
}

}  // namespace smoke::clients
