// AbortHandle: cancelling a task from anywhere, after its JoinHandle is gone.
#include "runtime/task/abort_handle.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(AbortHandle, AbortsTheTaskAndTheJoinHandleSeesCancelled) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    JoinHandle<int> handle = Spawn([]() -> Task<int> {
      co_await testing::Forever();
      co_return 1;
    });
    AbortHandle abort = handle.GetAbortHandle();
    AbortHandle copy = abort;  // copyable
    co_await YieldNow();
    EXPECT_FALSE(copy.IsFinished());
    copy.Abort();
    JoinResult<int> r = co_await handle;
    EXPECT_TRUE(!r.ok() && r.error().IsCancelled());
    EXPECT_TRUE(abort.IsFinished());
    abort.Abort();  // finished: nothing happens
  });
}

// tokio: the handle works after the JoinHandle was dropped (the task is
// detached) or moved into another task.
TEST(AbortHandle, WorksAfterTheJoinHandleIsDroppedOrMovedAway) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    testing::LifeCounter counter;
    AbortHandle detached_abort;
    {
      JoinHandle<void> handle =
          Spawn([](testing::Tracked) -> Task<> { co_await testing::Forever(); },
                testing::Tracked(&counter));
      detached_abort = handle.GetAbortHandle();
    }  // dropped: detached, still running
    co_await YieldNow();
    EXPECT_GT(counter.alive, 0);  // the argument, in the task's frames
    detached_abort.Abort();
    co_await YieldNow();
    EXPECT_EQ(counter.alive, 0);  // its frame is gone
    EXPECT_TRUE(detached_abort.IsFinished());

    JoinHandle<void> inner =
        Spawn([]() -> Task<> { co_await testing::Forever(); });
    AbortHandle inner_abort = inner.GetAbortHandle();
    JoinHandle<bool> joiner = Spawn(
        [](JoinHandle<void> h) -> Task<bool> {
          JoinResult<void> r = co_await h;
          co_return !r.ok() && r.error().IsCancelled();
        },
        std::move(inner));
    co_await YieldNow();
    inner_abort.Abort();
    EXPECT_TRUE(*(co_await joiner));
  });
}

// Copies on several threads abort, copy and drop the handle at once while
// the runtime thread waits for the task (TSan checks the counting).
TEST(AbortHandle, CopiesOnManyThreadsAbortOnce) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    JoinHandle<void> handle =
        Spawn([]() -> Task<> { co_await testing::Forever(); });
    AbortHandle abort = handle.GetAbortHandle();
    co_await YieldNow();
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([abort] {
        AbortHandle mine = abort;
        mine.Abort();
        (void)mine.IsFinished();
      });
    }
    JoinResult<void> r = co_await handle;
    EXPECT_TRUE(r.error().IsCancelled());
    for (std::thread& t : threads) t.join();
  });
}

TEST(AbortHandle, AnEmptyHandleDoesNothing) {
  AbortHandle empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_TRUE(empty.IsFinished());
  empty.Abort();
  AbortHandle copy = empty;
  EXPECT_FALSE(copy.valid());
}

}  // namespace
}  // namespace weft
