// Decision ids are unique and sort by time, also within one millisecond and when the clock
// steps back, so the decision log and a deploy script's output can be ordered by id.

#include "exporter/readiness/decision_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace smoke::readiness {
namespace {

TEST(DecisionIdTest, IsAUlidCarryingTheTime) {
  DecisionIdGenerator gen;
  const std::string id = gen.Next(1'761'365'280'243);
  EXPECT_EQ(id.size(), 26u);
  EXPECT_EQ(id.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos) << id;
  EXPECT_EQ(DecisionIdTime(id), 1'761'365'280'243);
  EXPECT_EQ(DecisionIdTime("not-an-id"), -1);
}

TEST(DecisionIdTest, StrictlyIncreasingWithinAMillisecondAndWhenTheClockStepsBack) {
  DecisionIdGenerator gen;
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(gen.Next(1'000'000));
  ids.push_back(gen.Next(999'000));  // NTP stepped the clock back
  ids.push_back(gen.Next(1'000'001));
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]) << i;
}

TEST(DecisionIdTest, UniqueAcrossThreads) {
  DecisionIdGenerator gen;
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&gen, &out] {
      for (int i = 0; i < 500; ++i) out.push_back(gen.Next(42));
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& out : per_thread) all.insert(out.begin(), out.end());
  EXPECT_EQ(all.size(), 2000u);
}

}  // namespace
}  // namespace smoke::readiness
