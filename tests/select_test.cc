// Select: the first of several awaitables wins, inside the calling task;
// the others are cancelled where they wait and lose nothing a user relies
// on (a message, a permit, a join handle's result).
#include <chrono>
#include <stdexcept>
#include <thread>
#include <variant>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

using std::chrono_literals::operator""ms;

TEST(Select, TheFirstEventWinsAndItsValueComesBack) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = mpsc::UnboundedChannel<int>();
    Notify never;
    auto sender = Spawn([&tx = tx]() -> Task<> {
      EXPECT_TRUE(tx.Send(7).ok());
      co_return;
    });
    auto won = co_await Select(never.Notified(), rx.Recv());
    EXPECT_EQ(won.index(), 1u);
    EXPECT_EQ(std::get<1>(won), std::optional<int>(7));
    co_await sender;
  });
}

TEST(Select, ALosingRecvLosesNoMessage) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = mpsc::UnboundedChannel<int>();
    Notify first;
    // Both events come in the same turn, before the selecting task runs;
    // the biased Select takes the Notify, and the Recv that lost must not
    // have taken the message with it.
    auto both = Spawn([&first, &tx = tx]() -> Task<> {
      first.NotifyOne();
      EXPECT_TRUE(tx.Send(1).ok());
      co_return;
    });
    auto won = co_await SelectBiased(first.Notified(), rx.Recv());
    EXPECT_EQ(won.index(), 0u);
    EXPECT_EQ(rx.TryRecv(), std::optional<int>(1));
    co_await both;
  });
}

TEST(Select, ALosingAcquireLosesNoPermit) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore permits(0);
    Notify first;
    auto both = Spawn([&first, &permits]() -> Task<> {
      first.NotifyOne();
      permits.AddPermits(1);  // granted to the waiting Acquire
      co_return;
    });
    auto won = co_await SelectBiased(first.Notified(), permits.Acquire());
    EXPECT_EQ(won.index(), 0u);
    // The cancelled Acquire handed its permit back.
    EXPECT_EQ(permits.AvailablePermits(), 1u);
    co_await both;
  });
}

TEST(Select, BiasedTakesTheFirstListedWhenBothAreReady) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    for (int i = 0; i < 100; ++i) {
      auto [tx, rx] = mpsc::UnboundedChannel<int>();
      EXPECT_TRUE(tx.Send(1).ok());
      Notify n;
      n.NotifyOne();
      auto won = co_await SelectBiased(n.Notified(), rx.Recv());
      EXPECT_EQ(won.index(), 0u);
      EXPECT_EQ(rx.TryRecv(), std::optional<int>(1));
    }
  });
}

TEST(Select, WhenOneIsReadyAtOnceTheOthersAreNeverAsked) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    // Both ready before the Select: the biased one takes the first, and
    // the Acquire after it neither takes a permit nor queues.
    Notify n;
    n.NotifyOne();
    Semaphore permits(1);
    for (int i = 0; i < 300; ++i) {  // past the budget: both paths
      if (i > 0) n.NotifyOne();
      auto won = co_await SelectBiased(n.Notified(), permits.Acquire());
      EXPECT_EQ(won.index(), 0u);
      EXPECT_EQ(permits.AvailablePermits(), 1u);
    }
  });
}

TEST(Select, ASelectMadeNowCanBeAwaitedLater) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = mpsc::UnboundedChannel<int>();
    Notify never;
    // The Select holds the awaitables it was given (moved in), until
    // awaited; a Timeout or another Select may take it by value too.
    auto pending = Select(never.Notified(), rx.Recv());
    EXPECT_TRUE(tx.Send(9).ok());
    auto won = co_await std::move(pending);
    EXPECT_EQ(won.index(), 1u);
    EXPECT_EQ(std::get<1>(won), std::optional<int>(9));
  });
}

TEST(Select, UnbiasedSpreadsWinsOverReadyBranches) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    int wins[2] = {0, 0};
    for (int i = 0; i < 1000; ++i) {
      Notify a, b;
      a.NotifyOne();
      b.NotifyOne();
      auto won = co_await Select(a.Notified(), b.Notified());
      ++wins[won.index()];
    }
    // No branch starves the other (tokio picks at random; so do we).
    EXPECT_GT(wins[0], 200);
    EXPECT_GT(wins[1], 200);
  });
}

