#include "exporter/notifier/alert_queue.h"

#include <algorithm>

namespace smoke::notifier {

AlertQueue::AlertQueue(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

void AlertQueue::Erase(List::iterator it) {
  by_key_.erase(it->key);
  entries_.erase(it);
}

size_t AlertQueue::Push(Alert alert) {
  std::string key = LabelSetKey(alert.labels);
  if (auto found = by_key_.find(key); found != by_key_.end()) {
    entries_.erase(found->second);
    by_key_.erase(found);
  }
  entries_.push_back(Entry{key, next_sequence_++, std::move(alert), false});
  by_key_.emplace(std::move(key), std::prev(entries_.end()));
  if (entries_.size() <= capacity_) return 0;

  auto victim =
      std::find_if(entries_.begin(), entries_.end(), [](const Entry& e) { return !e.posting; });
  // The new alert is never posting, so a victim exists; it is the new alert itself only when
  // everything older is being posted: then the oldest posting one goes instead, because
  // drop-oldest must never drop the newest state.
  if (victim == std::prev(entries_.end())) victim = entries_.begin();
  Erase(victim);
  return 1;
}

AlertQueue::Batch AlertQueue::Take(size_t max) {
  Batch batch;
  for (Entry& entry : entries_) {
    if (batch.size() >= max) break;
    if (entry.posting) continue;
    entry.posting = true;
    batch.alerts.push_back(entry.alert);
    batch.ids.emplace_back(entry.key, entry.sequence);
  }
  return batch;
}

size_t AlertQueue::Remove(const Batch& batch) {
  size_t removed = 0;
  for (const auto& [key, sequence] : batch.ids) {
    auto found = by_key_.find(key);
    if (found == by_key_.end() || found->second->sequence != sequence) continue;
    Erase(found->second);
    ++removed;
  }
  return removed;
}

void AlertQueue::Release(const Batch& batch) {
  for (const auto& [key, sequence] : batch.ids) {
    auto found = by_key_.find(key);
    if (found != by_key_.end() && found->second->sequence == sequence) {
      found->second->posting = false;
    }
  }
}

size_t AlertQueue::Clear() {
  const size_t n = entries_.size();
  entries_.clear();
  by_key_.clear();
  return n;
}

}  // namespace smoke::notifier
