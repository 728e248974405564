// The run queue: FIFO order, YieldNow, and the cooperative budget.
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/task/leaf.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Scheduling, SpawnedTasksRunInFifoOrder) {
  Runtime rt;
  std::vector<int> order;
  rt.BlockOn([&]() -> Task<> {
    std::vector<JoinHandle<void>> handles;
    for (int i = 0; i < 10; ++i) {
      handles.push_back(Spawn([&order, i]() -> Task<> {
        order.push_back(i);
        co_return;
      }));
    }
    for (auto& h : handles) co_await h;
  });
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(Scheduling, YieldNowLetsTheOthersRun) {
  Runtime rt;
  std::vector<char> trace;
  rt.BlockOn([&]() -> Task<> {
    auto make = [&](char name) {
      return Spawn([&trace, name]() -> Task<> {
        for (int i = 0; i < 3; ++i) {
          trace.push_back(name);
          co_await YieldNow();
        }
      });
    };
    auto a = make('a');
    auto b = make('b');
    co_await a;
    co_await b;
  });
  EXPECT_EQ(std::string(trace.begin(), trace.end()), "ababab");
}

// A yielded task waits in the run queue without a state transition (still
// kRunning: task_state.h). Aborted there, it is never resumed again.
TEST(Scheduling, AbortOfAYieldedTaskNeverResumesIt) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int runs = 0;
    auto spinner = Spawn([&]() -> Task<> {
      for (;;) {
        ++runs;
        co_await YieldNow();
      }
    });
    co_await YieldNow();  // the spinner ran once and yielded behind us
    EXPECT_EQ(runs, 1);
    spinner.Abort();
    JoinResult<void> r = co_await spinner;
    EXPECT_TRUE(!r.ok() && r.error().IsCancelled());
    EXPECT_EQ(runs, 1);
  });
}

// A wake while the task waits yielded must not queue it a second time (it
// is in the queue already); it is kept, and the task runs once more after
// it next parks, like any wake that finds a task running.
TEST(Scheduling, WakeOfAYieldedTaskQueuesItOnce) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Waker waker;
    int resumed_from_yield = 0;
    int resumed_from_park = 0;
    auto task = Spawn([&]() -> Task<> {
      waker = co_await testing::OwnWaker();
      co_await YieldNow();
      ++resumed_from_yield;
      co_await testing::UntilWoken();  // the kept wake resumes it here once
      ++resumed_from_park;
      co_await testing::Forever();
    });
    co_await YieldNow();  // the task ran and yielded behind us
    waker.WakeByRef();
    waker.WakeByRef();
    for (int i = 0; i < 5; ++i) co_await YieldNow();
    EXPECT_EQ(resumed_from_yield, 1);
    EXPECT_EQ(resumed_from_park, 1);
    task.Abort();
  });
}

// A task whose awaits never block (its fd is always readable) must still
// let others run: after kBudget ready awaits it is made to yield.
TEST(Scheduling, BudgetStopsANeverBlockingTaskFromStarvingAnother) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int fds[2];
    EXPECT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    EXPECT_EQ(write(fds[1], "x", 1), 1);  // readable forever: never drained
    auto reader = AsyncFd::Create(fds[0]);
    EXPECT_TRUE(reader.ok());
    bool other_ran = false;
    int spins_before_other = -1;
    auto busy = Spawn([&]() -> Task<> {
      for (int i = 0; i < 100000; ++i) {
        co_await reader->Readable();  // ready at once, every time
        if (other_ran && spins_before_other < 0) spins_before_other = i;
      }
    });
    // Queued behind the busy task, which never blocks: only the budget
    // gets it a turn before the busy loop ends.
    auto other = Spawn([&]() -> Task<> {
      other_ran = true;
      co_return;
    });
    co_await busy;
    co_await other;
    EXPECT_GE(spins_before_other, 0);
    EXPECT_LE(spins_before_other, internal::coop::kBudget + 1);
    close(fds[1]);
  });
}

}  // namespace
}  // namespace weft
