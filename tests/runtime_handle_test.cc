// Runtime::Handle: spawning onto a runtime from any thread, and a handle
// that outlives its runtime.
#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

// From a std::thread: the task runs on the runtime's thread, woken out of
// epoll_wait by the handover.
TEST(RuntimeHandle, SpawnFromAStdThreadRunsOnTheRuntimesThread) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify done;
    std::thread::id ran_on;
    std::thread spawner([handle = Runtime::Current(), &done, &ran_on] {
      handle.Spawn([&]() -> Task<> {
        ran_on = std::this_thread::get_id();
        done.NotifyOne();
        co_return;
      });  // its JoinHandle is dropped here: detached
    });
    co_await done.Notified();
    EXPECT_EQ(ran_on, std::this_thread::get_id());
    spawner.join();
  });
}

// tokio allows spawning from a blocking closure through a Handle; plain
// Spawn there has no runtime and throws. The JoinHandle comes back out and
// is awaited by a task of the runtime.
TEST(RuntimeHandle, SpawnInsideSpawnBlockingAndAwaitTheHandle) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Runtime::Handle handle = Runtime::Current();
    JoinResult<JoinHandle<int>> spawned = co_await SpawnBlocking([handle] {
      return handle.Spawn([]() -> Task<int> {
        co_await YieldNow();
        co_return 42;
      });
    });
    EXPECT_EQ(*(co_await *spawned), 42);
  });
}

// Many threads spawn at once while the runtime runs (TSan checks the
// handover); every task runs exactly once.
TEST(RuntimeHandle, ManyThreadsSpawnAtOnce) {
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify all_ran;
    int ran = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([handle = Runtime::Current(), &ran, &all_ran] {
        for (int i = 0; i < kEach; ++i) {
          handle.Spawn([&]() -> Task<> {
            if (++ran == kThreads * kEach) all_ran.NotifyOne();
            co_return;
          });
        }
      });
    }
    co_await all_ran.Notified();
    EXPECT_EQ(ran, kThreads * kEach);
    for (std::thread& t : threads) t.join();
  });
}

// A task of one runtime spawns onto another, running on another thread,
// and awaits nothing of it: the other runtime's task reports back through
// a Handle to the first.
TEST(RuntimeHandle, SpawnFromAnotherRuntime) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify answered;
    int answer = 0;
    Runtime::Handle home = Runtime::Current();
    std::thread other_thread([&] {
      Runtime other;
      other.BlockOn([&]() -> Task<> {
        home.Spawn([&]() -> Task<> {
          answer = 7;
          answered.NotifyOne();
          co_return;
        });
        co_return;
      });
    });
    co_await answered.Notified();
    EXPECT_EQ(answer, 7);
    other_thread.join();
  });
}

// A task handed over but never run, because the runtime went first, is
// cancelled: its frame is destroyed and its JoinHandle says cancelled.
TEST(RuntimeHandle, ATaskPendingWhenTheRuntimeGoesIsCancelled) {
  testing::LifeCounter counter;
  std::optional<JoinHandle<int>> pending;
  {
    Runtime rt;
    Runtime::Handle handle = rt.GetHandle();
    // Outside BlockOn: handed over like from any other thread.
    pending = handle.Spawn([](testing::Tracked) -> Task<int> { co_return 1; },
                           testing::Tracked(&counter));
    EXPECT_GT(counter.alive, 0);
  }
  EXPECT_EQ(counter.alive, 0);
  EXPECT_TRUE(pending->IsFinished());
  Runtime other;
  other.BlockOn([&]() -> Task<> {
    JoinResult<int> r = co_await *pending;
    EXPECT_TRUE(!r.ok() && r.error().IsCancelled());
  });
}

// A Handle that outlives its runtime reports the error through the task's
// JoinHandle instead of crashing.
TEST(RuntimeHandle, AHandleThatOutlivesItsRuntimeSpawnsCancelledTasks) {
  std::optional<Runtime::Handle> handle;
  {
    Runtime rt;
    handle = rt.GetHandle();
  }
  testing::LifeCounter counter;
  JoinHandle<int> late =
      handle->Spawn([](testing::Tracked) -> Task<int> { co_return 1; },
                    testing::Tracked(&counter));
  EXPECT_EQ(counter.alive, 0);  // never ran; its frame is gone
  EXPECT_TRUE(late.IsFinished());
  Runtime other;
  other.BlockOn([&]() -> Task<> {
    JoinResult<int> r = co_await late;
    EXPECT_TRUE(!r.ok() && r.error().IsCancelled());
  });
}

}  // namespace
}  // namespace weft
