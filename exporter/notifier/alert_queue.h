#pragma once
// The pending alerts of one Alertmanager: bounded, holding only the latest state of each alert
// (by label set), oldest first.
//
// - Push of an alert whose label set is already queued replaces the queued one and moves it to
//   the back: the queue holds each alert's latest state, and "oldest" means "least recently
//   updated", which is what drop-oldest should throw away first.
// - Past capacity the oldest alert is evicted. An alert that is being posted right now is
//   skipped (its fate is decided by the post), unless every other queued alert is being posted
//   too, which only happens when capacity is smaller than the batch size.
// - A batch is taken from the front and stays queued while it is posted: Remove() after
//   success (or rejection), Release() after a failure keeps it at the front for the retry. An
//   alert replaced while its older state was being posted stays queued with the newer state.
//
// Thread-safety: not thread-safe; the owner (AlertmanagerSender) serialises access.

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "exporter/notifier/alert.h"

namespace smoke::notifier {

class AlertQueue {
 public:
  // A copy of the alerts taken for one post, and which queued states they were.
  struct Batch {
    std::vector<Alert> alerts;
    std::vector<std::pair<std::string, uint64_t>> ids;  // (label-set key, state sequence)
    bool empty() const { return alerts.empty(); }
    size_t size() const { return alerts.size(); }
  };

  explicit AlertQueue(size_t capacity);

  // Queues `alert`; returns how many alerts were evicted to stay within capacity (0 or 1).
  size_t Push(Alert alert);
  // Up to `max` alerts from the front (fewer if fewer are waiting), marked as being posted.
  // Alerts already being posted are not taken again.
  Batch Take(size_t max);
  // The batch was delivered (or rejected for good): its alerts leave the queue unless a newer
  // state replaced them meanwhile. Returns how many left.
  size_t Remove(const Batch& batch);
  // The post failed: the batch's alerts stay where they are, available to Take again.
  void Release(const Batch& batch);
  // Empties the queue; returns how many alerts were in it.
  size_t Clear();

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    std::string key;
    uint64_t sequence = 0;
    Alert alert;
    bool posting = false;
  };
  using List = std::list<Entry>;

  void Erase(List::iterator it);

  size_t capacity_;
  uint64_t next_sequence_ = 1;
  List entries_;  // oldest first
  std::unordered_map<std::string, List::iterator> by_key_;
};

}  // namespace smoke::notifier
