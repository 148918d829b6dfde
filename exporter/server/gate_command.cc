#include "exporter/server/gate_command.h"

#include <algorithm>

#include "exporter/clients/http_client.h"
#include "exporter/core/duration.h"
#include "exporter/promql/labels.h"
#include "exporter/server/query_params.h"

namespace smoke::server {
namespace {

using nlohmann::json;

constexpr size_t kCellLimit = 100;
constexpr int64_t kBodyLimit = 16 << 20;

enum class Answer { kReady, kBlocked, kUndecidable };

struct Poll {
  Answer answer = Answer::kUndecidable;
  json verdict;
  std::string error;  // kUndecidable
};

// The URL without user:password@, for messages.
std::string RedactUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t host = scheme + 3;
  const size_t path = url.find_first_of("/?#", host);
  const size_t at = url.rfind('@', path == std::string::npos ? url.size() : path);
  if (at == std::string::npos || at < host) return url;
  return url.substr(0, host) + "<redacted>@" + url.substr(at + 1);
}

std::string OneLine(std::string s, size_t limit) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (s.size() > limit) s = s.substr(0, limit - 3) + "...";
  return s;
}

std::string Cell(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "-";
  std::string s = it->is_string() ? it->get<std::string>() : it->dump();
  return s.empty() ? "-" : OneLine(s, kCellLimit);
}

// What a person needs to see first: the summary, else the evidence in one line.
std::string EvidenceCell(const json& v) {
  std::string summary = Cell(v, "summary");
  if (summary != "-") return summary;
  auto ev = v.find("evidence");
  if (ev == v.end() || ev->is_null() || (ev->is_object() && ev->empty())) return "-";
  return OneLine(ev->dump(), kCellLimit);
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      s += cells[i];
      if (i + 1 < cells.size()) s += std::string(width[i] - cells[i].size() + 2, ' ');
    }
    out << s << "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

Poll Ask(const clients::CurlHttpClient& client, const std::string& url, core::Duration timeout) {
  Poll p;
  clients::HttpRequest request;
  request.url = url;
  request.headers = {{"Accept", "application/json"}, {"User-Agent", "smoke_exporter-gate"}};
  request.body_limit = kBodyLimit;
  const clients::HttpResponse response =
      client.Execute(request, std::chrono::steady_clock::now() + timeout);
  if (!response.status.ok()) {
    p.error = "cannot reach " + RedactUrl(url) + ": " + response.status.message;
    return p;
  }
  const int code = response.status_code;
  if (code != 200 && code != 503) {
    p.error = RedactUrl(url) + " answered HTTP " + std::to_string(code) + ": " +
              OneLine(response.body, 200);
    return p;
  }
  p.verdict = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const json& v = p.verdict;
  const bool shaped = !v.is_discarded() && v.is_object() && v.contains("ready") &&
                      v["ready"].is_boolean() && v.contains("violations") &&
                      v["violations"].is_array();
  if (!shaped) {
    p.error = RedactUrl(url) + " did not answer with a readiness verdict (HTTP " +
              std::to_string(code) + "): " + OneLine(response.body, 200);
    return p;
  }
  const bool ready = v["ready"].get<bool>();
  if (ready && (code != 200 || !v["violations"].empty())) {
    p.error = RedactUrl(url) + " answered a contradictory verdict (HTTP " + std::to_string(code) +
              ", ready with " + std::to_string(v["violations"].size()) + " violations)";
    return p;
  }
  p.answer = ready ? Answer::kReady : Answer::kBlocked;
  return p;
}

std::string Reasons(const json& violations) {
  std::vector<std::string> reasons;
  for (const json& v : violations) {
    std::string r = Str(v, "reason");
    if (!r.empty() && std::find(reasons.begin(), reasons.end(), r) == reasons.end()) {
      reasons.push_back(r);
    }
  }
  std::string out;
  for (const std::string& r : reasons) out += (out.empty() ? "" : ", ") + r;
  return out;
}

void PrintVerdict(const Poll& p, std::ostream& out) {
  const json& v = p.verdict;
  const std::string id = Str(v, "decision_id");
  const std::string at = Str(v, "evaluated_at");
  if (p.answer == Answer::kReady) {
    out << "READY: decision " << id << " evaluated " << at << "\n";
  } else {
    const size_t n = v["violations"].size();
    out << "BLOCKED: " << n << (n == 1 ? " violation" : " violations") << " (decision " << id
        << ", evaluated " << at << ")\n";
    PrintViolationsTable(v["violations"], out);
  }
  if (auto w = v.find("waived"); w != v.end() && w->is_array() && !w->empty()) {
    out << "\nWaived by Alertmanager silences:\n";
    PrintWaivedTable(*w, out);
  }
  if (v.value("waivers_unavailable", false)) {
    std::string why;
    if (auto w = v.find("waivers"); w != v.end() && w->is_object()) why = Str(*w, "error");
    out << "\nNote: waivers are unavailable (silences could not be read"
        << (why.empty() ? "" : ": " + why) << "); no blocker was waived.\n";
  }
}

}  // namespace

