// JoinHandle: awaiting results, abort at every stage, and exceptions.
#include <array>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

using testing::Event;

Task<int> Work(int i) { co_return i; }

TEST(JoinHandle, AwaitYieldsValue) {
  Runtime rt;
  int v = rt.BlockOn([]() -> Task<int> {
    auto handle = Spawn([]() -> Task<int> {
      co_await YieldNow();
      co_return 42;
    });
    JoinResult<int> r = co_await handle;
    EXPECT_TRUE(r.ok());
    co_return *r;
  });
  EXPECT_EQ(v, 42);
}

TEST(JoinHandle, AwaitVoid) {
  Runtime rt;
  bool ran = false;
  rt.BlockOn([&]() -> Task<> {
    auto handle = Spawn([&]() -> Task<> {
      ran = true;
      co_return;
    });
    JoinResult<void> r = co_await handle;
    EXPECT_TRUE(r.ok());
  });
  EXPECT_TRUE(ran);
}

TEST(JoinHandle, AwaitMoveOnlyValue) {
  Runtime rt;
  auto p = rt.BlockOn([]() -> Task<std::unique_ptr<int>> {
    auto handle = Spawn([]() -> Task<std::unique_ptr<int>> {
      co_return std::make_unique<int>(7);
    });
    co_return *(co_await std::move(handle));
  });
  EXPECT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

// The output is stored where the finished task's frame was (task_cell.h):
// outputs larger than the frame that made them, and outputs joined long
// after the frame's destruction, arrive intact.
TEST(JoinHandle, OutputsOfAnySizeOutliveTheFrame) {
  struct Big {
    std::array<int, 512> values;
  };
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto small = Spawn(Work, 5);
    auto big = Spawn([]() -> Task<Big> {
      Big b;
      for (int i = 0; i < 512; ++i) b.values[i] = i;
      co_return b;
    });
    auto text = Spawn(
        []() -> Task<std::string> { co_return std::string(10'000, 'w'); });
    for (int i = 0; i < 10; ++i) co_await YieldNow();  // all finished
    EXPECT_TRUE(small.IsFinished() && big.IsFinished() && text.IsFinished());
    EXPECT_EQ(*(co_await small), 5);
    JoinResult<Big> b = co_await big;
    int sum = 0;
    for (int v : b->values) sum += v;
    EXPECT_EQ(sum, 511 * 512 / 2);
    EXPECT_EQ(*(co_await text), std::string(10'000, 'w'));
  });
}

TEST(JoinHandle, AlreadyFinishedReturnsAtOnce) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto handle = Spawn([]() -> Task<int> { co_return 3; });
    co_await YieldNow();  // the child runs to completion
    EXPECT_TRUE(handle.IsFinished());
    // No suspension needed: the awaiter is ready.
    auto awaiter = handle.operator co_await();
    EXPECT_TRUE(awaiter.await_ready());
    EXPECT_EQ(*awaiter.await_resume(), 3);
  });
}

TEST(JoinHandle, AbortBeforeFirstRunNeverRuns) {
  Runtime rt;
  bool ran = false;
  rt.BlockOn([&]() -> Task<> {
    auto handle = Spawn([&]() -> Task<> {
      ran = true;
      co_return;
    });
    handle.Abort();
    JoinResult<void> r = co_await handle;
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.error().IsCancelled());
    EXPECT_STREQ(r.error().what(), "task was cancelled");
  });
  EXPECT_FALSE(ran);
}

Task<> ParkedChild(testing::LifeCounter* counter, Event* parked) {
  testing::Tracked inner(counter);
  parked->Set();
  co_await testing::Forever();
}

TEST(JoinHandle, AbortWhileParkedDestroysTheFramesItAwaits) {
  Runtime rt;
  testing::LifeCounter counter;
  Event parked;
  rt.BlockOn([&]() -> Task<> {
    auto handle = Spawn([&]() -> Task<> {
      testing::Tracked outer(&counter);
      co_await ParkedChild(&counter, &parked);  // nested frame
      ADD_FAILURE() << "resumed after abort";
    });
    co_await parked.Wait();
    EXPECT_EQ(counter.alive, 2);
    handle.Abort();
    JoinResult<void> r = co_await handle;
    EXPECT_TRUE(!r.ok() && r.error().IsCancelled());
    EXPECT_EQ(counter.alive, 0);  // both frames' locals destroyed
    EXPECT_EQ(counter.destroyed, 2);
  });
}

TEST(JoinHandle, AbortAfterCompletionKeepsTheValue) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto handle = Spawn([]() -> Task<std::string> { co_return "kept"; });
    co_await YieldNow();
    EXPECT_TRUE(handle.IsFinished());
    handle.Abort();
    co_await YieldNow();  // the runtime runs on: nothing was queued to run
    JoinResult<std::string> r = co_await handle;
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(*r, "kept");
  });
}

