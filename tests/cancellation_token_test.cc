// CancellationToken as a user of tokio-util's relies on it: Cancel() wakes
// every Cancelled() awaiter, from any thread; children follow their parent
// and not the other way; Cancelled() is cancel-safe; a DropGuard cancels
// at scope exit unless disarmed; RunUntilCancelled gives the value or
// nullopt. Public headers only.
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <variant>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace {

using weft::CancellationToken;
using weft::JoinHandle;
using weft::Runtime;
using weft::Task;

TEST(CancellationToken, CancelWakesEveryAwaiter) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    CancellationToken token;
    int woken = 0;
    auto wait = [](CancellationToken t, int* woken) -> Task<> {
      co_await t.Cancelled();
      ++*woken;
    };
    JoinHandle<void> a = weft::Spawn(wait, token, &woken);
    JoinHandle<void> b = weft::Spawn(wait, token.ChildToken(), &woken);
    co_await weft::YieldNow();  // both park
    EXPECT_EQ(woken, 0);
    EXPECT_FALSE(token.IsCancelled());
    token.Cancel();
    token.Cancel();  // idempotent
    EXPECT_TRUE(token.IsCancelled());
    (void)co_await a;
    (void)co_await b;
    EXPECT_EQ(woken, 2);
    co_await token.Cancelled();  // cancelled: completes at once
  });
}

TEST(CancellationToken, CancelFromAnotherThreadWakesTheRuntime) {
  Runtime rt;
  CancellationToken token;
  std::thread canceller;
  rt.BlockOn([&]() -> Task<> {
    auto cancelled = token.Cancelled();
    canceller = std::thread([token] { token.Cancel(); });
    co_await std::move(cancelled);
    EXPECT_TRUE(token.IsCancelled());
  });
  canceller.join();
}

TEST(CancellationToken, AChildIsCancelledWithItsParentNotTheOtherWay) {
  CancellationToken parent;
  CancellationToken child = parent.ChildToken();
  CancellationToken grandchild = child.ChildToken();
  CancellationToken sibling = parent.ChildToken();
  sibling.Cancel();
  EXPECT_FALSE(parent.IsCancelled());
  EXPECT_FALSE(child.IsCancelled());
  parent.Cancel();
  EXPECT_TRUE(child.IsCancelled());
  EXPECT_TRUE(grandchild.IsCancelled());
  // A child of a cancelled token is born cancelled.
  EXPECT_TRUE(parent.ChildToken().IsCancelled());
}

TEST(CancellationToken, ManyChildrenDroppedDoNotKeepTheParentGrowing) {
  CancellationToken parent;
  for (int i = 0; i < 10000; ++i) (void)parent.ChildToken();
  CancellationToken kept = parent.ChildToken();
  parent.Cancel();
  EXPECT_TRUE(kept.IsCancelled());
}

TEST(CancellationToken, CancelledLosingASelectLosesNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    CancellationToken token;
    // Cancelled() loses to a ready branch: dropped, it unlinks itself.
    auto won = co_await weft::Select(token.Cancelled(), weft::YieldNow());
    EXPECT_EQ(won.index(), 1u);
    JoinHandle<void> canceller = weft::Spawn(
        [](CancellationToken t) -> Task<> {
          t.Cancel();
          co_return;
        },
        token);
    auto again = co_await weft::Select(token.Cancelled(),
                                       weft::Sleep(std::chrono::hours(1)));
    EXPECT_EQ(again.index(), 0u);
    (void)co_await canceller;
  });
}

TEST(CancellationToken, AnAwaiterOutlivesEveryCopyOfItsToken) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    std::optional<CancellationToken> token(std::in_place);
    auto cancelled = token->Cancelled();
    CancellationToken child = token->ChildToken();
    token.reset();  // the awaiter keeps the state
    JoinHandle<void> waiter = weft::Spawn(
        [](CancellationToken::CancelledAwaiter c) -> Task<> {
          co_await std::move(c);
        },
        std::move(cancelled));
    co_await weft::YieldNow();
    EXPECT_FALSE(waiter.IsFinished());
    waiter.Abort();  // parked on a token nobody else holds: abort is clean
    EXPECT_FALSE((co_await waiter).ok());
    EXPECT_FALSE(child.IsCancelled());  // a dropped parent cancels nothing
  });
}

TEST(CancellationToken, DropGuardCancelsAtScopeExitUnlessDisarmed) {
  CancellationToken token;
  {
    CancellationToken::DropGuard guard = token.CancelOnDrop();
    CancellationToken::DropGuard moved = std::move(guard);
    EXPECT_FALSE(token.IsCancelled());
  }
  EXPECT_TRUE(token.IsCancelled());

  CancellationToken kept;
  {
    CancellationToken::DropGuard guard = kept.CancelOnDrop();
    CancellationToken back = guard.Disarm();
    EXPECT_THROW((void)guard.Disarm(), std::logic_error);
    EXPECT_FALSE(back.IsCancelled());
  }
  EXPECT_FALSE(kept.IsCancelled());
}

TEST(CancellationToken, RunUntilCancelledGivesTheValueOrNullopt) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    CancellationToken token;
    auto answer = []() -> Task<int> { co_return 42; };
    std::optional<int> got = co_await token.RunUntilCancelled(answer());
    EXPECT_EQ(got, 42);
    token.Cancel();
    std::optional<std::monostate> slept =
        co_await token.RunUntilCancelled(weft::Sleep(std::chrono::hours(1)));
    EXPECT_FALSE(slept.has_value());
  });
}

TEST(CancellationToken, AMovedFromTokenIsCancelled) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    CancellationToken token;
    CancellationToken taken = std::move(token);
    EXPECT_TRUE(token.IsCancelled());  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(token.ChildToken().IsCancelled());
    token.Cancel();  // does nothing, and does not crash
    co_await token.Cancelled();
    EXPECT_FALSE(taken.IsCancelled());
  });
}

}  // namespace
