// Permits and guards that own their share, and the borrowed ones that
// must not outlive what they borrow: the trap of a proxy that keeps its
// connection limit in main's locals, and its fix. Public headers only.
//
// The trap: a spawned task still parked when BlockOn returns is cancelled
// later, by ~Runtime, after the frame of the task BlockOn ran is gone; a
// Permit it holds then gives its permit back into freed memory. weft
// catches that in builds with kMisuseChecks (every build without NDEBUG):
// the primitive aborts, naming itself, when it is destroyed while held.
// The fix is tokio's: share the primitive (std::make_shared) and hold an
// owned permit or guard, which keeps it alive.
#include <memory>
#include <stdexcept>
#include <string>

#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace {

using weft::Mutex;
using weft::Runtime;
using weft::RwLock;
using weft::Semaphore;
using weft::Task;

// A connection that never ends by itself: only cancellation stops it.
Task<> ServeForever(Semaphore::OwnedPermit slot) {
  weft::Notify never;
  co_await never.Notified();
  (void)slot;
}

TEST(OwnedGuards, AnOwnedPermitKeepsItsSemaphorePastTheTaskThatMadeIt) {
  std::weak_ptr<Semaphore> seen;
  {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      auto limit = std::make_shared<Semaphore>(2);
      seen = limit;
      for (int i = 0; i < 2; ++i) {
        absl::StatusOr<Semaphore::OwnedPermit> slot =
            co_await limit->AcquireOwned();
        EXPECT_TRUE(slot.ok());
        weft::Spawn(ServeForever(*std::move(slot)));
      }
      EXPECT_EQ(limit->AvailablePermits(), 0u);
      co_await weft::YieldNow();  // both parked
    });
    // Main's frame is gone; the connections still hold the semaphore.
    EXPECT_FALSE(seen.expired());
  }  // ~Runtime cancels them: their permits go back, then the semaphore
  EXPECT_TRUE(seen.expired());
}

TEST(OwnedGuards, OwnedGuardsOfAMutexAndAnRwLockKeepThemAlive) {
  std::weak_ptr<Mutex<int>> mutex_seen;
  std::weak_ptr<RwLock<std::string>> lock_seen;
  {
    Runtime rt;
    rt.BlockOn([&]() -> Task<> {
      auto counter = std::make_shared<Mutex<int>>(0);
      auto config = std::make_shared<RwLock<std::string>>("v1");
      mutex_seen = counter;
      lock_seen = config;
      weft::Spawn(
          [](Mutex<int>::OwnedGuard guard) -> Task<> {
            ++*guard;
            weft::Notify never;
            co_await never.Notified();
          },
          co_await counter->LockOwned());
      weft::Spawn(
          [](RwLock<std::string>::OwnedReadGuard guard) -> Task<> {
            EXPECT_EQ(*guard, "v1");
            weft::Notify never;
            co_await never.Notified();
          },
          co_await config->ReadOwned());
      co_await weft::YieldNow();
      EXPECT_FALSE(counter->TryLock().has_value());  // still held
      EXPECT_TRUE(config->TryRead().has_value());    // readers share
      EXPECT_FALSE(config->TryWrite().has_value());
    });
    EXPECT_FALSE(mutex_seen.expired());
    EXPECT_FALSE(lock_seen.expired());
  }
  EXPECT_TRUE(mutex_seen.expired());
  EXPECT_TRUE(lock_seen.expired());
}

TEST(OwnedGuards, AnOwnedGuardReachesTheValueAndUnlocksWhenItGoes) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto counter = std::make_shared<Mutex<int>>(41);
    {
      Mutex<int>::OwnedGuard guard = co_await counter->LockOwned();
      ++*guard;
      EXPECT_FALSE(counter->TryLockOwned().has_value());
    }
    std::optional<Mutex<int>::OwnedGuard> again = counter->TryLockOwned();
    EXPECT_TRUE(again.has_value());
    EXPECT_EQ(**again, 42);
    auto config = std::make_shared<RwLock<int>>(1);
    {
      RwLock<int>::OwnedWriteGuard w = co_await config->WriteOwned();
      *w = 2;
    }
    EXPECT_EQ(*co_await config->ReadOwned(), 2);
    auto limit = std::make_shared<Semaphore>(3);
    absl::StatusOr<Semaphore::OwnedPermit> two = limit->TryAcquireOwned(2);
    EXPECT_TRUE(two.ok());
    EXPECT_EQ(two->num_permits(), 2u);
    EXPECT_EQ(two->semaphore(), limit);
    EXPECT_EQ(limit->AvailablePermits(), 1u);
    absl::StatusOr<Semaphore::OwnedPermit> many =
        co_await limit->AcquireManyOwned(1);
    EXPECT_TRUE(many.ok());
    EXPECT_EQ(limit->AvailablePermits(), 0u);
  });
}