TEST(JoinHandle, AbortOfRunningTaskFromItselfStopsItAtNextPark) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    bool after = false;
    JoinHandle<void> handle;
    handle = Spawn([&handle, &after]() -> Task<> {
      handle.Abort();       // we are running: takes effect when we park
      co_await YieldNow();  // never resumed past this point
      after = true;
    });
    JoinResult<void> r = co_await handle;
    EXPECT_TRUE(r.error().IsCancelled());
    EXPECT_FALSE(after);
  });
}

// Abort from another thread: the flag is set atomically and the task is
// queued through the remote queue, so the runtime thread cancels it.
TEST(JoinHandle, AbortFromAnotherThreadCancelsTheTask) {
  Runtime rt;
  testing::LifeCounter counter;
  rt.BlockOn([&]() -> Task<> {
    Event parked;
    auto handle = Spawn([&]() -> Task<> {
      testing::Tracked alive(&counter);
      parked.Set();
      co_await testing::Forever();
    });
    co_await parked.Wait();
    std::thread([&handle] { handle.Abort(); }).join();
    JoinResult<void> r = co_await handle;
    EXPECT_TRUE(r.error().IsCancelled());
    EXPECT_EQ(counter.alive, 0);
  });
}

TEST(JoinHandle, ExceptionReachesAwaiterAndCanBeRethrown) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto handle = Spawn([]() -> Task<int> {
      co_await YieldNow();
      throw std::runtime_error("boom");
    });
    JoinResult<int> r = co_await handle;
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.error().IsFailed());
    EXPECT_STREQ(r.error().what(), "task failed");
    EXPECT_EQ(r.error().ToString(), "task failed: boom");
    EXPECT_THROW(r.error().Rethrow(), std::runtime_error);
    EXPECT_THROW(r.value(), std::runtime_error);
  });
}

TEST(JoinHandle, DetachedFailureIsReportedAndOthersCarryOn) {
  Runtime rt;
  ::testing::internal::CaptureStderr();
  int served = rt.BlockOn([]() -> Task<int> {
    {
      auto detached = Spawn([]() -> Task<> {
        co_await YieldNow();
        throw std::runtime_error("detached boom");
      });
    }
    int count = 0;
    for (int i = 0; i < 3; ++i) {
      auto other = Spawn([]() -> Task<int> {
        co_await YieldNow();
        co_return 1;
      });
      count += *(co_await other);
    }
    co_return count;
  });
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(served, 3);
  EXPECT_NE(err.find("detached task failed: detached boom"), std::string::npos)
      << err;
}

TEST(JoinHandle, BlockOnRethrowsTheTasksException) {
  Runtime rt;
  EXPECT_THROW(rt.BlockOn([]() -> Task<int> {
    throw std::invalid_argument("bad");
    co_return 0;
  }),
               std::invalid_argument);
}

// Not a join handle, but the same exception path one level down: a child
// task awaited directly rethrows into its parent's co_await, where an
// ordinary try/catch sees it, and the parent goes on.
Task<int> ThrowsAfterAYield() {
  co_await YieldNow();
  throw std::out_of_range("child");
  co_return 0;
}

TEST(JoinHandle, AnAwaitedChildTasksExceptionIsCaughtInTheParent) {
  Runtime rt;
  std::string caught = rt.BlockOn([]() -> Task<std::string> {
    std::string what;
    try {
      co_await ThrowsAfterAYield();
    } catch (const std::out_of_range& e) {
      what = e.what();
    }
    co_await YieldNow();  // and the parent carries on
    co_return what;
  });
  EXPECT_EQ(caught, "child");
}

TEST(JoinHandle, SpuriousWakeDoesNotResumeTheJoiner) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Event release;
    auto slow = Spawn([&]() -> Task<int> {
      co_await release.Wait();
      co_return 11;
    });
    Waker joiner;
    auto waiter = Spawn([&]() -> Task<int> {
      joiner = co_await testing::OwnWaker();
      co_return *(co_await slow);
    });
    co_await YieldNow();  // waiter parks on slow
    joiner.WakeByRef();   // a stray wake: slow is not finished
    co_await YieldNow();
    EXPECT_FALSE(waiter.IsFinished());
    release.Set();
    EXPECT_EQ(*(co_await waiter), 11);
  });
}

// Every operation on an empty handle is defined: it used to dereference
// a null cell (SIGSEGV) on IsFinished(), Abort() and co_await.
TEST(JoinHandle, AnEmptyOrMovedFromHandleIsSafeToUse) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    JoinHandle<int> empty;
    EXPECT_FALSE(empty.valid());
    EXPECT_TRUE(empty.IsFinished());
    empty.Abort();  // nothing to abort
    EXPECT_FALSE(empty.GetAbortHandle().valid());
    JoinHandle<int> live = Spawn(Work(5));
    JoinHandle<int> moved = std::move(live);
    EXPECT_FALSE(live.valid());  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(live.IsFinished());
    live.Abort();
    std::string what;
    try {
      (void)co_await live;
    } catch (const std::logic_error& e) {
      what = e.what();
    }
    EXPECT_NE(what.find("empty JoinHandle"), std::string::npos) << what;
    EXPECT_EQ(*(co_await moved), 5);
  });
}

}  // namespace
}  // namespace weft
