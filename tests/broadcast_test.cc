// broadcast: every receiver gets every message; a receiver that falls
// behind is told by how many and goes on from the oldest kept; the end
// comes when every sender is gone.
#include "runtime/sync/broadcast.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/weft.h"
#include "tests/test_util.h"

namespace weft {
namespace {

TEST(Broadcast, EveryReceiverGetsEveryMessage) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx1] = broadcast::Channel<std::string>(4);
    broadcast::Receiver<std::string> rx2 = tx.Subscribe();
    auto listen = [](broadcast::Receiver<std::string>& rx)
        -> Task<std::vector<std::string>> {
      std::vector<std::string> got;
      for (;;) {
        broadcast::RecvResult<std::string> r = co_await rx.Recv();
        if (!r.ok()) break;
        got.push_back(std::move(r).value());
      }
      co_return got;
    };
    auto a = Spawn(listen(rx1));
    auto b = Spawn(listen(rx2));
    co_await YieldNow();  // both wait
    EXPECT_TRUE(tx.Send("x").ok());
    EXPECT_TRUE(tx.Send("y").ok());
    { auto gone = std::move(tx); }  // the end, after what was sent
    const std::vector<std::string> want{"x", "y"};
    EXPECT_EQ(*(co_await a), want);
    EXPECT_EQ(*(co_await b), want);
  });
}

TEST(Broadcast, ASlowReceiverIsToldItLaggedAndGoesOnFromTheOldestKept) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = broadcast::Channel<int>(2);
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(tx.Send(i).ok());  // keeps 3 and 4
    broadcast::RecvResult<int> r = co_await rx.Recv();
    EXPECT_TRUE(r.lagged());
    EXPECT_EQ(r.skipped(), 3u);
    r = co_await rx.Recv();
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 3);
    EXPECT_EQ((co_await rx.Recv()).value(), 4);
    EXPECT_FALSE(rx.TryRecv().has_value());  // nothing new, sender alive
  });
}

TEST(Broadcast, SendWithNoReceiverHandsTheValueBack) {
  auto [tx, rx] = broadcast::Channel<int>(1);
  { auto gone = std::move(rx); }
  EXPECT_EQ(tx.ReceiverCount(), 0u);
  EXPECT_EQ(tx.Send(1).unsent(), 1);
  broadcast::Receiver<int> late = tx.Subscribe();
  EXPECT_TRUE(tx.Send(2).ok());
  std::optional<broadcast::RecvResult<int>> got = late.TryRecv();
  EXPECT_TRUE(got.has_value() && got->ok());
}

TEST(Broadcast, ACancelledRecvConsumesNothing) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = broadcast::Channel<int>(4);
    auto waiting = Spawn([&rx = rx]() -> Task<> { (void)co_await rx.Recv(); });
    co_await YieldNow();
    EXPECT_TRUE(tx.Send(1).ok());  // wakes it...
    waiting.Abort();               // ...but it is cancelled first
    co_await waiting;
    EXPECT_EQ((co_await rx.Recv()).value(), 1);
  });
}

TEST(Broadcast, SendersOnOtherThreadsReachTheReceiver) {
  Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = broadcast::Channel<int>(1024);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([tx = tx]() mutable {
        for (int i = 0; i < 100; ++i) EXPECT_TRUE(tx.Send(i).ok());
      });
    }
    { auto gone = std::move(tx); }
    int received = 0;
    for (;;) {
      broadcast::RecvResult<int> r = co_await rx.Recv();
      if (r.closed()) break;
      EXPECT_TRUE(r.ok());
      ++received;
    }
    EXPECT_EQ(received, 200);
    for (auto& t : threads) t.join();
  });
}

}  // namespace
}  // namespace weft
