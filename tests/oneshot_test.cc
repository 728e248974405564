// oneshot: one value from a sender to a receiver; either side sees the
// other go; nothing is lost to a dropped receiver or a cancelled receive.
#include "runtime/sync/oneshot.h"

#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Oneshot, AValueSentIsReceivedWhetherTheReceiverWaitsOrNot) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = oneshot::Channel<std::string>();
    EXPECT_TRUE(tx.Send("early").ok());
    EXPECT_EQ(co_await rx, "early");

    auto [tx2, rx2] = oneshot::Channel<std::unique_ptr<int>>();
    auto sender = Spawn(
        [](oneshot::Sender<std::unique_ptr<int>> tx) -> Task<> {
          co_await YieldNow();  // the receiver parks first
          EXPECT_TRUE(tx.Send(std::make_unique<int>(42)).ok());
        },
        std::move(tx2));
    std::optional<std::unique_ptr<int>> got = co_await rx2;
    EXPECT_TRUE(got.has_value());
    if (got) {
      EXPECT_EQ(**got, 42);
    }
    co_await sender;
  });
}

TEST(Oneshot, ASenderDroppedWithoutSendingEndsTheReceiveWithNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = oneshot::Channel<int>();
    auto dropper = Spawn(
        [](oneshot::Sender<int>) -> Task<> {
          co_await YieldNow();
        },  // the sender goes with the task
        std::move(tx));
    EXPECT_EQ(co_await rx, std::nullopt);
    oneshot::Receiver<int>::TryError error{};
    EXPECT_EQ(rx.TryRecv(&error), std::nullopt);
    EXPECT_EQ(error, oneshot::Receiver<int>::TryError::kClosed);
    co_await dropper;
  });
}

TEST(Oneshot, SendToAGoneReceiverHandsTheValueBack) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = oneshot::Channel<std::string>();
    EXPECT_FALSE(tx.IsClosed());
    auto watcher = Spawn(
        [](oneshot::Sender<std::string> tx) -> Task<std::string> {
          co_await tx.Closed();  // parks until the receiver goes
          EXPECT_TRUE(tx.IsClosed());
          SendResult<std::string> back = tx.Send("unwanted");
          EXPECT_TRUE(back.closed());
          co_return std::move(back).unsent();
        },
        std::move(tx));
    co_await YieldNow();
    EXPECT_FALSE(watcher.IsFinished());
    { oneshot::Receiver<std::string> gone = std::move(rx); }
    EXPECT_EQ(*(co_await watcher), "unwanted");
  });
}

TEST(Oneshot, TryRecvTellsEmptyFromClosed) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = oneshot::Channel<int>();
    oneshot::Receiver<int>::TryError error{};
    EXPECT_EQ(rx.TryRecv(&error), std::nullopt);
    EXPECT_EQ(error, oneshot::Receiver<int>::TryError::kEmpty);
    EXPECT_TRUE(tx.Send(7).ok());
    EXPECT_EQ(rx.TryRecv(), 7);
    EXPECT_EQ(rx.TryRecv(&error), std::nullopt);
    EXPECT_EQ(error, oneshot::Receiver<int>::TryError::kClosed);
    co_return;
  });
}

TEST(Oneshot, CloseRefusesLaterValuesButKeepsOneSentBefore) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = oneshot::Channel<int>();
    rx.Close();
    EXPECT_TRUE(tx.IsClosed());
    EXPECT_EQ(tx.Send(1).unsent(), 1);  // handed back
    EXPECT_EQ(co_await rx, std::nullopt);

    auto [tx2, rx2] = oneshot::Channel<int>();
    EXPECT_TRUE(tx2.Send(2).ok());
    rx2.Close();
    EXPECT_EQ(co_await rx2, 2);
  });
}

// Cancel-safety: a receive cancelled while it waits leaves the value for
// the next one.
TEST(Oneshot, ACancelledReceiveLosesNoValue) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = oneshot::Channel<int>();
    auto waiting = Spawn([&rx = rx]() -> Task<> { (void)co_await rx; });
    co_await YieldNow();
    waiting.Abort();
    co_await waiting;
    EXPECT_TRUE(tx.Send(5).ok());
    EXPECT_EQ(co_await rx, 5);
  });
}

TEST(Oneshot, ASendFromAnotherThreadWakesTheReceiver) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = oneshot::Channel<int>();
    std::thread thread(
        [tx = std::move(tx)]() mutable { EXPECT_TRUE(tx.Send(9).ok()); });
    EXPECT_EQ(co_await rx, 9);
    thread.join();
  });
}

// The receiver parks while another thread sends, round after round, so
// that the send lands before, during and after the park: every value
// arrives.
TEST(Oneshot, SendsRacingTheReceiversParkAreAllReceived) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    constexpr int kRounds = 2000;
    int received = 0;
    for (int i = 0; i < kRounds; ++i) {
      auto [tx, rx] = oneshot::Channel<int>();
      std::thread thread([&tx = tx, i] { EXPECT_TRUE(tx.Send(i).ok()); });
      if (co_await rx == std::optional<int>(i)) ++received;
      thread.join();
    }
    EXPECT_EQ(received, kRounds);
  });
}

// A send racing the receiver's Close: the value is received or handed
// back to the sender, exactly one of the two, never lost.
TEST(Oneshot, ASendRacingCloseIsReceivedOrHandedBackNeverBoth) {
  constexpr int kRounds = 2000;
  int received = 0;
  int handed_back = 0;
  for (int i = 0; i < kRounds; ++i) {
    auto [tx, rx] = oneshot::Channel<int>();
    std::optional<int> back;
    std::thread thread([&tx = tx, &back, i] {
      SendResult<int> sent = tx.Send(i);
      if (!sent.ok()) back = std::move(sent).unsent();
    });
    rx.Close();
    thread.join();
    std::optional<int> got = rx.TryRecv();
    if (got) {
      EXPECT_EQ(*got, i);
    }
    if (back) {
      EXPECT_EQ(*back, i);
    }
    received += got.has_value();
    handed_back += back.has_value();
  }
  EXPECT_EQ(received + handed_back, kRounds);
}

}  // namespace
}  // namespace weft
