// JoinSet: results in completion order, AbortAll, Len, and a set that
// aborts its tasks when destroyed.
#include "runtime/sched/join_set.h"

#include <chrono>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

using namespace std::chrono_literals;

TEST(JoinSet, ResultsComeInTheOrderTheTasksFinish) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    JoinSet<int> set;
    for (int ms : {30, 10, 20}) {
      set.Spawn(
          [](int ms) -> Task<int> {
            co_await Sleep(std::chrono::milliseconds(ms));
            co_return ms;
          },
          ms);
    }
    EXPECT_EQ(set.Len(), 3u);
    std::vector<int> order;
    while (std::optional<JoinResult<int>> done = co_await set.JoinNext()) {
      EXPECT_TRUE(done->ok());
      order.push_back(**done);
    }
    EXPECT_EQ(order, (std::vector<int>{10, 20, 30}));
    EXPECT_TRUE(set.IsEmpty());
  });
}

TEST(JoinSet, AbortAllReportsEveryUnfinishedTaskAsCancelled) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    JoinSet<void> set;
    set.Spawn([]() -> Task<> { co_return; });
    for (int i = 0; i < 2; ++i)
      set.Spawn([]() -> Task<> { co_await testing::Forever(); });
    co_await YieldNow();  // the first finishes, the others park
    set.AbortAll();
    int finished = 0, cancelled = 0;
    while (std::optional<JoinResult<void>> done = co_await set.JoinNext()) {
      if (done->ok()) {
        ++finished;
      } else if (done->error().IsCancelled()) {
        ++cancelled;
      }
    }
    EXPECT_EQ(finished, 1);
    EXPECT_EQ(cancelled, 2);
  });
}

TEST(JoinSet, DestroyingTheSetAbortsItsTasks) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    testing::LifeCounter counter;
    {
      JoinSet<void> set;
      set.Spawn([](testing::Tracked) -> Task<> { co_await testing::Forever(); },
                testing::Tracked(&counter));
      co_await YieldNow();
      EXPECT_GT(counter.alive, 0);  // its frames hold the copies
    }
    co_await YieldNow();  // the aborted task's frame goes on its next turn
    EXPECT_EQ(counter.alive, 0);
  });
}

}  // namespace
}  // namespace weft
