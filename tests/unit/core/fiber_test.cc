// Fiber: a function on its own stack that suspends and is resumed where it left off, with
// exceptions, nesting and many interleaved fibers on one thread.

#include "exporter/core/fiber.h"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/use_stack.h"

namespace smoke::core {
namespace {

using ::smoke::testing::UseStack;

TEST(FiberTest, ResumeContinuesWhereTheFiberSuspended) {
  FiberStack stack;
  std::vector<std::string> steps;
  Fiber fiber(
      [&] {
        steps.push_back("a");
        Fiber::Suspend();
        steps.push_back("b");
        Fiber::Suspend();
        steps.push_back("c");
      },
      &stack);
  EXPECT_TRUE(steps.empty()) << "nothing runs before the first Resume";
  EXPECT_FALSE(fiber.Resume());
  EXPECT_EQ(steps, std::vector<std::string>({"a"}));
  steps.push_back("main");
  EXPECT_FALSE(fiber.Resume());
  EXPECT_FALSE(fiber.done());
  EXPECT_TRUE(fiber.Resume());
  EXPECT_TRUE(fiber.done());
  EXPECT_EQ(steps, std::vector<std::string>({"a", "main", "b", "c"}));
  EXPECT_THROW(fiber.Resume(), std::logic_error);
}

TEST(FiberTest, CurrentIsTheRunningFiberAndNestingRestoresIt) {
  EXPECT_EQ(Fiber::Current(), nullptr);
  FiberStack outer_stack;
  FiberStack inner_stack;
  Fiber* seen_outer = nullptr;
  Fiber* seen_inner = nullptr;
  Fiber* after_inner = nullptr;
  std::unique_ptr<Fiber> outer;
  outer = std::make_unique<Fiber>(
      [&] {
        seen_outer = Fiber::Current();
        Fiber inner([&] { seen_inner = Fiber::Current(); }, &inner_stack);
        EXPECT_TRUE(inner.Resume());
        after_inner = Fiber::Current();
      },
      &outer_stack);
  EXPECT_TRUE(outer->Resume());
  EXPECT_EQ(seen_outer, outer.get());
  EXPECT_NE(seen_inner, nullptr);
  EXPECT_NE(seen_inner, outer.get());
  EXPECT_EQ(after_inner, outer.get());
  EXPECT_EQ(Fiber::Current(), nullptr);
}

TEST(FiberTest, AnExceptionReachesTheResumerAndTheStackCanBeReused) {
  FiberStack stack;
  Fiber thrower([] { throw std::runtime_error("boom"); }, &stack);
  EXPECT_THROW(thrower.Resume(), std::runtime_error);
  EXPECT_TRUE(thrower.done());
  int used = 0;
  Fiber deep([&] { used = UseStack(3 * 1024); }, &stack);
  EXPECT_TRUE(deep.Resume());
  EXPECT_EQ(used, 3 * 1024) << "several MiB of stack, as on a thread";
}

TEST(FiberTest, SuspendOutsideAFiberIsRefused) { EXPECT_THROW(Fiber::Suspend(), std::logic_error); }

// What the curl loop does: many fibers on one thread, each suspended with its own locals on its
// own stack, resumed round-robin.
TEST(FiberTest, ManyFibersInterleaveOnOneThreadEachWithItsOwnStack) {
  constexpr int kFibers = 100;
  constexpr int kRounds = 10;
  std::vector<std::unique_ptr<FiberStack>> stacks;
  std::vector<std::unique_ptr<Fiber>> fibers;
  std::vector<long> sums(kFibers, 0);
  for (int i = 0; i < kFibers; ++i) {
    stacks.push_back(std::make_unique<FiberStack>());
    fibers.push_back(std::make_unique<Fiber>(
        [i, &sums] {
          long local = 0;  // lives on this fiber's stack across suspensions
          for (int round = 0; round < kRounds; ++round) {
            local += i + UseStack(8);
            Fiber::Suspend();
          }
          sums[i] = local;
        },
        stacks.back().get()));
  }
  for (int round = 0; round <= kRounds; ++round) {
    for (auto& fiber : fibers) {
      const bool finished = fiber->Resume();
      EXPECT_EQ(finished, round == kRounds);
    }
  }
  for (int i = 0; i < kFibers; ++i) EXPECT_EQ(sums[i], kRounds * (i + 8)) << i;
}

}  // namespace
}  // namespace smoke::core
