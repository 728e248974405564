// Time: sleeps in deadline order, cancelled sleeps, Timeout both ways,
// Interval's missed-tick policies, and a million pending timers. Every
// test pauses the clock: nothing here waits in real time.
#include <chrono>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

using namespace std::chrono_literals;

TEST(Time, SleepsFireInDeadlineOrderAndTiesInFifoOrder) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    std::vector<std::string> order;
    std::vector<JoinHandle<void>> sleepers;
    auto sleeper = [&](std::string name, Clock::duration d) {
      return Spawn([&order, name, d]() -> Task<> {
        co_await Sleep(d);
        order.push_back(name);
      });
    };
    sleepers.push_back(sleeper("c", 30ms));
    sleepers.push_back(sleeper("a1", 10ms));
    sleepers.push_back(sleeper("b", 20ms));
    sleepers.push_back(sleeper("a2", 10ms));  // same deadline, armed later
    const Instant start = time::Now();
    for (auto& s : sleepers) co_await s;
    EXPECT_EQ(order, (std::vector<std::string>{"a1", "a2", "b", "c"}));
    EXPECT_EQ(time::Now() - start, 30ms);  // auto-advanced, exactly
  });
}

TEST(Time, SleepNeverWakesEarlyInRealTime) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    const Instant start = Clock::now();
    co_await Sleep(5ms);
    EXPECT_GE(Clock::now() - start, 5ms);
  });
}

TEST(Time, ACancelledSleepNeverWakesItsTask) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    bool woke = false;
    auto sleeper = Spawn([&]() -> Task<> {
      co_await Sleep(10ms);
      woke = true;
    });
    co_await YieldNow();  // armed
    sleeper.Abort();
    EXPECT_TRUE((co_await sleeper).error().IsCancelled());
    co_await time::Advance(1h);
    EXPECT_FALSE(woke);
    EXPECT_TRUE(internal::CurrentExecutor("test").timers().empty());
  });
}

TEST(Time, AMillionPendingTimersAllFire) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    constexpr int kTimers = 1'000'000;
    int fired = 0;
    std::vector<JoinHandle<void>> sleepers;
    sleepers.reserve(kTimers);
    for (int i = 0; i < kTimers; ++i) {
      sleepers.push_back(Spawn([&fired, i]() -> Task<> {
        co_await Sleep(std::chrono::milliseconds(1 + i % 1000));
        ++fired;
      }));
    }
    co_await YieldNow();  // all armed
    EXPECT_EQ(internal::CurrentExecutor("test").timers().size(),
              size_t{kTimers});
    for (auto& s : sleepers) co_await s;
    EXPECT_EQ(fired, kTimers);
  });
}

Task<int> SlowValue(testing::LifeCounter* counter, Clock::duration d) {
  testing::Tracked alive(counter);
  co_await Sleep(d);
  co_return 42;
}

TEST(Time, TimeoutReturnsTheValueWhenTheTaskFinishesFirst) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    testing::LifeCounter counter;
    absl::StatusOr<int> r = co_await Timeout(20ms, SlowValue(&counter, 10ms));
    EXPECT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(*r, 42);
    EXPECT_TRUE(internal::CurrentExecutor("test").timers().empty());
  });
}

TEST(Time, TimeoutCancelsAndDestroysTheTaskWhenTheDeadlineComesFirst) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    testing::LifeCounter counter;
    const Instant start = time::Now();
    absl::StatusOr<int> r = co_await Timeout(10ms, SlowValue(&counter, 1h));
    EXPECT_TRUE(absl::IsDeadlineExceeded(r.status())) << r.status();
    EXPECT_EQ(time::Now() - start, 10ms);
    EXPECT_EQ(counter.alive, 0);      // the inner frame is gone...
    EXPECT_EQ(counter.destroyed, 1);  // ...and its destructors ran
    // ...and its sleep left no timer behind.
    EXPECT_TRUE(internal::CurrentExecutor("test").timers().empty());
  });
}

