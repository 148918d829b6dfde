#include "exporter/config/diagnostics.h"

#include <algorithm>

namespace smoke::config {

void Diagnostics::Error(Mark at, std::string message) {
  ++error_calls_;
  Add(errors_, at, std::move(message));
}

void Diagnostics::Warning(Mark at, std::string message) { Add(warnings_, at, std::move(message)); }

void Diagnostics::Add(std::vector<Finding>& list, Mark at, std::string message) {
  for (const Finding& f : list) {
    if (f.at.line == at.line && f.at.column == at.column && f.message == message) return;
  }
  list.push_back(Finding{at, std::move(message)});
}

std::vector<std::string> Diagnostics::Format(const std::vector<Finding>& list) const {
  std::vector<Finding> sorted = list;
  // Stable: findings at the same node keep the order in which the checks ran.
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Finding& a, const Finding& b) { return a.at < b.at; });
  std::vector<std::string> out;
  out.reserve(sorted.size());
  for (const Finding& f : sorted) {
    if (f.at.line <= 0) {
      out.push_back(file_ + ": " + f.message);
    } else {
      out.push_back(file_ + ":" + std::to_string(f.at.line) + ":" + std::to_string(f.at.column) +
                    ": " + f.message);
    }
  }
  return out;
}

std::string Diagnostics::FormatErrors() const {
  std::string out;
  for (const std::string& line : Format(errors_)) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

std::vector<std::string> Diagnostics::FormatWarnings() const { return Format(warnings_); }

}  // namespace smoke::config
