// Scale: a million tasks and a 100,000-deep await chain, on a normal stack,
// run to completion and cancelled each way a chain can be cancelled.
#include <chrono>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

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

// Parks at the bottom of an n-deep chain until cancelled; counts the frames
// whose locals were destroyed, so a test sees every level go.
Task<int> DepthForever(int n, int* destroyed) {
  struct Count {
    int* destroyed;
    ~Count() { ++*destroyed; }
  } count{destroyed};
  if (n == 0) {
    co_await testing::Forever();
    co_return 0;
  }
  int below = co_await DepthForever(n - 1, destroyed);
  co_return below + 1;
}

constexpr int kDeep = 100'000;

// Cancelling a deep chain destroys it innermost frame first, one frame at
// a time: each frame's destructors run with its child already gone, in
// constant stack. (Destroyed recursively, ~Task inside ~Task, it overflowed
// the stack at about 45,000 frames, and at about 7,000 under ASan.)
TEST(Scale, AbortingAHundredThousandDeepChainUsesAFlatStack) {
  Runtime rt;
  int destroyed = 0;
  rt.BlockOn([&]() -> Task<> {
    JoinHandle<int> deep = Spawn(DepthForever(kDeep, &destroyed));
    co_await YieldNow();  // parked at the bottom
    deep.Abort();
    JoinResult<int> result = co_await deep;
    EXPECT_TRUE(!result.ok() && result.error().IsCancelled());
  });
  EXPECT_EQ(destroyed, kDeep + 1);
}

TEST(Scale, ATimeoutOverAHundredThousandDeepChainDestroysItFlat) {
  Runtime rt;
  int destroyed = 0;
  rt.BlockOn([&]() -> Task<> {
    TimeoutResult<int> r = co_await Timeout(std::chrono::milliseconds(1),
                                            DepthForever(kDeep, &destroyed));
    EXPECT_TRUE(r.elapsed());
    EXPECT_EQ(destroyed, kDeep + 1);  // gone before Timeout returned
  });
}

TEST(Scale, ShuttingDownWithAHundredThousandDeepChainParkedIsFlat) {
  int destroyed = 0;
  {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      Spawn(DepthForever(kDeep, &destroyed));
      co_await YieldNow();
    });
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, kDeep + 1);
}

// A chain that parked under a Timeout, cancelled from outside before the
// Timeout could fire: every frame, inside the Timeout and above it, goes.
TEST(Scale, AbortingADeepChainThatWaitsInsideATimeoutIsFlat) {
  Runtime rt;
  int destroyed = 0;
  rt.BlockOn([&]() -> Task<> {
    JoinHandle<void> outer = Spawn([&]() -> Task<> {
      TimeoutResult<int> r = co_await Timeout(std::chrono::hours(1),
                                              DepthForever(kDeep, &destroyed));
      ADD_FAILURE() << "resumed: " << r.status();
    });
    co_await YieldNow();
    outer.Abort();
    co_await outer;
  });
  EXPECT_EQ(destroyed, kDeep + 1);
}

}  // namespace
}  // namespace weft
