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
    TimeoutResult<int> r = co_await Timeout(20ms, SlowValue(&counter, 10ms));
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
    TimeoutResult<int> r = co_await Timeout(10ms, SlowValue(&counter, 1h));
    EXPECT_TRUE(r.elapsed());
    EXPECT_TRUE(absl::IsDeadlineExceeded(r.status())) << r.status();
    EXPECT_EQ(r.status().message(), "timed out after 10 ms");
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
      TimeoutResult<void> r = co_await Timeout(10ms, [](int* turns) -> Task<> {
        for (;;) {
          ++*turns;
          co_await YieldNow();
        }
      }(&turns));
      co_return r.status();
    });
    while (turns < 3) co_await YieldNow();  // the spinner is yielding
    co_await time::Advance(20ms);           // its deadline has passed
    JoinResult<absl::Status> r = co_await spinner;
    EXPECT_TRUE(r.ok() && absl::IsDeadlineExceeded(*r));
  });
}

// The inner operation's own errors stay inside the value, even its own
// DeadlineExceeded: only elapsed() says the deadline came first.
TEST(Time, ATimeoutIsToldApartFromTheInnerOperationsOwnError) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    auto failing = []() -> Task<absl::StatusOr<int>> {
      co_return absl::DeadlineExceededError("the inner one's own");
    };
    TimeoutResult<absl::StatusOr<int>> s = co_await Timeout(1s, failing());
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(s.status().ok());
    EXPECT_EQ(s.value().status().message(), "the inner one's own");
    auto never = []() -> Task<absl::Status> {
      co_await Sleep(1h);
      co_return absl::OkStatus();
    };
    TimeoutResult<absl::Status> t = co_await Timeout(1s, never());
    EXPECT_TRUE(t.elapsed());
    EXPECT_TRUE(absl::IsDeadlineExceeded(t.status()));
    bool threw = false;
    try {
      (void)*t;
    } catch (const Elapsed& e) {
      threw = true;
      EXPECT_STREQ(e.what(), "deadline has elapsed");
    }
    EXPECT_TRUE(threw);
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

// An inner operation woken in the same loop turn as the deadline wins, as
// in tokio, which polls the inner future before the delay: here the
// notification comes first and the timer fires right after, before the
// waiter runs. (The deadline used to win, and the notification was lost
// with the cancelled waiter.)
TEST(Time, AnInnerOperationWokenInTheDeadlinesTurnWins) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    Notify notify;
    auto waiter = Spawn([&]() -> Task<bool> {
      TimeoutResult<void> r = co_await Timeout(10ms, notify.Notified());
      co_return r.ok();
    });
    co_await YieldNow();  // parked in Notified() under the deadline
    notify.NotifyOne();
    co_await time::Advance(10ms);  // fires the deadline at once
    JoinResult<bool> in_time = co_await waiter;
    EXPECT_TRUE(*in_time);
    co_await YieldNow();
    EXPECT_TRUE(internal::CurrentExecutor("test").timers().empty());
  });
}

// The inner operation's event is a timer that fires in the same turn as
// the deadline, after it: the inner one still wins (tokio gives Ok for
// timeout(10ms, sleep(10ms))).
TEST(Time, AnInnerTimerDueWithTheDeadlineWins) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    TimeoutResult<void> r = co_await Timeout(10ms, Sleep(10ms));
    EXPECT_TRUE(r.ok());
  });
}

// After the deadline the inner operation gets one more run if its event
// has come; if that does not finish it, the deadline wins.
TEST(Time, AnInnerOperationThatParksAgainAfterItsLastRunTimesOut) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    Notify first, second;
    auto waiter = Spawn([&]() -> Task<bool> {
      TimeoutResult<void> r = co_await Timeout(10ms, [&]() -> Task<> {
        co_await first.Notified();
        co_await second.Notified();
      }());
      co_return r.elapsed();
    });
    co_await YieldNow();
    first.NotifyOne();
    co_await time::Advance(10ms);
    JoinResult<bool> elapsed = co_await waiter;
    EXPECT_TRUE(*elapsed);
    EXPECT_FALSE(second.has_waiters());  // cancelled where it waited
  });
}

// Timeout takes any awaitable: a JoinHandle (in place, the handle stays
// usable), Notified(), a Sleep; TimeoutAt takes an instant.
TEST(Time, TimeoutTakesAnyAwaitableAndTimeoutAtAnInstant) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    Notify notify;
    JoinHandle<int> slow = Spawn([&]() -> Task<int> {
      co_await notify.Notified();
      co_return 7;
    });
    TimeoutResult<JoinResult<int>> early = co_await Timeout(5ms, slow);
    EXPECT_TRUE(early.elapsed());
    EXPECT_FALSE(slow.IsFinished());  // the task itself runs on
    notify.NotifyOne();
    TimeoutResult<JoinResult<int>> later = co_await Timeout(5ms, slow);
    EXPECT_TRUE(later.ok());
    EXPECT_EQ(*later.value(), 7);
    const Instant start = time::Now();
    TimeoutResult<void> at = co_await TimeoutAt(start + 3ms, notify.Notified());
    EXPECT_TRUE(at.elapsed());
    EXPECT_EQ(time::Now() - start, 3ms);
    EXPECT_EQ(at.status().message(), "deadline has elapsed");
    TimeoutResult<void> slept = co_await Timeout(5ms, Sleep(1ms));
    EXPECT_TRUE(slept.ok());
  });
}

}  // namespace
}  // namespace weft
