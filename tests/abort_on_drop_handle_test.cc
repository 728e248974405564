// AbortOnDropHandle: the task dies with the handle, unless detached; it is
// awaited as a JoinHandle is. Public headers only.
#include <chrono>
#include <utility>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace {

using weft::AbortOnDropHandle;
using weft::JoinHandle;
using weft::Runtime;
using weft::Task;

Task<> SleepForever(bool* dropped) {
  struct OnDrop {
    bool* flag;
    ~OnDrop() { *flag = true; }
  } on_drop{dropped};
  co_await weft::Sleep(std::chrono::hours(1));
}

TEST(AbortOnDropHandle, DroppingItAbortsTheTask) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    bool dropped = false;
    weft::AbortHandle abort;
    {
      AbortOnDropHandle handle(weft::Spawn(SleepForever(&dropped)));
      abort = handle.GetAbortHandle();
      co_await weft::YieldNow();
      EXPECT_FALSE(handle.IsFinished());
    }
    co_await weft::YieldNow();  // the abort runs on the runtime
    EXPECT_TRUE(dropped);
    EXPECT_TRUE(abort.IsFinished());
  });
}

TEST(AbortOnDropHandle, AwaitingItGivesTheResult) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto answer = []() -> Task<int> { co_return 42; };
    AbortOnDropHandle<int> handle(weft::Spawn(answer()));
    weft::JoinResult<int> result = co_await handle;
    EXPECT_TRUE(result.ok());
    if (!result.ok()) co_return;
    EXPECT_EQ(*result, 42);
  });
}

TEST(AbortOnDropHandle, ADetachedTaskRunsOn) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    bool dropped = false;
    JoinHandle<void> kept;
    {
      AbortOnDropHandle handle(weft::Spawn(SleepForever(&dropped)));
      kept = handle.Detach();
      EXPECT_FALSE(handle.valid());
    }
    co_await weft::YieldNow();
    EXPECT_FALSE(dropped);
    EXPECT_FALSE(kept.IsFinished());
    kept.Abort();
    weft::JoinResult<void> joined = co_await kept;
    EXPECT_TRUE(!joined.ok() && joined.error().IsCancelled());
  });
}

TEST(AbortOnDropHandle, MoveAssignmentAbortsTheTaskItReplaces) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    bool first = false;
    bool second = false;
    AbortOnDropHandle handle(weft::Spawn(SleepForever(&first)));
    co_await weft::YieldNow();  // it starts, and parks
    handle = AbortOnDropHandle(weft::Spawn(SleepForever(&second)));
    co_await weft::YieldNow();
    EXPECT_TRUE(first);
    EXPECT_FALSE(second);
    handle.Abort();
    weft::JoinResult<void> joined = co_await handle;
    EXPECT_TRUE(!joined.ok() && joined.error().IsCancelled());
  });
}

}  // namespace
