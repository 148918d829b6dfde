#include "exporter/results/report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "exporter/results/probe_json.h"

namespace smoke::results {
namespace {

std::string StatusText(core::Outcome o, bool markdown) {
  switch (o) {
    case core::Outcome::kOk: return markdown ? "✅ PASS" : "PASS";
    case core::Outcome::kDegraded: return markdown ? "⚠️ DEGRADED" : "DEGRADED";
    case core::Outcome::kFailed: return markdown ? "❌ FAIL" : "FAIL";
    case core::Outcome::kSkipped: return markdown ? "⏭️ SKIPPED" : "SKIPPED";
  }
  return "FAIL";
}

std::string Millis(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fms", seconds * 1000);
  return buf;
}

std::string Message(const core::ProbeResult& r) {
  std::string m = r.message;
  if (r.outcome != core::Outcome::kOk) m = "[" + std::string(core::ReasonName(r.reason)) + "] " + m;
  std::replace(m.begin(), m.end(), '\n', ' ');
  std::replace(m.begin(), m.end(), '|', '/');
  return m;
}

std::map<std::string, std::vector<const ReportRow*>> ByComponent(const std::vector<ReportRow>& rows) {
  std::map<std::string, std::vector<const ReportRow*>> groups;
  for (const ReportRow& row : rows) groups[row.identity.component].push_back(&row);
  return groups;
}

std::string Percent(int n, int total) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", total == 0 ? 0.0 : 100.0 * n / total);
  return buf;
}

std::string TotalsLine(const ReportTotals& t) {
  return "Total: " + std::to_string(t.total) + "  Passed: " + std::to_string(t.passed) + " (" +
         Percent(t.passed, t.total) + ")  Degraded: " + std::to_string(t.degraded) +
         "  Failed: " + std::to_string(t.failed) + "  Skipped: " + std::to_string(t.skipped);
}

std::string RenderTable(const std::vector<ReportRow>& rows) {
  std::string out;
  for (const auto& [component, group] : ByComponent(rows)) {
    size_t name_width = 5;
    for (const ReportRow* row : group) name_width = std::max(name_width, row->identity.name.size());
    out += "== " + component + " ==\n";
    char line[512];
    std::snprintf(line, sizeof line, "%-*s  %-8s  %10s  %s\n", static_cast<int>(name_width),
                  "CHECK", "STATUS", "DURATION", "MESSAGE");
    out += line;
    for (const ReportRow* row : group) {
      std::snprintf(line, sizeof line, "%-*s  %-8s  %10s  ", static_cast<int>(name_width),
                    row->identity.name.c_str(), StatusText(row->result.outcome, false).c_str(),
                    Millis(row->result.duration_seconds).c_str());
      out += line + Message(row->result) + "\n";
    }
    out += "\n";
  }
  out += TotalsLine(CountOutcomes(rows)) + "\n";
  return out;
}

std::string RenderMarkdown(const std::vector<ReportRow>& rows) {
  std::string out = "# Smoke test report\n\n";
  for (const auto& [component, group] : ByComponent(rows)) {
    out += "## " + component + "\n\n| Check | Status | Duration | Message |\n|---|---|---|---|\n";
    for (const ReportRow* row : group) {
      out += "| " + row->identity.name + " | " + StatusText(row->result.outcome, true) + " | " +
             Millis(row->result.duration_seconds) + " | " + Message(row->result) + " |\n";
    }
    out += "\n";
  }
  const ReportTotals t = CountOutcomes(rows);
  out += "## Totals\n\n- **Total:** " + std::to_string(t.total) + "\n- **Passed:** " +
         std::to_string(t.passed) + " (" + Percent(t.passed, t.total) + ")\n- **Degraded:** " +
         std::to_string(t.degraded) + "\n- **Failed:** " + std::to_string(t.failed) +
         "\n- **Skipped (not passed):** " + std::to_string(t.skipped) + "\n";
  return out;
}

std::string RenderJson(const std::vector<ReportRow>& rows) {
  nlohmann::json checks = nlohmann::json::array();
  for (const ReportRow& row : rows) {
    nlohmann::json j = ResultToJson(row.result);
    j["name"] = row.identity.name;
    j["component"] = row.identity.component;
    j["kind"] = row.identity.kind;
    j["target"] = row.identity.target;
    checks.push_back(std::move(j));
  }
  const ReportTotals t = CountOutcomes(rows);
  nlohmann::json totals = {{"total", t.total},       {"passed", t.passed},
                           {"degraded", t.degraded}, {"failed", t.failed},
                           {"skipped", t.skipped}};
  return DumpJson({{"checks", checks}, {"totals", totals}}, 2) + "\n";
}

}  // namespace

ReportTotals CountOutcomes(const std::vector<ReportRow>& rows) {
  ReportTotals t;
  for (const ReportRow& row : rows) {
    ++t.total;
    switch (row.result.outcome) {
      case core::Outcome::kOk: ++t.passed; break;
      case core::Outcome::kDegraded: ++t.degraded; break;
      case core::Outcome::kFailed: ++t.failed; break;
      case core::Outcome::kSkipped: ++t.skipped; break;
    }
  }
  return t;
}

std::string RenderReport(const std::vector<ReportRow>& rows, ReportFormat format) {
  switch (format) {
    case ReportFormat::kTable: return RenderTable(rows);
    case ReportFormat::kMarkdown: return RenderMarkdown(rows);
    case ReportFormat::kJson: return RenderJson(rows);
  }
  return RenderTable(rows);
}

}  // namespace smoke::results
