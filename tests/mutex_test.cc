// Mutex: one holder at a time across awaits, FIFO handover, TryLock, and a
// cancelled Lock that takes nothing.
#include "runtime/sync/mutex.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Mutex, AGuardHeldAcrossAwaitsKeepsOthersOut) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Mutex<int> counter(0);
    int inside = 0, most_inside = 0;
    std::vector<JoinHandle<void>> tasks;
    for (int i = 0; i < 4; ++i) {
      tasks.push_back(Spawn([&]() -> Task<> {
        for (int round = 0; round < 10; ++round) {
          auto guard = co_await counter.Lock();
          most_inside = std::max(most_inside, ++inside);
          const int seen = *guard;
          co_await YieldNow();  // the others run, and must wait
          *guard = seen + 1;
          --inside;
        }
      }));
    }
    for (auto& t : tasks) co_await t;
    EXPECT_EQ(most_inside, 1);
    EXPECT_EQ(counter.GetMut(), 40);
  });
}

TEST(Mutex, TheLockIsHandedOverInTheOrderItWasAskedFor) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Mutex<std::string> log;
    auto first = co_await log.Lock();
    std::vector<JoinHandle<void>> tasks;
    for (char c : std::string("abc")) {
      tasks.push_back(Spawn([&log, c]() -> Task<> {
        auto guard = co_await log.Lock();
        guard->push_back(c);
      }));
      co_await YieldNow();  // queued in this order
    }
    EXPECT_FALSE(log.TryLock().has_value());
    { auto released = std::move(first); }
    for (auto& t : tasks) co_await t;
    EXPECT_EQ(log.GetMut(), "abc");
  });
}

TEST(Mutex, ACancelledLockTakesNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Mutex<int> m(7);
    std::optional<Mutex<int>::Guard> held = m.TryLock();
    EXPECT_TRUE(held.has_value());
    auto waiter = Spawn([&]() -> Task<> { auto g = co_await m.Lock(); });
    co_await YieldNow();
    waiter.Abort();
    co_await waiter;
    held.reset();
    std::optional<Mutex<int>::Guard> again = m.TryLock();
    EXPECT_TRUE(again.has_value());
    if (again) {
      EXPECT_EQ(**again, 7);
    }
  });
}

}  // namespace
}  // namespace weft
