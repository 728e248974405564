// Semaphore: permits that come back, fair FIFO service, cancellation that
// loses no permit, close, and releases from other threads.
#include "runtime/sync/semaphore.h"

#include <atomic>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Semaphore, APermitGoesBackWhenDestroyed) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore sem(2);
    {
      absl::StatusOr<Semaphore::Permit> permit = co_await sem.Acquire();
      EXPECT_TRUE(permit.ok());
      EXPECT_EQ(permit->num_permits(), 1u);
      EXPECT_EQ(sem.AvailablePermits(), 1u);
    }
    EXPECT_EQ(sem.AvailablePermits(), 2u);
    absl::StatusOr<Semaphore::Permit> two = co_await sem.AcquireMany(2);
    EXPECT_EQ(sem.AvailablePermits(), 0u);
    two->Forget();  // kept out for good
    two = absl::StatusOr<Semaphore::Permit>(Semaphore::Permit());
    EXPECT_EQ(sem.AvailablePermits(), 0u);
  });
}

TEST(Semaphore, WaitersAreServedInTheOrderTheyCame) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore sem(0);
    std::vector<int> served;
    std::vector<JoinHandle<void>> tasks;
    for (int i = 0; i < 3; ++i) {
      tasks.push_back(Spawn([&, i]() -> Task<> {
        absl::StatusOr<Semaphore::Permit> p = co_await sem.Acquire();
        EXPECT_TRUE(p.ok());
        served.push_back(i);
        p->Forget();
      }));
    }
    co_await YieldNow();  // all three queued
    for (int i = 0; i < 3; ++i) sem.AddPermits(1);
    for (auto& t : tasks) co_await t;
    EXPECT_EQ(served, (std::vector<int>{0, 1, 2}));
  });
}

// tokio's fairness: released permits go to the head of the queue, even
// partly, so a waiter for many is not overtaken by a later waiter for few.
TEST(Semaphore, AWaiterForManyIsNotOvertakenByALaterWaiterForFew) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore sem(1);
    std::vector<char> order;
    auto big = Spawn([&]() -> Task<> {
      absl::StatusOr<Semaphore::Permit> p = co_await sem.AcquireMany(3);
      order.push_back('B');
    });
    co_await YieldNow();  // took the one there, waits for two more
    EXPECT_EQ(sem.AvailablePermits(), 0u);
    auto small = Spawn([&]() -> Task<> {
      absl::StatusOr<Semaphore::Permit> p = co_await sem.Acquire();
      order.push_back('s');
    });
    co_await YieldNow();
    sem.AddPermits(1);  // to the big one: it has 2 of 3
    co_await YieldNow();
    EXPECT_TRUE(order.empty());
    EXPECT_FALSE(sem.TryAcquire().ok());  // somebody waits: no barging
    sem.AddPermits(1);  // the big one completes, then gives back 3
    co_await big;
    co_await small;
    EXPECT_EQ(order, (std::vector<char>{'B', 's'}));
    EXPECT_EQ(sem.AvailablePermits(), 3u);
  });
}

TEST(Semaphore, TryAcquireSaysWhyItFailed) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore sem(1);
    absl::StatusOr<Semaphore::Permit> one = sem.TryAcquire();
    EXPECT_TRUE(one.ok());
    absl::StatusOr<Semaphore::Permit> none = sem.TryAcquire();
    EXPECT_TRUE(absl::IsResourceExhausted(none.status())) << none.status();
    sem.Close();
    absl::StatusOr<Semaphore::Permit> closed = sem.TryAcquire();
    EXPECT_TRUE(absl::IsFailedPrecondition(closed.status())) << closed.status();
    co_return;
  });
}

// Cancel-safety: an Acquire destroyed while it waits gives back what it had
// been assigned, and one assigned every permit but not yet resumed gives
// them all back.
TEST(Semaphore, ACancelledAcquireLosesNoPermit) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore sem(1);
    auto partly = Spawn([&]() -> Task<> { (void)co_await sem.AcquireMany(2); });
    co_await YieldNow();  // holds 1 of 2
    EXPECT_EQ(sem.AvailablePermits(), 0u);
    partly.Abort();
    co_await partly;
    EXPECT_EQ(sem.AvailablePermits(), 1u);

    auto held = sem.TryAcquire();
    auto fully = Spawn([&]() -> Task<> { (void)co_await sem.Acquire(); });
    co_await YieldNow();  // queued
    held->Release();      // assigned to `fully`, which is woken...
    fully.Abort();        // ...and cancelled before it runs
    co_await fully;
    EXPECT_EQ(sem.AvailablePermits(), 1u);
  });
}

TEST(Semaphore, CloseFailsWaitersButHeldPermitsStillComeBack) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore sem(1);
    absl::StatusOr<Semaphore::Permit> held = co_await sem.Acquire();
    auto waiter = Spawn([&]() -> Task<absl::Status> {
      absl::StatusOr<Semaphore::Permit> p = co_await sem.Acquire();
      co_return p.status();
    });
    co_await YieldNow();
    sem.Close();
    EXPECT_TRUE(sem.IsClosed());
    absl::Status status = *(co_await waiter);
    EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
    EXPECT_FALSE((co_await sem.Acquire()).ok());  // later ones fail at once
    held->Release();
    EXPECT_EQ(sem.AvailablePermits(), 1u);
  });
}

TEST(Semaphore, APermitReleasedOnAnotherThreadWakesTheWaiter) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    Semaphore sem(1);
    absl::StatusOr<Semaphore::Permit> held = co_await sem.Acquire();
    auto waiter = Spawn([&]() -> Task<size_t> {
      absl::StatusOr<Semaphore::Permit> p = co_await sem.Acquire();
      co_return p->num_permits();
    });
    co_await YieldNow();
    std::thread([permit = *std::move(held)]() mutable {
      permit.Release();
    }).join();
    EXPECT_EQ(*(co_await waiter), 1u);
    // AddPermits from another thread too.
    auto second = Spawn([&]() -> Task<> { (void)co_await sem.AcquireMany(2); });
    co_await YieldNow();
    std::thread([&] { sem.AddPermits(1); }).join();
    co_await second;
    EXPECT_EQ(sem.AvailablePermits(), 2u);
  });
}

TEST(Semaphore, PermitsReleasedOnAnotherThreadWhileATaskQueuesAreNeverLost) {
  // The release that adds permits without the lock races the task that
  // queues for them: each must see the other. In lock step, one permit a
  // round, a permit left unseen would leave the task waiting for ever.
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    constexpr int kRounds = 20000;
    Semaphore sem(0);
    std::atomic<int> acquired{0};
    std::thread releaser([&sem, &acquired] {
      for (int i = 0; i < kRounds; ++i) {
        while (acquired.load() < i) std::this_thread::yield();
        sem.AddPermits(1);  // as the task goes to wait for it
      }
    });
    for (int i = 0; i < kRounds; ++i) {
      absl::StatusOr<Semaphore::Permit> permit = co_await sem.Acquire();
      EXPECT_TRUE(permit.ok());
      if (permit.ok()) permit->Forget();
      acquired.store(i + 1);
    }
    releaser.join();
    EXPECT_EQ(sem.AvailablePermits(), 0u);
  });
}

TEST(Semaphore, MorePermitsThanTheMaximumAreAnError) {
  EXPECT_THROW(Semaphore(Semaphore::kMaxPermits + 1), std::length_error);
  Semaphore sem(Semaphore::kMaxPermits);
  EXPECT_THROW(sem.AddPermits(1), std::length_error);
}

}  // namespace
}  // namespace weft
