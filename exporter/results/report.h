#pragma once
// The run-once report: what the seeds' hand-written smoke-test reports showed, produced live.
// Per component a table of check, status, duration, message; then totals. Degraded and skipped
// checks are shown as such and never counted as passed.

#include <string>
#include <vector>

#include "exporter/core/probe_result.h"
#include "exporter/results/probe_identity.h"

namespace smoke::results {

enum class ReportFormat { kTable, kMarkdown, kJson };

struct ReportRow {
  ProbeIdentity identity;
  core::ProbeResult result;
};

struct ReportTotals {
  int total = 0, passed = 0, degraded = 0, failed = 0, skipped = 0;
};

ReportTotals CountOutcomes(const std::vector<ReportRow>& rows);
std::string RenderReport(const std::vector<ReportRow>& rows, ReportFormat format);

}  // namespace smoke::results
