// Wakers: no lost wake-ups, no double runs, any thread, any lifetime.
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

using testing::Event;

// Parks with its waker handed out, and counts how often it is resumed.
struct CountingPark {
  Waker* out;
  int* resumes;
  bool await_ready() { return false; }
  void await_suspend(std::coroutine_handle<> self) {
    *out = internal::ParkedTask(self, "CountingPark").NewWaker();
  }
  void await_resume() { ++*resumes; }
};

TEST(Waker, TwoWakesResumeOnce) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Waker waker;
    int resumes = 0;
    auto task = Spawn([&]() -> Task<> {
      co_await CountingPark{&waker, &resumes};
      co_await testing::Forever();
    });
    co_await YieldNow();
    EXPECT_TRUE(waker);
    waker.WakeByRef();
    waker.WakeByRef();  // already notified: no second queue entry
    co_await YieldNow();
    co_await YieldNow();
    EXPECT_EQ(resumes, 1);
    task.Abort();
  });
}

TEST(Waker, WakeAfterCompletionDoesNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Waker waker;
    auto task = Spawn([&]() -> Task<int> {
      waker = co_await testing::OwnWaker();
      co_return 1;
    });
    EXPECT_EQ(*(co_await task), 1);
    waker.WakeByRef();  // complete: a no-op, not a crash or a rerun
    std::move(waker).Wake();
    co_await YieldNow();
  });
}

// A wake that finds the task running takes a reference for the requeue it
// promises; if the task then completes instead of parking, that reference
// must go too (under ASan, a leak otherwise).
TEST(Waker, WakeWhileRunningThenCompletingLeaksNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto task = Spawn([]() -> Task<int> {
      Waker self = co_await testing::OwnWaker();
      self.WakeByRef();        // running: marked, with a reference
      std::move(self).Wake();  // already marked: drops its own
      co_return 5;
    });
    EXPECT_EQ(*(co_await task), 5);
  });
}

TEST(Waker, WakeWhileRunningRunsAgainAfterItParks) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int resumes = 0;
    auto task = Spawn([&]() -> Task<> {
      Waker self;
      // Wake ourselves before parking: the wake lands while RUNNING and must
      // not be lost, or this task would park forever.
      struct WakeThenPark {
        int* resumes;
        bool await_ready() { return false; }
        void await_suspend(std::coroutine_handle<> h) {
          Waker w = internal::ParkedTask(h, "WakeThenPark").NewWaker();
          w.WakeByRef();
        }
        void await_resume() { ++*resumes; }
      };
      co_await WakeThenPark{&resumes};
    });
    co_await task;
    EXPECT_EQ(resumes, 1);
  });
}

TEST(Waker, WakeFromAnotherThreadResumesOnRuntimeThread) {
  Runtime rt;
  const std::thread::id runtime_thread = std::this_thread::get_id();
  std::thread::id resumed_on;
  rt.BlockOn([&]() -> Task<> {
    Waker waker;
    int resumes = 0;
    std::thread other;
    auto task = Spawn([&]() -> Task<> {
      co_await CountingPark{&waker, &resumes};
      resumed_on = std::this_thread::get_id();
    });
    co_await YieldNow();  // task parked, waker handed out
    other = std::thread([w = waker.Clone()]() mutable { std::move(w).Wake(); });
    // The runtime thread now sleeps in epoll_wait until the eventfd fires.
    co_await task;
    other.join();
    EXPECT_EQ(resumes, 1);
  });
  EXPECT_EQ(resumed_on, runtime_thread);
}

// Four threads wake thousands of parked tasks at once, released together
// so that their pushes onto the remote queue collide, over several rounds:
// every task resumes exactly once. (With the threads started one by one
// and a single round, a remote queue that lost racing pushes passed.)
TEST(Waker, ManyThreadsWakingManyTasksLoseNothing) {
  constexpr int kRounds = 20;
  constexpr int kTasks = 4000;
  constexpr int kThreads = 4;
  Runtime rt;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    rt.BlockOn([&]() -> Task<> {
      std::vector<Waker> wakers(kTasks);
      std::vector<int> resumes(kTasks, 0);
      std::vector<JoinHandle<void>> tasks;
      for (int i = 0; i < kTasks; ++i) {
        tasks.push_back(Spawn([&, i]() -> Task<> {
          co_await CountingPark{&wakers[i], &resumes[i]};
        }));
      }
      co_await YieldNow();
      std::latch start(kThreads);
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t) {
        std::vector<Waker> mine;
        for (int i = t; i < kTasks; i += kThreads) {
          mine.push_back(wakers[i].Clone());
        }
        threads.emplace_back([&start, mine = std::move(mine)]() mutable {
          start.arrive_and_wait();
          for (Waker& w : mine) {
            w.WakeByRef();
            std::move(w).Wake();
          }
        });
      }
      for (auto& t : tasks) co_await t;  // a lost wake hangs here
      for (auto& t : threads) t.join();
      int once = 0;
      for (int r : resumes) once += r == 1;
      EXPECT_EQ(once, kTasks);
    });
  }
}

TEST(Waker, OutlivingItsRuntimeIsHarmless) {
  Waker survivor;
  {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      auto parked = Spawn([&]() -> Task<> {
        survivor = co_await testing::OwnWaker();
        co_await testing::Forever();
      });
      co_await YieldNow();
    });
  }  // the parked task is cancelled; survivor still holds its cell
  survivor.WakeByRef();
  std::thread([w = survivor.Clone()]() mutable { std::move(w).Wake(); }).join();
  std::move(survivor).Wake();
}

// The runtime counts its task cells without atomics while it lives (on its
// own thread), and a cell freed on another thread drops a real reference of
// the runtime's remote queue instead (remote_queue.h, "Lifetime"). Here
// cells go every way: freed on another thread while the runtime lives,
// freed on its thread, and outliving it, then freed on this thread or
// another one. If the counts did not add up when the runtime goes, the
// queue would be freed under a live cell (AddressSanitizer: use after free)
// or never freed (LeakSanitizer).
TEST(Waker, CellsFreedOnAnyThreadAddUpWhenTheRuntimeGoes) {
  std::vector<Waker> survivors(4);
  {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      auto leave_waker = [](Waker* out) -> Task<> {
        *out = co_await testing::OwnWaker();
        co_return;
      };
      for (int i = 0; i < 4; ++i) {
        Waker last;
        // Joined, so `last` holds the cell's only reference.
        co_await Spawn(leave_waker, &last);
        if (i % 2 == 0) {
          std::thread([w = std::move(last)] {}).join();  // freed there
        }  // else freed here, at the end of the iteration
      }
      for (Waker& survivor : survivors) {
        Spawn([&survivor]() -> Task<> {
          survivor = co_await testing::OwnWaker();
          co_await testing::Forever();
        });
      }
      co_await YieldNow();
    });
  }  // the parked tasks are cancelled; their cells outlive the runtime
  std::thread([&] {
    survivors[0] = Waker();
    survivors[1] = Waker();
  }).join();
  survivors.clear();
}

TEST(Waker, WillWakeComparesTasks) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Waker a = co_await testing::OwnWaker();
    Waker b = a.Clone();
    Waker empty;
    EXPECT_TRUE(a.WillWake(b));
    EXPECT_FALSE(a.WillWake(empty));
    co_return;
  });
}

}  // namespace
}  // namespace weft