// A task that never parks but yields (a busy loop, or one whose budget runs
// out) must still be timed out: a yielded task waits in the run queue
// still RUNNING (task_state.h), and the deadline must reach it there.
TEST(Time, TimeoutReachesATaskThatOnlyYields) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    int turns = 0;
    auto spinner = Spawn([&]() -> Task<absl::Status> {
      absl::Status s = co_await Timeout(10ms, [](int* turns) -> Task<> {
        for (;;) {
          ++*turns;
          co_await YieldNow();
        }
      }(&turns));
      co_return s;
    });
    while (turns < 3) co_await YieldNow();  // the spinner is yielding
    co_await time::Advance(20ms);           // its deadline has passed
    JoinResult<absl::Status> r = co_await spinner;
    EXPECT_TRUE(r.ok() && absl::IsDeadlineExceeded(*r));
  });
}

TEST(Time, TimeoutOfAStatusTaskIsNotNested) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    auto failing = []() -> Task<absl::Status> {
      co_return absl::NotFoundError("nope");
    };
    absl::Status s = co_await Timeout(1s, failing());
    EXPECT_TRUE(absl::IsNotFound(s));
    auto never = []() -> Task<> { co_await Sleep(1h); };
    absl::Status t = co_await Timeout(1s, never());
    EXPECT_TRUE(absl::IsDeadlineExceeded(t));
  });
}

TEST(Time, TimeoutRethrowsTheTasksException) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto throwing = []() -> Task<int> {
      throw std::runtime_error("inner");
      co_return 0;
    };
    bool caught = false;
    try {
      auto r = co_await Timeout(1s, throwing());
      (void)r;
    } catch (const std::runtime_error&) {
      caught = true;
    }
    EXPECT_TRUE(caught);
  });
}

TEST(Time, AbortingTheCallerOfATimeoutCleansUpBoth) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    testing::LifeCounter counter;
    auto caller = Spawn([&]() -> Task<> {
      auto r = co_await Timeout(1h, SlowValue(&counter, 2h));
      ADD_FAILURE() << "resumed after abort";
    });
    co_await YieldNow();
    EXPECT_EQ(counter.alive, 1);
    caller.Abort();
    co_await caller;
    EXPECT_EQ(counter.alive, 0);
    EXPECT_TRUE(internal::CurrentExecutor("test").timers().empty());
  });
}

// The interval's ticks for a task that is busy (not ticking) from 0 to
// 35 ms with a 10 ms period, under each policy.
std::vector<int> TicksAfterStall(Interval::MissedTicks policy) {
  Runtime rt;
  return rt.BlockOn([policy]() -> Task<std::vector<int>> {
    time::Pause();
    const Instant start = time::Now();
    Interval interval(10ms, policy);
    std::vector<int> at;
    auto ms = [&](Instant t) { return static_cast<int>((t - start) / 1ms); };
    at.push_back(ms(co_await interval.Tick()));  // the first is immediate
    co_await time::Advance(35ms);                // busy: ticks missed
    for (int i = 0; i < 4; ++i) {
      co_await interval.Tick();
      at.push_back(ms(time::Now()));
    }
    co_return at;
  });
}

TEST(Time, IntervalBurstCatchesUpThenKeepsTheSchedule) {
  EXPECT_EQ(TicksAfterStall(Interval::MissedTicks::kBurst),
            (std::vector<int>{0, 35, 35, 35, 40}));
}

TEST(Time, IntervalDelayShiftsTheSchedule) {
  EXPECT_EQ(TicksAfterStall(Interval::MissedTicks::kDelay),
            (std::vector<int>{0, 35, 45, 55, 65}));
}

TEST(Time, IntervalSkipDropsMissedTicks) {
  EXPECT_EQ(TicksAfterStall(Interval::MissedTicks::kSkip),
            (std::vector<int>{0, 35, 40, 50, 60}));
}

}  // namespace
}  // namespace weft
