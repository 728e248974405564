// The run queue: FIFO order, YieldNow, and the cooperative budget.
#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"

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
