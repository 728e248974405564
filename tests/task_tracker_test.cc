// TaskTracker as a server's shutdown relies on it: Wait() completes once
// the tracker is closed and every tracked task is gone, whether the tasks
// finished, were aborted or were never run; counts are right from any
// thread; a tracked task outlives the tracker's handle. Public headers
// only.
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace {

using weft::JoinHandle;
using weft::Runtime;
using weft::Task;
using weft::TaskTracker;

TEST(TaskTracker, WaitCompletesOnceClosedAndEveryTaskIsDone) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TaskTracker tracker;
    weft::Notify release;
    int done = 0;
    for (int i = 0; i < 3; ++i) {
      tracker.Spawn(
          [](weft::Notify* release, int* done) -> Task<> {
            co_await release->Notified();
            ++*done;
          },
          &release, &done);
    }
    EXPECT_EQ(tracker.Len(), 3u);
    EXPECT_FALSE(tracker.IsEmpty());
    co_await weft::YieldNow();  // each task parks on the Notify
    EXPECT_TRUE(tracker.Close());
    EXPECT_FALSE(tracker.Close());  // closed already
    auto waited = co_await weft::Select(tracker.Wait(), weft::YieldNow());
    EXPECT_EQ(waited.index(), 1u);  // three still running
    release.NotifyWaiters();
    co_await tracker.Wait();
    EXPECT_EQ(done, 3);
    EXPECT_TRUE(tracker.IsEmpty());
  });
}

TEST(TaskTracker, AnOpenTrackerIsNotDoneEvenWhenEmpty) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TaskTracker tracker;
    auto early = co_await weft::Select(tracker.Wait(), weft::YieldNow());
    EXPECT_EQ(early.index(), 1u);
    JoinHandle<void> closer = weft::Spawn(
        [](TaskTracker t) -> Task<> {
          t.Close();
          co_return;
        },
        tracker);
    co_await tracker.Wait();  // woken by Close() of an empty tracker
    EXPECT_TRUE(tracker.IsClosed());
    EXPECT_TRUE(tracker.Reopen());
    EXPECT_FALSE(tracker.IsClosed());
    (void)co_await closer;
  });
}

TEST(TaskTracker, AnAbortedTaskLeavesTheCount) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TaskTracker tracker;
    JoinHandle<void> forever = tracker.Spawn(
        []() -> Task<> { co_await weft::Sleep(std::chrono::hours(1)); });
    co_await weft::YieldNow();
    tracker.Close();
    EXPECT_EQ(tracker.Len(), 1u);
    forever.Abort();
    co_await tracker.Wait();
    EXPECT_TRUE(tracker.IsEmpty());
  });
}

TEST(TaskTracker, TasksCancelledByRuntimeShutdownLeaveTheCount) {
  TaskTracker tracker;
  {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      tracker.Spawn(
          []() -> Task<> { co_await weft::Sleep(std::chrono::hours(1)); });
      co_return;
    });
    EXPECT_EQ(tracker.Len(), 1u);
  }  // ~Runtime cancels the sleeper
  EXPECT_TRUE(tracker.IsEmpty());
}

TEST(TaskTracker, TrackAndTokensCountWorkThatIsNotSpawnedHere) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    TaskTracker tracker;
    auto answer = []() -> Task<int> { co_return 7; };
    Task<int> tracked = tracker.Track(answer());
    EXPECT_EQ(tracker.Len(), 1u);
    EXPECT_EQ(co_await std::move(tracked), 7);
    EXPECT_EQ(tracker.Len(), 0u);

    // A token carried by a thread: Wait() waits for the thread's work.
    tracker.Close();
    std::thread worker([token = tracker.Token()] { (void)token; });
    co_await tracker.Wait();
    worker.join();
    EXPECT_TRUE(tracker.IsEmpty());
  });
}

TEST(TaskTracker, WaitersOnOtherThreadsAllWakeWhenTheLastTaskGoes) {
  TaskTracker tracker;
  std::vector<weft::TaskTrackerToken> tokens(64, tracker.Token());
  tracker.Close();
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([tracker] {
      Runtime rt;
      rt.BlockOn([&]() -> Task<> { co_await tracker.Wait(); });
    });
  }
  std::thread dropper([tokens = std::move(tokens)]() mutable {
    while (!tokens.empty()) tokens.pop_back();
  });
  dropper.join();
  for (std::thread& waiter : waiters) waiter.join();
  EXPECT_TRUE(tracker.IsEmpty());
}

TEST(TaskTracker, AMovedFromTokenSaysSoAndCountsNothing) {
  TaskTracker tracker;
  weft::TaskTrackerToken token = tracker.Token();
  weft::TaskTrackerToken moved = std::move(token);
  EXPECT_EQ(tracker.Len(), 1u);
  EXPECT_THROW((void)token.tracker(),  // NOLINT(bugprone-use-after-move)
               std::logic_error);
  EXPECT_EQ(moved.tracker().Len(), 1u);
}

}  // namespace
