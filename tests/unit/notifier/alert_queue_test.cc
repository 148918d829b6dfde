// The per-Alertmanager queue: latest state per label set, drop-oldest at capacity, batches that
// stay queued until delivered.

#include "exporter/notifier/alert_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace smoke::notifier {
namespace {

Alert Named(const std::string& name, const std::string& summary = "") {
  Alert a;
  a.labels = {{"alertname", name}};
  if (!summary.empty()) a.annotations = {{"summary", summary}};
  return a;
}

std::vector<std::string> Names(const AlertQueue::Batch& batch) {
  std::vector<std::string> out;
  for (const Alert& a : batch.alerts) {
    std::string name = a.labels.at("alertname");
    auto it = a.annotations.find("summary");
    if (it != a.annotations.end()) name += "/" + it->second;
    out.push_back(name);
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(AlertQueueTest, TakesOldestFirstInBatchesOfAtMostMax) {
  AlertQueue q(10);
  for (const char* n : {"a", "b", "c", "d", "e"}) q.Push(Named(n));
  AlertQueue::Batch first = q.Take(2);
  EXPECT_EQ(Names(first), (Strings{"a", "b"}));
  // Taken alerts stay queued (and counted) until the post's outcome is known, but are not taken
  // twice.
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(Names(q.Take(10)), (Strings{"c", "d", "e"}));
}

TEST(AlertQueueTest, DeliveredBatchLeavesFailedBatchStaysAtTheHead) {
  AlertQueue q(10);
  for (const char* n : {"a", "b", "c"}) q.Push(Named(n));
  AlertQueue::Batch batch = q.Take(2);
  q.Release(batch);  // the post failed
  q.Push(Named("d"));
  AlertQueue::Batch retry = q.Take(2);
  EXPECT_EQ(Names(retry), (Strings{"a", "b"}));
  EXPECT_EQ(q.Remove(retry), 2u);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(Names(q.Take(10)), (Strings{"c", "d"}));
}

TEST(AlertQueueTest, NewerStateOfTheSameAlertReplacesTheQueuedOne) {
  AlertQueue q(10);
  q.Push(Named("a", "v1"));
  q.Push(Named("b"));
  q.Push(Named("a", "v2"));
  EXPECT_EQ(q.size(), 2u);
  // The replacement moved to the back: it is the most recent information.
  EXPECT_EQ(Names(q.Take(10)), (Strings{"b", "a/v2"}));
}

TEST(AlertQueueTest, StateReplacedWhileBeingPostedIsKeptAfterTheOldOneIsDelivered) {
  AlertQueue q(10);
  q.Push(Named("a", "firing"));
  AlertQueue::Batch inflight = q.Take(10);
  q.Push(Named("a", "resolved"));  // arrives during the post
  EXPECT_EQ(q.Remove(inflight), 0u);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(Names(q.Take(10)), (Strings{"a/resolved"}));
}

TEST(AlertQueueTest, DropsTheOldestWhenFull) {
  AlertQueue q(3);
  EXPECT_EQ(q.Push(Named("a")), 0u);
  EXPECT_EQ(q.Push(Named("b")), 0u);
  EXPECT_EQ(q.Push(Named("c")), 0u);
  EXPECT_EQ(q.Push(Named("d")), 1u);
  EXPECT_EQ(q.Push(Named("e")), 1u);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(Names(q.Take(10)), (Strings{"c", "d", "e"}));
}

TEST(AlertQueueTest, ReplacingAQueuedAlertNeverEvicts) {
  AlertQueue q(2);
  q.Push(Named("a", "1"));
  q.Push(Named("b"));
  EXPECT_EQ(q.Push(Named("a", "2")), 0u);
  EXPECT_EQ(Names(q.Take(10)), (Strings{"b", "a/2"}));
}

TEST(AlertQueueTest, DoesNotEvictTheBatchBeingPostedWhileOthersWait) {
  AlertQueue q(3);
  q.Push(Named("a"));
  AlertQueue::Batch inflight = q.Take(1);
  q.Push(Named("b"));
  q.Push(Named("c"));
  EXPECT_EQ(q.Push(Named("d")), 1u);  // evicts b, the oldest waiting one
  EXPECT_EQ(q.Remove(inflight), 1u);
  EXPECT_EQ(Names(q.Take(10)), (Strings{"c", "d"}));
}

TEST(AlertQueueTest, NeverDropsTheNewestStateEvenWhenEverythingElseIsBeingPosted) {
  AlertQueue q(2);
  q.Push(Named("a"));
  q.Push(Named("b"));
  AlertQueue::Batch inflight = q.Take(2);
  EXPECT_EQ(q.Push(Named("c")), 1u);
  EXPECT_EQ(q.size(), 2u);
  q.Remove(inflight);  // b delivered; a was evicted meanwhile
  EXPECT_EQ(Names(q.Take(10)), (Strings{"c"}));
}

TEST(AlertQueueTest, ClearReportsHowManyWereLost) {
  AlertQueue q(5);
  q.Push(Named("a"));
  q.Push(Named("b"));
  EXPECT_EQ(q.Clear(), 2u);
  EXPECT_TRUE(q.empty());
  EXPECT_TRUE(q.Take(10).empty());
}

}  // namespace
}  // namespace smoke::notifier
