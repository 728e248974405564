// Scale: a million tasks and a 100,000-deep await chain, on a normal stack.
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace weft {
namespace {

TEST(Scale, AMillionTasksSpawnedAndJoined) {
  constexpr int kTasks = 1'000'000;
  Runtime rt;
  long long sum = rt.BlockOn([]() -> Task<long long> {
    std::vector<JoinHandle<int>> handles;
    handles.reserve(kTasks);
    for (int i = 0; i < kTasks; ++i) {
      handles.push_back(Spawn([i]() -> Task<int> { co_return i % 7; }));
    }
    long long total = 0;
    for (auto& h : handles) total += *(co_await h);
    co_return total;
  });
  long long expected = 0;
  for (int i = 0; i < kTasks; ++i) expected += i % 7;
  EXPECT_EQ(sum, expected);
}

Task<int> Depth(int n) {
  if (n == 0) co_return 0;
  int below = co_await Depth(n - 1);
  co_return below + 1;
}

// Every level suspends into its child and is resumed by it: with symmetric
// transfer both directions are tail calls, so the stack does not grow.
TEST(Scale, HundredThousandDeepAwaitChain) {
  Runtime rt;
  EXPECT_EQ(rt.BlockOn(Depth(100'000)), 100'000);
}

Task<int> DepthParked(int n) {
  if (n == 0) {
    co_await YieldNow();  // the whole chain parks once, at the bottom
    co_return 0;
  }
  int below = co_await DepthParked(n - 1);
  co_return below + 1;
}

TEST(Scale, DeepChainParksAndResumesAtTheInnermostFrame) {
  Runtime rt;
  EXPECT_EQ(rt.BlockOn(DepthParked(100'000)), 100'000);
}

}  // namespace
}  // namespace weft