void PrintViolationsTable(const json& violations, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  for (const json& v : violations) {
    if (!v.is_object()) continue;
    rows.push_back({Cell(v, "alert"), Cell(v, "reason"), Cell(v, "component"), Cell(v, "probe"),
                    Cell(v, "severity"), Cell(v, "since"), EvidenceCell(v)});
  }
  PrintTable({"ALERT", "REASON", "COMPONENT", "PROBE", "SEVERITY", "SINCE", "EVIDENCE"}, rows, out);
}

void PrintWaivedTable(const json& waived, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  for (const json& v : waived) {
    if (!v.is_object()) continue;
    rows.push_back({Cell(v, "alert"), Cell(v, "reason"), Cell(v, "silence_id"),
                    Cell(v, "created_by"), Cell(v, "ends_at"), Cell(v, "comment")});
  }
  PrintTable({"ALERT", "REASON", "SILENCE", "CREATED_BY", "ENDS_AT", "COMMENT"}, rows, out);
}

int RunGateCommand(const GateCommandOptions& options, std::ostream& out, std::ostream& err) {
  core::Clock* clock = options.clock ? options.clock : &core::SystemClock::Default();
  core::Result<core::Duration> wait = core::ParseDuration(options.wait);
  if (!wait.ok()) {
    err << "error: invalid --wait \"" << options.wait << "\" (expected a duration such as 10m)\n";
    return kGateExitUndecidable;
  }
  core::Result<core::Duration> interval = core::ParseDuration(options.interval);
  if (!interval.ok() || interval->count() <= 0) {
    err << "error: invalid --interval \"" << options.interval
        << "\" (expected a duration greater than 0, such as 10s)\n";
    return kGateExitUndecidable;
  }
  std::string query;
  for (const std::string& s : options.selectors) {
    const size_t eq = s.find('=');
    const std::string name = eq == std::string::npos ? s : s.substr(0, eq);
    if (eq == std::string::npos || eq + 1 == s.size() || !promql::IsValidLabelName(name)) {
      err << "error: invalid --selector \"" << s
          << "\" (expected label=value, e.g. component=api)\n";
      return kGateExitUndecidable;
    }
    query += (query.empty() ? "?" : "&") + UrlEncode(name) + "=" + UrlEncode(s.substr(eq + 1));
  }
  std::string base = options.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string kPath = "/api/v1/readiness";
  if (base.size() < kPath.size() || base.compare(base.size() - kPath.size(), kPath.size(), kPath)) {
    base += kPath;
  }
  const std::string url = base + query;

  const clients::CurlHttpClient client;
  const core::TimePoint deadline =
      clock->Now() + std::chrono::duration_cast<core::TimePoint::duration>(*wait);
  while (true) {
    const Poll p = Ask(client, url, options.request_timeout);
    const core::TimePoint now = clock->Now();
    if (p.answer == Answer::kReady || now >= deadline) {
      if (p.answer == Answer::kUndecidable) {
        err << "error: " << p.error << "\n";
        if (wait->count() > 0) err << "gave up after " << options.wait << "\n";
        return kGateExitUndecidable;
      }
      PrintVerdict(p, out);
      return p.answer == Answer::kReady ? kGateExitReady : kGateExitBlocked;
    }
    const std::string note = p.answer == Answer::kBlocked
                                 ? "blocked: " + std::to_string(p.verdict["violations"].size()) +
                                       " violation(s): " + Reasons(p.verdict["violations"])
                                 : "undecidable: " + p.error;
    const auto left = std::chrono::duration_cast<core::Duration>(deadline - now);
    err << note << "; asking again in " << core::FormatDuration(*interval) << " ("
        << core::FormatDuration(std::chrono::duration_cast<std::chrono::seconds>(left))
        << " left)\n";
    const core::TimePoint next =
        now + std::chrono::duration_cast<core::TimePoint::duration>(*interval);
    clock->SleepUntil(std::min(next, deadline));
  }
}

}  // namespace smoke::server
