// RunOnBigStack: the function runs on the calling thread with far more stack than CivetWeb's
// 100 KB workers have, its exceptions reach the caller, nested calls run in place, and every
// thread gets a stack of its own.

#include "exporter/server/big_stack.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/support/use_stack.h"

namespace smoke::server {
namespace {

using ::smoke::testing::UseStack;

TEST(BigStackTest, RunsOnTheCallingThreadWithSeveralMegabytesOfStack) {
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id ran_on;
  int used = 0;
  RunOnBigStack([&] {
    ran_on = std::this_thread::get_id();
    used = UseStack(3 * 1024);
  });
  EXPECT_EQ(ran_on, caller);
  EXPECT_EQ(used, 3 * 1024);
}

TEST(BigStackTest, ExceptionsReachTheCallerAndTheStackIsReusedAfterwards) {
  EXPECT_THROW(RunOnBigStack([] { throw std::runtime_error("boom"); }), std::runtime_error);
  int calls = 0;
  for (int i = 0; i < 1000; ++i) RunOnBigStack([&] { ++calls; });
  EXPECT_EQ(calls, 1000);
}

TEST(BigStackTest, NestedCallsRunInPlace) {
  int inner = 0;
  RunOnBigStack([&] { RunOnBigStack([&] { inner = UseStack(1024); }); });
  EXPECT_EQ(inner, 1024);
}

// Threads with 100 KB stacks, as CivetWeb's workers, each running deep work at once.
TEST(BigStackTest, EveryThreadHasItsOwnStack) {
  std::vector<int> results(4, 0);
  std::vector<pthread_t> threads(results.size());
  struct Arg {
    int* out;
  };
  std::vector<Arg> args;
  for (int& r : results) args.push_back({&r});
  for (size_t i = 0; i < threads.size(); ++i) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 100 * 1024);
    ASSERT_EQ(pthread_create(
                  &threads[i], &attr,
                  [](void* a) -> void* {
                    RunOnBigStack([a] { *static_cast<Arg*>(a)->out = UseStack(2 * 1024); });
                    return nullptr;
                  },
                  &args[i]),
              0);
    pthread_attr_destroy(&attr);
  }
  for (pthread_t t : threads) pthread_join(t, nullptr);
  for (int r : results) EXPECT_EQ(r, 2 * 1024);
}

}  // namespace
}  // namespace smoke::server
