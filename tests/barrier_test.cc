// Barrier: n waiters are released together, one of them the leader, and
// the barrier serves the next group after that.
#include "runtime/sync/barrier.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Barrier, ReleasesEachGroupOfNTogetherWithOneLeader) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Barrier barrier(3);
    int leaders = 0, passed = 0;
    auto waiter = [&]() -> Task<> {
      Barrier::WaitResult r = co_await barrier.Wait();
      leaders += r.is_leader ? 1 : 0;
      ++passed;
    };
    for (int group = 1; group <= 2; ++group) {  // the barrier is reusable
      std::vector<JoinHandle<void>> tasks;
      tasks.push_back(Spawn(waiter));
      tasks.push_back(Spawn(waiter));
      co_await YieldNow();
      EXPECT_EQ(passed, (group - 1) * 3);  // two wait for a third
      tasks.push_back(Spawn(waiter));
      for (auto& t : tasks) co_await t;
      EXPECT_EQ(passed, group * 3);
      EXPECT_EQ(leaders, group);
    }
  });
}

TEST(Barrier, TasksOnTwoRuntimesMeet) {
  Barrier barrier(2);
  std::thread other([&] {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> { (void)co_await barrier.Wait(); });
  });
  Runtime rt;
  rt.BlockOn([&]() -> Task<> { (void)co_await barrier.Wait(); });
  other.join();
}

}  // namespace
}  // namespace weft
