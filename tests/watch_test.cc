// watch: receivers see the latest value, Changed waits for one not yet
// seen, and the end comes when the sender goes.
#include "runtime/sync/watch.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Watch, ChangedWaitsForANewValueAndAReceiverSkipsToTheLatest) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = watch::Channel<int>(0);
    EXPECT_EQ(*rx.Borrow(), 0);
    EXPECT_FALSE(*rx.HasChanged());
    auto watcher = Spawn([&rx = rx]() -> Task<int> {
      EXPECT_TRUE((co_await rx.Changed()).ok());
      co_return *rx.BorrowAndUpdate();
    });
    co_await YieldNow();
    EXPECT_FALSE(watcher.IsFinished());  // nothing new yet
    EXPECT_TRUE(tx.Send(1).ok());
    EXPECT_TRUE(
        tx.Send(2).ok());  // before the watcher runs: it sees only the latest
    EXPECT_EQ(*(co_await watcher), 2);
    EXPECT_FALSE(*rx.HasChanged());
  });
}

TEST(Watch, SendModifyAndSendReplaceNotify) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = watch::Channel<std::string>("a");
    tx.SendModify([](std::string& s) { s += "b"; });
    EXPECT_TRUE((co_await rx.Changed()).ok());
    EXPECT_EQ(*rx.BorrowAndUpdate(), "ab");
    EXPECT_EQ(tx.SendReplace("c"), "ab");
    EXPECT_TRUE((co_await rx.Changed()).ok());
    EXPECT_EQ(*rx.BorrowAndUpdate(), "c");
  });
}

TEST(Watch, TheEndComesAfterTheLastUnseenValueWhenTheSenderGoes) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = watch::Channel<int>(0);
    {
      watch::Sender<int> gone = std::move(tx);
      EXPECT_TRUE(gone.Send(5).ok());
    }
    EXPECT_TRUE((co_await rx.Changed()).ok());  // the unseen 5 first
    EXPECT_EQ(*rx.BorrowAndUpdate(), 5);
    absl::Status end = co_await rx.Changed();
    EXPECT_TRUE(absl::IsFailedPrecondition(end)) << end;
  });
}

TEST(Watch, SendHandsTheValueBackWhenNoReceiverIsLeft) {
  auto [tx, rx] = watch::Channel<int>(0);
  EXPECT_EQ(tx.ReceiverCount(), 1u);
  watch::Receiver<int> copy = rx;  // has seen what rx has
  EXPECT_EQ(tx.ReceiverCount(), 2u);
  { watch::Receiver<int> a = std::move(rx), b = std::move(copy); }
  EXPECT_TRUE(tx.IsClosed());
  EXPECT_EQ(tx.Send(3).unsent(), 3);
  watch::Receiver<int> late = tx.Subscribe();
  EXPECT_FALSE(*late.HasChanged());
  EXPECT_TRUE(tx.Send(4).ok());
  EXPECT_TRUE(*late.HasChanged());
}

TEST(Watch, ASenderOnAnotherThreadWakesTheReceiver) {
  static constexpr int kSends = 100000;
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = watch::Channel<int>(0);
    std::thread sender([tx = std::move(tx)]() mutable {
      for (int i = 1; i <= kSends; ++i) EXPECT_TRUE(tx.Send(i).ok());
    });  // the sender goes at the end of the thread
    int last = 0;
    while ((co_await rx.Changed()).ok()) {
      const int now = *rx.BorrowAndUpdate();
      EXPECT_GT(now, last);  // never backwards
      last = now;
    }
    EXPECT_EQ(last, kSends);
    sender.join();
  });
}

}  // namespace
}  // namespace weft
