// Notify: one-at-a-time and broadcast wake-ups, permits, cancellation.
#include "runtime/sync/notify.h"

#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Notify, NotifyOneWakesWaitersInFifoOrder) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    std::vector<int> woke;
    std::vector<JoinHandle<void>> waiters;
    for (int i = 0; i < 3; ++i) {
      waiters.push_back(Spawn([&, i]() -> Task<> {
        co_await notify.Notified();
        woke.push_back(i);
      }));
    }
    co_await YieldNow();  // all three parked
    notify.NotifyOne();
    co_await YieldNow();
    EXPECT_EQ(woke, std::vector<int>{0});
    notify.NotifyOne();
    notify.NotifyOne();
    for (auto& w : waiters) co_await w;
    EXPECT_EQ(woke, (std::vector<int>{0, 1, 2}));
  });
}

// A waiter resumes only when notified: a wake from anything else (here the
// task's own waker, woken by hand) leaves it parked and linked, so the
// notification still reaches it.
TEST(Notify, AStrayWakeLeavesTheWaiterWaiting) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    Waker stray;
    bool notified = false;
    auto waiter = Spawn([&]() -> Task<> {
      stray = co_await testing::OwnWaker();
      co_await notify.Notified();
      notified = true;
    });
    co_await YieldNow();  // parked in Notified()
    stray.WakeByRef();
    co_await YieldNow();  // the stray wake ran through the executor
    co_await YieldNow();
    EXPECT_FALSE(notified);
    EXPECT_FALSE(waiter.IsFinished());
    notify.NotifyOne();
    co_await waiter;
    EXPECT_TRUE(notified);
  });
}

TEST(Notify, NotifyOneWithoutWaiterLeavesOnePermit) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    notify.NotifyOne();
    notify.NotifyOne();          // permits do not add up
    co_await notify.Notified();  // consumes the permit, no parking
    auto second = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    co_await YieldNow();
    EXPECT_FALSE(second.IsFinished());
    notify.NotifyOne();
    co_await second;
  });
}

TEST(Notify, NotifyWaitersWakesAllAndStoresNoPermit) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    int woke = 0;
    std::vector<JoinHandle<void>> waiters;
    for (int i = 0; i < 5; ++i) {
      waiters.push_back(Spawn([&]() -> Task<> {
        co_await notify.Notified();
        ++woke;
      }));
    }
    co_await YieldNow();
    notify.NotifyWaiters();
    for (auto& w : waiters) co_await w;
    EXPECT_EQ(woke, 5);
    auto late = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    co_await YieldNow();
    EXPECT_FALSE(late.IsFinished());  // no permit was left behind
    late.Abort();
  });
}

TEST(Notify, CancelledWaiterDoesNotSwallowANotification) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    auto cancelled = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    auto waiting = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    co_await YieldNow();
    cancelled.Abort();
    co_await cancelled;
    EXPECT_TRUE(notify.has_waiters());
    notify.NotifyOne();  // must reach `waiting`, not the cancelled one
    co_await waiting;
    EXPECT_FALSE(notify.has_waiters());
  });
}

// tokio: "if a Notified future is dropped after notify_one selected it, but
// before it was polled, the notification is forwarded to the next waiter".
// Without forwarding, `second` waited forever.
TEST(Notify, AWaiterAbortedAfterBeingSelectedForwardsItsNotification) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    auto first = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    auto second = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    co_await YieldNow();  // both parked, `first` at the front
    notify.NotifyOne();   // selects `first`...
    first.Abort();        // ...which is cancelled before it runs
    JoinResult<void> r = co_await first;
    EXPECT_TRUE(!r.ok() && r.error().IsCancelled());
    co_await second;  // the notification reached it
    EXPECT_FALSE(notify.has_waiters());
  });
}

// With no other waiter, a forwarded notification becomes the permit.
TEST(Notify, ASelectedWaiterCancelledWithNoOtherLeavesThePermit) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    auto only = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    co_await YieldNow();
    notify.NotifyOne();
    only.Abort();
    co_await only;
    co_await notify.Notified();  // the permit: does not park
  });
}

// NotifyWaiters gives each current waiter its own wake-up; a cancelled one
// has nothing to forward, so no permit is left.
TEST(Notify, AWaiterCancelledAfterNotifyWaitersForwardsNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    auto cancelled = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    co_await YieldNow();
    notify.NotifyWaiters();
    cancelled.Abort();
    co_await cancelled;
    auto late = Spawn([&]() -> Task<> { co_await notify.Notified(); });
    co_await YieldNow();
    EXPECT_FALSE(late.IsFinished());
    late.Abort();
  });
}

// A Notify destroyed while a selected waiter has not run yet: the waiter,
// cancelled afterwards, must not reach back into the dead Notify (ASan
// checks).
TEST(Notify, ASelectedWaiterOutlivingItsNotifyIsHarmless) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto notify = std::make_unique<Notify>();
    auto waiter = Spawn([&]() -> Task<> { co_await notify->Notified(); });
    co_await YieldNow();
    notify->NotifyOne();
    notify.reset();
    waiter.Abort();
    co_await waiter;
  });
}

// tokio's notify_waiters: a Notified() receives every NotifyWaiters() made
// after it was created, awaited or not. The pattern it makes safe: create
// the Notified, check the condition, then await; a NotifyWaiters() between
// the check and the await is not lost.
TEST(Notify, ANotifiedCreatedBeforeNotifyWaitersCompletesWhenAwaitedAfter) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    bool ready = false;
    auto waiter = Spawn([&]() -> Task<bool> {
      auto notified = notify.Notified();
      const bool was_ready = ready;  // false: about to wait...
      co_await YieldNow();           // ...and the notifier runs first
      if (!was_ready) co_await notified;
      co_return ready;
    });
    co_await YieldNow();  // the waiter checked and yielded, not yet parked
    ready = true;
    notify.NotifyWaiters();
    EXPECT_TRUE(*co_await waiter);   // not lost
    auto fresh = notify.Notified();  // created after: not notified
    EXPECT_FALSE(fresh.Enable());
  });
}

TEST(Notify, AnEnabledNotifiedCanBePickedByNotifyOneBeforeItIsAwaited) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    auto first = notify.Notified();
    EXPECT_FALSE(first.Enable());  // queued, not notified yet
    auto second = notify.Notified();
    EXPECT_FALSE(second.Enable());
    notify.NotifyOne();           // picks the longest waiter: `first`
    EXPECT_TRUE(first.Enable());  // notified
    EXPECT_FALSE(second.Enable());
    co_await first;  // at once
    notify.NotifyOne();
    co_await second;
    // No permit was stored: both went to the queued waiters.
    auto third = notify.Notified();
    EXPECT_FALSE(third.Enable());
  });
}

TEST(Notify, EnableTakesAStoredPermit) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Notify notify;
    notify.NotifyOne();  // nobody waits: a permit
    auto notified = notify.Notified();
    EXPECT_TRUE(notified.Enable());
    co_await notified;
    auto next = notify.Notified();
    EXPECT_FALSE(next.Enable());  // the permit was taken once
  });
}

}  // namespace
}  // namespace weft
