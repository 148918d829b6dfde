#pragma once
// A bounded record of one probe's recent results. Failures (anything not ok) are also kept in a
// second ring so that a burst of successes cannot evict the evidence of the last incident
// (blackbox_exporter #350).
// Thread-safety: not thread-safe; owned and locked by ResultStore.

#include <cstdint>
#include <deque>
#include <vector>

#include "exporter/core/probe_result.h"

namespace smoke::results {

struct HistoryEntry {
  uint64_t sequence = 0;  // per probe, increasing from 1
  core::ProbeResult result;
};

class ResultHistory {
 public:
  ResultHistory(size_t limit, size_t failure_limit) : limit_(limit), failure_limit_(failure_limit) {}

  void Add(HistoryEntry entry);
  void Resize(size_t limit, size_t failure_limit);
  // Newest first.
  std::vector<HistoryEntry> Recent() const { return {recent_.rbegin(), recent_.rend()}; }
  std::vector<HistoryEntry> Failures() const { return {failures_.rbegin(), failures_.rend()}; }
  const HistoryEntry* LastFailure() const { return failures_.empty() ? nullptr : &failures_.back(); }

 private:
  size_t limit_;
  size_t failure_limit_;
  std::deque<HistoryEntry> recent_;
  std::deque<HistoryEntry> failures_;
};

}  // namespace smoke::results