TEST(Select, ASleepWinsOverWhatNeverComes) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    Notify never;
    const Instant start = time::Now();
    auto won = co_await Select(never.Notified(), Sleep(50ms));
    EXPECT_EQ(won.index(), 1u);
    EXPECT_EQ(time::Now() - start, 50ms);
    // The cancelled waiter left nothing behind: a notification now is
    // stored as a permit, not handed to a waiter that is gone.
    never.NotifyOne();
    co_await never.Notified();
  });
}

TEST(Select, AJoinHandleThatLosesCanBeAwaitedAfter) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify go, first;
    JoinHandle<int> worker = Spawn([&go]() -> Task<int> {
      co_await go.Notified();
      co_return 42;
    });
    first.NotifyOne();
    auto won = co_await SelectBiased(first.Notified(), worker);
    EXPECT_EQ(won.index(), 0u);
    go.NotifyOne();
    JoinResult<int> result = co_await worker;  // still ours, still running
    EXPECT_EQ(*result, 42);
  });
}

TEST(Select, TheWinnersExceptionPropagatesAndTheOthersAreCancelled) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify never;
    bool threw = false;
    try {
      co_await Select(never.Notified(), []() -> Task<int> {
        throw std::runtime_error("boom");
        co_return 0;
      }());
    } catch (const std::runtime_error& e) {
      threw = true;
      EXPECT_STREQ(e.what(), "boom");
    }
    EXPECT_TRUE(threw);
    never.NotifyOne();  // no waiter left: stored
    co_await never.Notified();
  });
}

TEST(Select, ATimeoutInsideABranchEndsThatBranch) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    auto [tx, rx] = mpsc::UnboundedChannel<int>();
    Notify never;
    auto won = co_await Select(Timeout(20ms, rx.Recv()), never.Notified());
    EXPECT_EQ(won.index(), 0u);
    EXPECT_TRUE(std::get<0>(won).elapsed());
    EXPECT_TRUE(tx.Send(3).ok());  // the receive that timed out took nothing
    EXPECT_EQ(rx.TryRecv(), std::optional<int>(3));
  });
}

TEST(Select, ATimeoutAroundASelectCancelsEveryBranch) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    time::Pause();
    auto [tx, rx] = mpsc::UnboundedChannel<int>();
    Notify never;
    auto r = co_await Timeout(20ms, Select(rx.Recv(), never.Notified()));
    EXPECT_TRUE(r.elapsed());
    EXPECT_TRUE(tx.Send(4).ok());
    EXPECT_EQ(rx.TryRecv(), std::optional<int>(4));
    never.NotifyOne();
    co_await never.Notified();
  });
}

TEST(Select, SelectsNest) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify a, b, c;
    auto fire = Spawn([&c]() -> Task<> {
      c.NotifyOne();
      co_return;
    });
    auto won =
        co_await Select(a.Notified(), Select(b.Notified(), c.Notified()));
    EXPECT_EQ(won.index(), 1u);
    EXPECT_EQ(std::get<1>(won).index(), 1u);
    co_await fire;
  });
}

TEST(Select, AnAbortedTaskCancelsItsBranches) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = mpsc::UnboundedChannel<int>();
    Notify never;
    auto selecting = Spawn([&rx = rx, &never]() -> Task<> {
      co_await Select(rx.Recv(), never.Notified());
      ADD_FAILURE() << "nothing should have won";
    });
    co_await YieldNow();  // it parks in the Select
    selecting.Abort();
    JoinResult<void> result = co_await selecting;
    EXPECT_TRUE(!result.ok() && result.error().IsCancelled());
    EXPECT_TRUE(tx.Send(5).ok());
    EXPECT_EQ(rx.TryRecv(), std::optional<int>(5));
  });
}

TEST(Select, ASenderOnAnotherThreadWakesASelectingTask) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = mpsc::Channel<int>(4);
    Notify never;
    std::thread sender([tx = std::move(tx)]() mutable {
      for (int i = 0; i < 1000; ++i) EXPECT_TRUE(tx.BlockingSend(i).ok());
    });
    int expected = 0;
    for (;;) {
      auto won = co_await Select(never.Notified(), rx.Recv());
      EXPECT_EQ(won.index(), 1u);
      std::optional<int> got = std::get<1>(std::move(won));
      if (!got) break;
      EXPECT_EQ(*got, expected++);
    }
    EXPECT_EQ(expected, 1000);
    sender.join();
  });
}

}  // namespace
}  // namespace weft