TEST(OwnedGuards, AnOwnedFormOfAnUnsharedPrimitiveSaysSo) {
  Semaphore semaphore(1);
  Mutex<int> mutex;
  RwLock<int> lock;
  EXPECT_THROW((void)semaphore.AcquireOwned(), std::logic_error);
  EXPECT_THROW((void)semaphore.TryAcquireOwned(), std::logic_error);
  EXPECT_THROW((void)mutex.LockOwned(), std::logic_error);
  EXPECT_THROW((void)mutex.TryLockOwned(), std::logic_error);
  EXPECT_THROW((void)lock.ReadOwned(), std::logic_error);
  EXPECT_THROW((void)lock.WriteOwned(), std::logic_error);
  try {
    (void)mutex.LockOwned();
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("Mutex::LockOwned"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("std::make_shared"), std::string::npos)
        << e.what();
  }
}

class OwnedGuardsDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// The proxy's mistake: the limit is a local of the task BlockOn runs; a
// connection still open when it returns holds a borrowed Permit.
void ProxyWithABorrowedLimit() {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore limit(1);
    absl::StatusOr<Semaphore::Permit> slot = co_await limit.Acquire();
    weft::Spawn(
        [](Semaphore::Permit held) -> Task<> {
          weft::Notify never;
          co_await never.Notified();
          held.Release();
        },
        *std::move(slot));
    co_await weft::YieldNow();
  });  // `limit` dies here, while the connection holds its permit
}

TEST_F(OwnedGuardsDeathTest, APrimitiveDestroyedWhileHeldAbortsNamingItself) {
#ifdef NDEBUG
  GTEST_SKIP() << "held permits are counted only with kMisuseChecks";
#endif
  EXPECT_DEATH(ProxyWithABorrowedLimit(),
               "Semaphore destroyed while held.*std::make_shared");
  EXPECT_DEATH(
      {
        Runtime rt;
        rt.BlockOn([]() -> Task<> {
          Mutex<int> counter;
          weft::Spawn(
              [](Mutex<int>::Guard guard) -> Task<> {
                weft::Notify never;
                co_await never.Notified();
                ++*guard;
              },
              co_await counter.Lock());
          co_await weft::YieldNow();
        });
      },
      "Mutex destroyed while held");
}

TEST_F(OwnedGuardsDeathTest, APrimitiveDestroyedWithATaskWaitingAborts) {
  // In every build: the waiter would resume into freed memory.
  EXPECT_DEATH(
      {
        Runtime rt;
        rt.BlockOn([]() -> Task<> {
          Semaphore limit(0);
          weft::Spawn([&limit]() -> Task<> { (void)co_await limit.Acquire(); });
          co_await weft::YieldNow();  // parked on `limit`
        });
      },
      "Semaphore destroyed while tasks wait for it");
  EXPECT_DEATH(
      {
        Runtime rt;
        rt.BlockOn([]() -> Task<> {
          weft::Notify notify;
          weft::Spawn([&notify]() -> Task<> { co_await notify.Notified(); });
          co_await weft::YieldNow();
        });
      },
      "Notify destroyed while a task waits on it");
  EXPECT_DEATH(
      {
        Runtime rt;
        rt.BlockOn([]() -> Task<> {
          weft::Barrier barrier(2);
          weft::Spawn(
              [&barrier]() -> Task<> { (void)co_await barrier.Wait(); });
          co_await weft::YieldNow();
        });
      },
      "Barrier destroyed while tasks wait");
}

TEST(OwnedGuards, AWaiterWhoseTaskWasAbortedIsLetGo) {
  // Aborted, it is only ever destroyed, never resumed: the primitive may
  // go first.
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    weft::Notify notify;
    Semaphore limit(0);
    auto a = weft::Spawn([&notify]() -> Task<> { co_await notify.Notified(); });
    auto b =
        weft::Spawn([&limit]() -> Task<> { (void)co_await limit.Acquire(); });
    co_await weft::YieldNow();
    a.Abort();
    b.Abort();
  });
}

}  // namespace
