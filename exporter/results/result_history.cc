#include "exporter/results/result_history.h"

namespace smoke::results {

void ResultHistory::Add(HistoryEntry entry) {
  if (entry.result.outcome != core::Outcome::kOk) {
    failures_.push_back(entry);
    while (failures_.size() > failure_limit_) failures_.pop_front();
  }
  recent_.push_back(std::move(entry));
  while (recent_.size() > limit_) recent_.pop_front();
}

void ResultHistory::Resize(size_t limit, size_t failure_limit) {
  limit_ = limit;
  failure_limit_ = failure_limit;
  while (recent_.size() > limit_) recent_.pop_front();
  while (failures_.size() > failure_limit_) failures_.pop_front();
}

}  // namespace smoke::results
