// SendResult, from the user's side: every channel's send says ok() when it
// delivered and gives the value back, saying why, when it did not; no send
// result converts to bool (`if (tx.Send(x))` read either way was the trap);
// status() names the send. Public headers only.
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "runtime/weft.h"

namespace {

using weft::SendError;
using weft::SendResult;
using weft::Task;

static_assert(!std::is_constructible_v<bool, SendResult<int>>,
              "a SendResult must be read with ok(), never as a bool");

TEST(SendResult, AnMpscSendIsOkWhenQueuedAndGivesTheValueBackWhenClosed) {
  weft::Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = weft::mpsc::Channel<std::unique_ptr<int>>(4);
    SendResult<std::unique_ptr<int>> sent =
        co_await tx.Send(std::make_unique<int>(1));
    EXPECT_TRUE(sent.ok());
    EXPECT_TRUE(sent.status().ok());
    EXPECT_THROW((void)sent.unsent(), std::logic_error);  // it was delivered
    rx.Close();
    SendResult<std::unique_ptr<int>> refused =
        co_await tx.Send(std::make_unique<int>(2));
    EXPECT_FALSE(refused.ok());
    EXPECT_TRUE(refused.closed());
    EXPECT_FALSE(refused.full());
    EXPECT_EQ(refused.error(), SendError::kClosed);
    EXPECT_TRUE(absl::IsFailedPrecondition(refused.status()));
    EXPECT_EQ(refused.status().message(), "mpsc::Sender::Send: channel closed");
    std::unique_ptr<int> back = std::move(refused).unsent();
    EXPECT_EQ(*back, 2);  // nothing is lost
  });
}

TEST(SendResult, TrySendSaysFullOrClosed) {
  weft::Runtime rt;
  rt.BlockOn([]() -> Task<> {
    auto [tx, rx] = weft::mpsc::Channel<int>(1);
    EXPECT_TRUE(tx.TrySend(1).ok());
    SendResult<int> full = tx.TrySend(2);
    EXPECT_TRUE(full.full());
    EXPECT_TRUE(absl::IsResourceExhausted(full.status()));
    EXPECT_EQ(full.status().message(), "mpsc::Sender::TrySend: channel full");
    EXPECT_EQ(full.unsent(), 2);
    rx.Close();
    EXPECT_TRUE(tx.TrySend(3).closed());
    co_return;
  });
}

TEST(SendResult, EveryOtherSendSaysTheSame) {
  weft::Runtime rt;
  rt.BlockOn([]() -> Task<> {
    {  // unbounded mpsc
      auto [tx, rx] = weft::mpsc::UnboundedChannel<std::string>();
      EXPECT_TRUE(tx.Send("a").ok());
      { auto gone = std::move(rx); }
      EXPECT_EQ(tx.Send("b").unsent(), "b");
    }
    {  // a reserved permit
      auto [tx, rx] = weft::mpsc::Channel<int>(1);
      auto permit = co_await tx.Reserve();
      EXPECT_TRUE(permit.ok());
      rx.Close();
      SendResult<int> late = permit->Send(7);
      EXPECT_TRUE(late.closed());
      EXPECT_EQ(late.unsent(), 7);
    }
    {  // oneshot
      auto [tx, rx] = weft::oneshot::Channel<int>();
      EXPECT_TRUE(tx.Send(1).ok());
      auto [tx2, rx2] = weft::oneshot::Channel<int>();
      rx2.Close();
      SendResult<int> refused = tx2.Send(2);
      EXPECT_EQ(refused.error(), SendError::kClosed);
      EXPECT_EQ(refused.status().message(),
                "oneshot::Sender::Send: channel closed");
    }
    {  // watch
      auto [tx, rx] = weft::watch::Channel<int>(0);
      EXPECT_TRUE(tx.Send(1).ok());
      { auto gone = std::move(rx); }
      EXPECT_EQ(tx.Send(2).unsent(), 2);
    }
    {  // broadcast
      auto [tx, rx] = weft::broadcast::Channel<int>(4);
      EXPECT_TRUE(tx.Send(1).ok());
      { auto gone = std::move(rx); }
      EXPECT_TRUE(tx.Send(2).closed());
    }
  });
}

TEST(SendResult, ABlockingSendFromAThreadSaysTheSame) {
  auto [tx, rx] = weft::mpsc::Channel<int>(1);
  std::promise<void> first_sent;
  std::thread producer([&tx = tx, &first_sent] {
    EXPECT_TRUE(tx.BlockingSend(1).ok());
    first_sent.set_value();
    // No room until the receiver closes; then the value comes back.
    SendResult<int> refused = tx.BlockingSend(2);
    EXPECT_TRUE(refused.closed());
    EXPECT_EQ(refused.unsent(), 2);
  });
  first_sent.get_future().wait();
  rx.Close();
  producer.join();
  weft::Runtime rt;
  rt.BlockOn([&rx = rx]() -> Task<> {
    EXPECT_EQ(co_await rx.Recv(), 1);  // what was queued before the close
    EXPECT_EQ(co_await rx.Recv(), std::nullopt);
  });
}

}  // namespace
