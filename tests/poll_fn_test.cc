// PollFn: a user's own awaitable from a poll function and the current
// task's Waker, with only the public headers. The ThreadEvent below is the
// one docs/writing-awaitables.md shows.
#include "runtime/task/poll_fn.h"

#include <mutex>
#include <optional>
#include <thread>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace weft {
namespace {

// An event another thread sets; one task waits for it.
class ThreadEvent {
 public:
  void Set() {  // any thread
    Waker waker;
    {
      std::lock_guard<std::mutex> lock(mu_);
      set_ = true;
      waker = std::move(waker_);
    }
    std::move(waker).Wake();  // outside the lock: it may run the task
  }

  auto Wait() {  // a task on a runtime
    return PollFn([this](PollContext& cx) {
      std::lock_guard<std::mutex> lock(mu_);
      if (set_) return true;
      waker_ = cx.waker();  // under the lock: Set() cannot slip between
      return false;
    });
  }

 private:
  std::mutex mu_;
  bool set_ = false;
  Waker waker_;
};

TEST(PollFn, ACrossThreadEventWakesTheWaitingTask) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    ThreadEvent event;
    std::thread setter([&] { event.Set(); });
    co_await event.Wait();
    setter.join();
    co_await event.Wait();  // set: ready at once
  });
}

TEST(PollFn, ReadyAtOnceRunsThePollOnceAndYieldsItsValue) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int polls = 0;
    int v = co_await PollFn([&](PollContext&) -> std::optional<int> {
      ++polls;
      return 5;
    });
    EXPECT_EQ(v, 5);
    EXPECT_EQ(polls, 1);
  });
}

// Each wake polls again; a wake that finds it still pending parks it
// again, and the task resumes only once a poll says ready.
TEST(PollFn, EveryWakePollsAgainUntilReady) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int polls = 0;
    int budget = 3;
    Waker stored;
    auto waiter = Spawn([&]() -> Task<int> {
      int v = co_await PollFn([&](PollContext& cx) -> std::optional<int> {
        ++polls;
        if (budget == 0) return polls;
        stored = cx.waker();
        return std::nullopt;
      });
      co_return v;
    });
    co_await YieldNow();
    EXPECT_EQ(polls, 1);
    for (int i = 0; i < 3; ++i) {
      --budget;
      std::move(stored).Wake();
      co_await YieldNow();
    }
    JoinResult<int> r = co_await waiter;
    EXPECT_EQ(*r, 4);
  });
}

// A waker woken while the poll function itself runs (the classic race with
// a setter) is not lost: the task is polled again.
TEST(PollFn, AWakeDuringThePollIsNotLost) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int polls = 0;
    co_await PollFn([&](PollContext& cx) {
      if (++polls == 2) return true;
      cx.waker().WakeByRef();  // the event arrives before we return
      return false;
    });
    EXPECT_EQ(polls, 2);
  });
}

// The public way to get the current task's Waker.
TEST(PollFn, GivesTheCurrentTasksWaker) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Waker mine = co_await PollFn(
        [](PollContext& cx) { return std::optional<Waker>(cx.waker()); });
    Waker again = co_await PollFn(
        [](PollContext& cx) { return std::optional<Waker>(cx.waker()); });
    EXPECT_TRUE(mine.WillWake(again));
  });
}

// Cancelled while pending: the poll function goes with the frame; the
// waker it handed out stays harmless.
TEST(PollFn, CancelledWhilePendingLeavesAHarmlessWaker) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Waker stored;
    auto waiter = Spawn([&]() -> Task<> {
      co_await PollFn([&](PollContext& cx) {
        stored = cx.waker();
        return false;
      });
    });
    co_await YieldNow();
    waiter.Abort();
    co_await waiter;
    std::move(stored).Wake();  // the task is gone: nothing happens
    TimeoutResult<bool> r = co_await Timeout(
        std::chrono::milliseconds(1),
        PollFn([](PollContext&) -> std::optional<bool> { return true; }));
    EXPECT_TRUE(r.ok());
  });
}

}  // namespace
}  // namespace weft
